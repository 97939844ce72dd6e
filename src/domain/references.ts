// References and texts sent to Qliro: the order's MerchantReference, item references and descriptions (BEHAVIOUR §3, §4).
import type { MerchantReferenceSource } from './channel-configuration';
import type { NorceOrder } from './norce-order';

/** Qliro's rule for an order MerchantReference. */
export const QLIRO_MERCHANT_REFERENCE_PATTERN = /^[A-Za-z0-9_-]{1,25}$/;
export const MERCHANT_REFERENCE_MAX_LENGTH = 25;

/** Qliro's rule for an item MerchantReference: letters, digits, whitespace and ( . ) ' - _ & , / – + : */
export const QLIRO_ITEM_REFERENCE_PATTERN = /^[\p{L}\s(.)'\-_&,/–+0-9:]{1,200}$/u;
export const ITEM_REFERENCE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 4000;

const NOT_ALLOWED_IN_MERCHANT_REFERENCE = /[^A-Za-z0-9_-]/g;
const NOT_ALLOWED_IN_ITEM_REFERENCE = /[^\p{L}\s(.)'\-_&,/–+0-9:]/gu;

/** A short, stable fingerprint of a text (FNV-1a, 32 bit, base 36, always 7 characters of [0-9a-z]). */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

/** The text the order MerchantReference is derived from, per the channel's `merchantReferenceSource`. */
export function merchantReferenceSourceFor(order: NorceOrder, source: MerchantReferenceSource): string {
  if (source === 'OrderCartReference') return nonBlank(order.cart.reference) ?? order.id;
  return order.id;
}

/**
 * The Qliro order MerchantReference for the `attempt`-th Qliro order of a Norce order (0 = the first).
 * Attempt 0 is the source itself when it fits; characters Qliro refuses are dropped; a source too long keeps
 * as much of its beginning as fits plus a hash of the whole source, so a person still recognises the order and
 * two long sources with the same beginning stay apart. Later attempts end in `-2`, `-3`, … and stay ≤ 25.
 */
export function deriveMerchantReference(source: string, attempt: number): string {
  const nth = Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 0;
  const suffix = nth === 0 ? '' : `-${nth + 1}`;
  const room = MERCHANT_REFERENCE_MAX_LENGTH - suffix.length;
  const cleaned = source.replace(NOT_ALLOWED_IN_MERCHANT_REFERENCE, '');
  if (cleaned.length > 0 && cleaned.length <= room) return cleaned + suffix;
  const hash = shortHash(source);
  const prefix = cleaned.slice(0, Math.max(0, room - hash.length - 1));
  return `${prefix ? `${prefix}-` : ''}${hash}${suffix}`;
}

/**
 * An item MerchantReference Qliro accepts: disallowed characters dropped, whitespace collapsed, at most 200
 * characters (a longer one keeps its beginning plus a hash of the whole, so two long SKUs stay distinct),
 * never empty. Deterministic: capture and refund recompute the same reference.
 */
export function cleanItemReference(raw: string): string {
  const cleaned = collapseWhitespace(raw.normalize('NFC').replace(NOT_ALLOWED_IN_ITEM_REFERENCE, ''));
  if (cleaned.length === 0) return raw.trim().length > 0 ? `item-${shortHash(raw)}` : 'item';
  if (cleaned.length <= ITEM_REFERENCE_MAX_LENGTH) return cleaned;
  const hash = shortHash(raw);
  return `${truncate(cleaned, ITEM_REFERENCE_MAX_LENGTH - hash.length - 1).trimEnd()}-${hash}`;
}

/** `reference` with a suffix (" (2)") that makes it distinct, still a valid item reference of ≤ 200 characters. */
export function withReferenceSuffix(reference: string, suffix: string): string {
  return truncate(reference, ITEM_REFERENCE_MAX_LENGTH - suffix.length) + suffix;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};

/** A Qliro item Description: the readable name without HTML tags, at most 4000 characters, never empty. */
export function cleanDescription(name: string | undefined, fallback = 'Item'): string {
  const decoded = (name ?? '').replace(/&(?:amp|lt|gt|quot|#39|apos|nbsp);/g, (entity) => ENTITIES[entity] ?? entity);
  const text = collapseWhitespace(stripTags(decoded).replace(/\p{Cc}/gu, ' '));
  if (text.length === 0) return fallback === '' ? 'Item' : cleanDescription(fallback, '');
  return truncate(text, DESCRIPTION_MAX_LENGTH).trimEnd();
}

/** Removes HTML comments and tags, repeated until none is left (a removal can join the pieces of a new tag). */
function stripTags(text: string): string {
  let current = text;
  for (;;) {
    const next = current.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<\/?[A-Za-z][^<>]*>/g, ' ');
    if (next === current) return current;
    current = next;
  }
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The longest beginning of `text` of at most `maxLength` UTF-16 units that does not split a character. */
function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let result = '';
  for (const char of text) {
    if (result.length + char.length > maxLength) break;
    result += char;
  }
  return result;
}

function nonBlank(text: string | null | undefined): string | undefined {
  return text !== undefined && text !== null && text.trim().length > 0 ? text : undefined;
}
