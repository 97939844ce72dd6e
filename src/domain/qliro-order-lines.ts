// Norce order → Qliro order lines (BEHAVIOUR §4). Pure; all arithmetic in integer minor units.
// The reading of Norce's totals and discounts is written down in docs/adr/0002-norce-discount-convention.md.
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { adapterError, type AdapterError } from './errors';
import {
  ADAPTER_ID,
  type Amount,
  type NorceCartItem,
  type NorceDiscount,
  type NorceOrder,
  type NorcePayment,
  type NorceShipping,
} from './norce-order';
import type { QliroOrderItemType, QliroOrderLine } from './qliro-order';
import { isActivePayment } from './qliro-payment';
import { checkQliroMarket } from './qliro-market';
import {
  allocateProportionally,
  basisPointsToPercent,
  excludingVatMinor,
  formatMoney,
  toMajor,
  toMinor,
  vatRateBasisPoints,
} from './money';
import { cleanDescription, cleanItemReference, withReferenceSuffix } from './references';

export interface OrderLineOptions {
  mapDiscountPerRow: boolean;
  qliroOwnsShipping: boolean;
  /** Most lines one Qliro order may have (B40); QLIRO_MAX_ORDER_LINES when absent. */
  maxOrderLines?: number;
}

export interface MappedQliroOrder {
  lines: QliroOrderLine[];
  amountToCoverMinor: number;
  amountToCover: number /* major, 2 decimals */;
  /** Norce shipping left for Qliro to add itself (qliroOwnsShipping), else 0: Σ lines + this = amountToCoverMinor. */
  qliroOwnedShippingMinor: number;
}

/** The line cap Qliro's own Magento module enforces (qliro-api.md §3.4); counted on the lines actually sent. */
export const QLIRO_MAX_ORDER_LINES = 200;

/** Payment types that cover part of the order besides Qliro (gift cards, store credit). */
const COVERING_PAYMENT_TYPES: ReadonlySet<string> = new Set(['voucher', 'prepaid']);

/** A Qliro line before its total is turned into 2-decimal unit prices. */
interface DraftLine {
  readonly type: QliroOrderItemType;
  readonly reference: string;
  readonly description: string;
  readonly vatBasisPoints: number;
  /** Integer ≥ 1. */
  readonly quantity: number;
  /** Incl. VAT, the whole line. */
  readonly totalMinor: number;
  /** Norce's ex-VAT amount for exactly this total, when Norce has one. */
  readonly norceExVatMinor?: number;
}

interface MinorAmount {
  readonly inc: number;
  readonly ex: number;
}

/** A discount amount at one VAT rate, with the promotions it comes from. */
interface DiscountShare {
  readonly vatBasisPoints: number;
  readonly incMinor: number;
  readonly exMinor?: number;
  readonly labels: readonly DiscountLabel[];
}

interface DiscountLabel {
  readonly reference: string;
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------- amount to cover

/** The order's other active payments that cover part of it (vouchers, prepaid) — never the Qliro payment. */
export function coveringPayments(order: NorceOrder, qliroPaymentId?: string): NorcePayment[] {
  return (order.payments ?? []).filter(
    (p) =>
      COVERING_PAYMENT_TYPES.has((p.type ?? '').toLowerCase()) &&
      isActivePayment(p) &&
      p.adapterId !== ADAPTER_ID &&
      p.id !== qliroPaymentId,
  );
}

/** What the Qliro payment must cover: the order total less the other active voucher/prepaid payments. */
export function amountToCoverMinor(order: NorceOrder, qliroPaymentId?: string): number {
  const covered = sum(coveringPayments(order, qliroPaymentId).map((p) => Math.abs(toMinor(p.amount, order.currency))));
  return toMinor(order.total.includingVat, order.currency) - covered;
}

/** Σ PricePerItemIncVat × Quantity, in minor units: what Qliro will charge for these lines. */
export function qliroLinesTotalMinor(lines: readonly QliroOrderLine[], currency?: string): number {
  return sum(lines.map((l) => toMinor(l.PricePerItemIncVat, currency) * l.Quantity));
}

// ---------------------------------------------------------------------------------------------- entry points

/** The Qliro order lines for a Norce order, or `order-validation` when Qliro cannot take the order. */
export function toQliroOrderLines(
  order: NorceOrder,
  options: OrderLineOptions,
  qliroPaymentId?: string,
): E.Either<AdapterError, MappedQliroOrder> {
  return pipe(
    checkQliroMarket(order.currency, order.country),
    E.flatMap(() => mapOrderLines(order, options, qliroPaymentId)),
  );
}

/** The mapping without the market check (any currency, e.g. a 0-decimal one); `toQliroOrderLines` is the entry point. */
export function mapOrderLines(
  order: NorceOrder,
  options: OrderLineOptions,
  qliroPaymentId?: string,
): E.Either<AdapterError, MappedQliroOrder> {
  return pipe(
    checkOrderCanBeMapped(order, qliroPaymentId),
    E.flatMap((toCover) => {
      const currency = order.currency.toUpperCase();
      const shippings = activeShippings(order);
      const qliroOwnedShippingMinor = options.qliroOwnsShipping ? sum(shippings.map((s) => toMinor(s.total.includingVat, currency))) : 0;
      return pipe(
        draftLines(order, options, currency, toCover - qliroOwnedShippingMinor, qliroPaymentId),
        E.map((drafts) => assignDistinctReferences(drafts.map((d) => expandDraft(d, currency)))),
        E.flatMap((lines) => checkLineCount(order, lines, options.maxOrderLines ?? QLIRO_MAX_ORDER_LINES)),
        E.flatMap((lines) => checkExact(order, lines, toCover - qliroOwnedShippingMinor, currency)),
        E.map((lines) => ({
          lines,
          amountToCoverMinor: toCover,
          amountToCover: toMajor(toCover, currency),
          qliroOwnedShippingMinor,
        })),
      );
    }),
  );
}

// ---------------------------------------------------------------------------------------------- refusals

/** Refuses what Qliro cannot take before any call; on success, the amount to cover in minor units. */
function checkOrderCanBeMapped(order: NorceOrder, qliroPaymentId?: string): E.Either<AdapterError, number> {
  const refuse = (why: string) => E.left(adapterError('order-validation', `Order ${order.id} cannot be paid with Qliro: ${why}`));
  if (order.cart.items.length === 0) return refuse('the cart has no items');
  const problem = firstProblem(order);
  if (problem) return refuse(problem);
  const currency = order.currency.toUpperCase();
  const total = toMinor(order.total.includingVat, currency);
  if (total <= 0) return refuse(`the order total is ${formatMoney(total, currency)}; Qliro needs a total above zero`);
  const toCover = amountToCoverMinor(order, qliroPaymentId);
  if (toCover <= 0) {
    return refuse(
      `other payments cover the whole order total of ${formatMoney(total, currency)}, leaving ${formatMoney(toCover, currency)} for Qliro`,
    );
  }
  return E.right(toCover);
}

/** Amounts a mapping cannot work with (not a number, absurdly large, a VAT rate that is not a fraction, no quantity). */
function firstProblem(order: NorceOrder): string | undefined {
  const items = order.cart.items.map((item, i) => itemProblem(item, `cart item ${itemName(item, i)}`));
  const shippings = (order.shippings ?? []).map((s, i) =>
    amountProblem(s.total, `shipping ${s.name ?? i + 1} total`) ?? vatRateProblem(s.vatRate, `shipping ${s.name ?? i + 1}`),
  );
  const discounts = (order.cart.discounts ?? []).map((d, i) => amountProblem(d.value, `cart discount ${d.code ?? d.name ?? i + 1}`));
  const payments = coveringPayments(order).map((p) => (isPlausible(p.amount) ? undefined : `payment ${p.id} has no valid amount`));
  const total = amountProblem(order.total, 'order total');
  return [...items, ...shippings, ...discounts, ...payments, total].find((p) => p !== undefined);
}

function itemProblem(item: NorceCartItem, what: string): string | undefined {
  if (!isPlausible(item.quantity) || item.quantity <= 0) return `${what} has quantity ${item.quantity}; it must be above zero`;
  return (
    vatRateProblem(item.vatRate, what) ??
    amountProblem(item.total, `${what} total`) ??
    (item.originalTotal ? amountProblem(item.originalTotal, `${what} original total`) : undefined) ??
    (item.discounts ?? []).map((d) => amountProblem(d.value, `${what} discount`)).find((p) => p !== undefined)
  );
}

function vatRateProblem(rate: number, what: string): string | undefined {
  return Number.isFinite(rate) && rate >= 0 && rate < 1 ? undefined : `${what} has VAT rate ${rate}; Norce gives a fraction (0.25 = 25 %)`;
}

function amountProblem(amount: Amount, what: string): string | undefined {
  return isPlausible(amount.includingVat) && isPlausible(amount.excludingVat) ? undefined : `${what} is not a valid amount`;
}

const isPlausible = (n: number): boolean => Number.isFinite(n) && Math.abs(n) < 1e11;

function checkLineCount(order: NorceOrder, lines: QliroOrderLine[], max: number): E.Either<AdapterError, QliroOrderLine[]> {
  return lines.length <= max
    ? E.right(lines)
    : E.left(
        adapterError(
          'order-validation',
          `Order ${order.id} cannot be paid with Qliro: it needs ${lines.length} Qliro order lines (products, discounts, shipping), more than the limit of ${max}`,
        ),
      );
}

/** The invariant, checked on what is actually sent: Qliro's total equals the amount to cover, to the minor unit. */
function checkExact(order: NorceOrder, lines: QliroOrderLine[], target: number, currency: string): E.Either<AdapterError, QliroOrderLine[]> {
  const sent = qliroLinesTotalMinor(lines, currency);
  return sent === target
    ? E.right(lines)
    : E.left(
        adapterError(
          'internal-server-error',
          `Order ${order.id}: the Qliro lines sum to ${formatMoney(sent, currency)} instead of ${formatMoney(target, currency)}`,
        ),
      );
}

// ---------------------------------------------------------------------------------------------- drafting

/** All lines of the order as drafts, with any small rounding residual absorbed so that they sum to `target`. */
function draftLines(
  order: NorceOrder,
  options: OrderLineOptions,
  currency: string,
  target: number,
  qliroPaymentId?: string,
): E.Either<AdapterError, DraftLine[]> {
  const items = order.cart.items;
  const products = items.map((item) => itemDraft(item, options.mapDiscountPerRow, currency));
  const itemShares = options.mapDiscountPerRow ? [] : items.flatMap((item) => itemDiscountShares(item, currency));
  const cartShares = unspreadCartDiscounts(order).flatMap((d) => cartDiscountShares(d, order, currency));
  const shippings = options.qliroOwnsShipping ? [] : activeShippings(order).map((s) => shippingDraft(s, currency));
  const vouchers = coveringPayments(order, qliroPaymentId).map((p) => coveringPaymentDraft(p, currency));
  const assemble = (shares: readonly DiscountShare[]): DraftLine[] => [...products, ...discountDrafts(shares), ...shippings, ...vouchers];

  // Each Norce amount is rounded on its own, so the sum may be off by up to one minor unit per amount.
  const tolerance = items.length + activeShippings(order).length;
  const withCartDiscounts = assemble([...itemShares, ...cartShares]);
  const residual = target - sum(withCartDiscounts.map((d) => d.totalMinor));
  if (Math.abs(residual) <= tolerance) return absorbResidual(order, withCartDiscounts, residual, currency);
  if (cartShares.length > 0) {
    // A cart discount that no item carries may already be inside item/shipping totals: the order total decides.
    const without = assemble(itemShares);
    const residualWithout = target - sum(without.map((d) => d.totalMinor));
    if (Math.abs(residualWithout) <= tolerance) return absorbResidual(order, without, residualWithout, currency);
  }
  return E.left(residualError(order, residual, tolerance, currency));
}

function residualError(order: NorceOrder, residual: number, tolerance: number, currency: string): AdapterError {
  const total = toMinor(order.total.includingVat, currency);
  return adapterError(
    'order-validation',
    `Order ${order.id} is inconsistent: order total ${formatMoney(total, currency)} differs from the sum of its lines ` +
      `${formatMoney(total - residual, currency)} by ${formatMoney(Math.abs(residual), currency)}, ` +
      `more than the rounding tolerance of ${formatMoney(tolerance, currency)}`,
  );
}

/** Puts a rounding residual on the largest product line (else the largest shipping line); the split keeps prices exact. */
function absorbResidual(order: NorceOrder, drafts: DraftLine[], residual: number, currency: string): E.Either<AdapterError, DraftLine[]> {
  if (residual === 0) return E.right(drafts);
  const canTake = (d: DraftLine, type: QliroOrderItemType) => d.type === type && d.totalMinor > 0 && d.totalMinor + residual >= 0;
  const index = largestIndex(drafts, (d) => canTake(d, 'Product')) ?? largestIndex(drafts, (d) => canTake(d, 'Shipping'));
  if (index === undefined) {
    return E.left(
      adapterError(
        'order-validation',
        `Order ${order.id} is inconsistent: a rounding difference of ${formatMoney(residual, currency)} between the order total and its lines cannot be put on any product or shipping line`,
      ),
    );
  }
  return E.right(
    drafts.map((d, i) => (i === index ? { ...d, totalMinor: d.totalMinor + residual, norceExVatMinor: undefined } : d)),
  );
}

function largestIndex(drafts: readonly DraftLine[], eligible: (d: DraftLine) => boolean): number | undefined {
  let best: number | undefined;
  drafts.forEach((d, i) => {
    if (eligible(d) && (best === undefined || d.totalMinor > drafts[best]!.totalMinor)) best = i;
  });
  return best;
}

/** A cart item as one line: its discounted total per row, or its undiscounted total when discounts get their own lines. */
function itemDraft(item: NorceCartItem, discountPerRow: boolean, currency: string): DraftLine {
  const total = minorAmount(item.total, currency);
  const amount = discountPerRow || total.inc < 0 ? total : undiscountedTotal(item, currency);
  const { quantity, measure } = sentQuantity(item);
  return {
    // Qliro allows negative prices only on Discount lines (B07: deposit returns, rebates modelled as items).
    type: amount.inc < 0 ? 'Discount' : 'Product',
    reference: cleanItemReference(firstNonBlank(item.sku, item.reference, item.id) ?? ''),
    description: cleanDescription(measure + cleanDescription(item.name, firstNonBlank(item.sku, item.reference, item.id) ?? 'Item')),
    vatBasisPoints: vatRateBasisPoints(item.vatRate),
    quantity,
    totalMinor: amount.inc,
    norceExVatMinor: amount.ex,
  };
}

/** Qliro wants whole quantities ≥ 1: a weight or length becomes one line carrying the total, the measure in the text. */
function sentQuantity(item: NorceCartItem): { quantity: number; measure: string } {
  if (Number.isSafeInteger(item.quantity) && item.quantity >= 1) return { quantity: item.quantity, measure: '' };
  return { quantity: 1, measure: `${item.quantity}${item.unit ? ` ${item.unit}` : ''} × ` };
}

/** The item's total before its own discounts: originalTotal, else total + its discounts, else its total. */
function undiscountedTotal(item: NorceCartItem, currency: string): MinorAmount {
  const total = minorAmount(item.total, currency);
  if (item.originalTotal) {
    const original = minorAmount(item.originalTotal, currency);
    return original.inc >= total.inc ? original : total;
  }
  const discounts = (item.discounts ?? []).map((d) => absoluteMinorAmount(d.value, currency));
  return { inc: total.inc + sum(discounts.map((d) => d.inc)), ex: total.ex + sum(discounts.map((d) => d.ex)) };
}

/** What the item's own discounts took off it, at the item's VAT rate. */
function itemDiscountShares(item: NorceCartItem, currency: string): DiscountShare[] {
  const total = minorAmount(item.total, currency);
  if (total.inc < 0) return [];
  const original = undiscountedTotal(item, currency);
  const incMinor = original.inc - total.inc;
  if (incMinor === 0) return [];
  const labels = (item.discounts ?? []).map(discountLabel);
  return [
    {
      vatBasisPoints: vatRateBasisPoints(item.vatRate),
      incMinor,
      exMinor: original.ex - total.ex,
      labels: labels.length > 0 ? labels : [{ reference: 'discount', name: 'Discount' }],
    },
  ];
}

/** Cart discounts that no item discount carries (matched on code, reference or name): not yet in any item total. */
function unspreadCartDiscounts(order: NorceOrder): NorceDiscount[] {
  const onItems = new Set(order.cart.items.flatMap((item) => (item.discounts ?? []).flatMap(discountKeys)));
  return (order.cart.discounts ?? []).filter(
    (d) => d.value.includingVat !== 0 && !discountKeys(d).some((key) => onItems.has(key)),
  );
}

/** A cart-level discount spread over the VAT rates of what it discounts, in proportion to their totals. */
function cartDiscountShares(discount: NorceDiscount, order: NorceOrder, currency: string): DiscountShare[] {
  const value = absoluteMinorAmount(discount.value, currency);
  const itemWeights = weightsByRate(order.cart.items.map((i) => ({ vatRate: i.vatRate, total: i.total })), currency);
  const shippingWeights = weightsByRate(activeShippings(order), currency);
  const weights =
    discount.type === 'shipping' && shippingWeights.length > 0
      ? shippingWeights
      : itemWeights.length > 0
        ? itemWeights
        : shippingWeights.length > 0
          ? shippingWeights
          : [{ vatBasisPoints: 0, weight: 1 }];
  const parts = allocateProportionally(value.inc, weights.map((w) => w.weight));
  return weights.map((w, i) => ({
    vatBasisPoints: w.vatBasisPoints,
    incMinor: parts[i]!,
    // Norce's ex-VAT figure only fits when the whole discount sits at one rate.
    exMinor: weights.length === 1 ? value.ex : undefined,
    labels: [discountLabel(discount)],
  }));
}

function weightsByRate(
  lines: readonly { vatRate: number; total: Amount }[],
  currency: string,
): { vatBasisPoints: number; weight: number }[] {
  const byRate = new Map<number, number>();
  for (const line of lines) {
    const inc = toMinor(line.total.includingVat, currency);
    if (inc <= 0) continue;
    const rate = vatRateBasisPoints(line.vatRate);
    byRate.set(rate, (byRate.get(rate) ?? 0) + inc);
  }
  return [...byRate].map(([vatBasisPoints, weight]) => ({ vatBasisPoints, weight }));
}

/**
 * One negative Discount line per VAT rate, carrying that rate (B01): never 0 % on taxed goods, never one averaged line.
 * When discounts span several rates, each line's reference names its rate, so it stays the same whatever the amounts.
 */
function discountDrafts(shares: readonly DiscountShare[]): DraftLine[] {
  const byRate = new Map<number, DiscountShare[]>();
  for (const share of shares) {
    if (share.incMinor !== 0) byRate.set(share.vatBasisPoints, [...(byRate.get(share.vatBasisPoints) ?? []), share]);
  }
  const rateInReference = byRate.size > 1;
  return [...byRate].flatMap(([vatBasisPoints, group]) => {
    const incMinor = sum(group.map((s) => s.incMinor));
    if (incMinor === 0) return [];
    const exParts = group.map((s) => s.exMinor);
    const labels = uniqueBy(group.flatMap((s) => s.labels), (l) => l.reference.toLowerCase());
    return [
      {
        type: 'Discount' as const,
        reference: rateInReference
          ? withReferenceSuffix(cleanItemReference(labels.map((l) => l.reference).join(', ')), ` (VAT ${basisPointsToPercent(vatBasisPoints)})`)
          : cleanItemReference(labels.map((l) => l.reference).join(', ')),
        description: cleanDescription(uniqueBy(labels.map((l) => l.name), (n) => n).join(', '), 'Discount'),
        vatBasisPoints,
        quantity: 1,
        totalMinor: -incMinor,
        norceExVatMinor: exParts.every((e): e is number => e !== undefined) ? -sum(exParts) : undefined,
      },
    ];
  });
}

function discountLabel(discount: NorceDiscount): DiscountLabel {
  return {
    reference: firstNonBlank(discount.code, discount.reference, discount.name) ?? 'discount',
    name: firstNonBlank(discount.name, discount.description, discount.code) ?? 'Discount',
  };
}

function discountKeys(discount: NorceDiscount): string[] {
  return [discount.code, discount.reference, discount.name]
    .filter((k): k is string => firstNonBlank(k) !== undefined)
    .map((k) => k.trim().toLowerCase());
}

/** Shippings that take part in the order total (a removed one does not). */
function activeShippings(order: NorceOrder): NorceShipping[] {
  return (order.shippings ?? []).filter((s) => s.state !== 'removed');
}

function shippingDraft(shipping: NorceShipping, currency: string): DraftLine {
  const total = minorAmount(shipping.total, currency);
  return {
    type: total.inc < 0 ? 'Discount' : 'Shipping',
    reference: cleanItemReference(firstNonBlank(shipping.reference, shipping.id, shipping.name) ?? 'shipping'),
    description: cleanDescription(shipping.name, 'Shipping'),
    vatBasisPoints: vatRateBasisPoints(shipping.vatRate),
    quantity: 1,
    totalMinor: total.inc,
    norceExVatMinor: total.ex,
  };
}

/** A voucher or prepaid payment as a Discount line without VAT: it is a means of payment, not a price reduction. */
function coveringPaymentDraft(payment: NorcePayment, currency: string): DraftLine {
  const amount = -Math.abs(toMinor(payment.amount, currency));
  return {
    type: 'Discount',
    reference: cleanItemReference(payment.id),
    description: cleanDescription(payment.name, payment.type === 'prepaid' ? 'Prepaid' : 'Voucher'),
    vatBasisPoints: 0,
    quantity: 1,
    totalMinor: amount,
    norceExVatMinor: amount,
  };
}

// ---------------------------------------------------------------------------------------------- drafts → Qliro lines

/**
 * A draft as Qliro lines with 2-decimal unit prices that multiply out to its total exactly: one line when the total
 * divides by the quantity, else two lines of the same reference, the first units at `u` and the rest at `u + 0.01`.
 */
function expandDraft(draft: DraftLine, currency: string): QliroOrderLine[] {
  const { quantity, totalMinor } = draft;
  const rest = ((totalMinor % quantity) + quantity) % quantity;
  const unit = (totalMinor - rest) / quantity;
  if (rest === 0) return [qliroLine(draft, quantity, unit, norceUnitExVat(draft), currency)];
  return [qliroLine(draft, quantity - rest, unit, undefined, currency), qliroLine(draft, rest, unit + 1, undefined, currency)];
}

function norceUnitExVat(draft: DraftLine): number | undefined {
  const ex = draft.norceExVatMinor;
  return ex !== undefined && ex % draft.quantity === 0 ? ex / draft.quantity : undefined;
}

function qliroLine(draft: DraftLine, quantity: number, unitMinor: number, norceUnitEx: number | undefined, currency: string): QliroOrderLine {
  return {
    MerchantReference: draft.reference,
    Description: draft.description,
    Type: draft.type,
    Quantity: quantity,
    PricePerItemIncVat: toMajor(unitMinor, currency),
    PricePerItemExVat: toMajor(unitExVat(unitMinor, draft.vatBasisPoints, norceUnitEx), currency),
    VatRate: basisPointsToPercent(draft.vatBasisPoints),
  };
}

/** Norce's own ex-VAT figure when it agrees with the rate to a minor unit, else the one computed from the rate. */
function unitExVat(unitInc: number, vatBasisPoints: number, norceUnitEx: number | undefined): number {
  const computed = excludingVatMinor(unitInc, vatBasisPoints);
  if (norceUnitEx === undefined || vatBasisPoints === 0) return computed;
  const sameSide = unitInc >= 0 ? norceUnitEx >= 0 && norceUnitEx <= unitInc : norceUnitEx <= 0 && norceUnitEx >= unitInc;
  return sameSide && Math.abs(norceUnitEx - computed) <= 1 ? norceUnitEx : computed;
}

/**
 * Qliro identifies a line by reference + unit price, so no two lines may share both. The lines of one draft (a split)
 * keep one reference; a draft that would collide with an earlier one gets " (2)", " (3)", … in order.
 */
function assignDistinctReferences(drafts: readonly QliroOrderLine[][]): QliroOrderLine[] {
  const taken = new Set<string>();
  const keyOf = (reference: string, line: QliroOrderLine) => `${reference.toLowerCase()}|${line.PricePerItemIncVat}`;
  return drafts.flatMap((lines) => {
    const base = lines[0]?.MerchantReference ?? 'item';
    let reference = base;
    for (let n = 2; lines.some((l) => taken.has(keyOf(reference, l))); n++) reference = withReferenceSuffix(base, ` (${n})`);
    lines.forEach((l) => taken.add(keyOf(reference, l)));
    return lines.map((l) => (reference === base ? l : { ...l, MerchantReference: reference }));
  });
}

// ---------------------------------------------------------------------------------------------- small helpers

function minorAmount(amount: Amount, currency: string): MinorAmount {
  return { inc: toMinor(amount.includingVat, currency), ex: toMinor(amount.excludingVat, currency) };
}

/** Discount values are read as reductions whatever sign Norce gave them. */
function absoluteMinorAmount(amount: Amount, currency: string): MinorAmount {
  const { inc, ex } = minorAmount(amount, currency);
  return { inc: Math.abs(inc), ex: Math.abs(ex) };
}

function itemName(item: NorceCartItem, index: number): string {
  return firstNonBlank(item.sku, item.reference, item.id) ?? String(index + 1);
}

function firstNonBlank(...candidates: (string | null | undefined)[]): string | undefined {
  return candidates.find((c): c is string => typeof c === 'string' && c.trim().length > 0);
}

function uniqueBy<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
