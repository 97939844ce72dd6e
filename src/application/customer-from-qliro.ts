// Qliro's customer data → Norce addresses. Masked or missing parts are skipped; email and address apply independently.
import type { NorceAddress, NorceOrder } from '../domain/norce-order';
import type { QliroAddress, QliroCustomer } from '../domain/qliro-order';

/** A value Qliro masked for a recognised customer ("***", "J*** D***") or left empty. */
const usable = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !v.includes('*');

type Address = QliroAddress | null | undefined;

function fromQliroAddress(a: Address, fallbackCountry: string): Partial<NorceAddress> {
  if (!a || typeof a !== 'object') return {};
  const out: Record<string, string> = {};
  const take = (to: keyof NorceAddress, v: unknown) => {
    if (usable(v)) out[to] = v.trim();
  };
  take('givenName', a.FirstName);
  take('familyName', a.LastName);
  take('careOf', a.CareOf);
  take('organizationName', a.CompanyName);
  take('streetAddress', a.Street);
  take('streetAddress2', a.Street2);
  take('postalCode', a.PostalCode);
  take('city', a.City);
  // The country comes from Qliro or from the order, never from a merchant default (B27).
  if (Object.keys(out).length > 0) out['country'] = usable(a.CountryCode) ? a.CountryCode.trim().toUpperCase() : fallbackCountry.toUpperCase();
  return out as Partial<NorceAddress>;
}

function fromQliroCustomer(c: QliroCustomer | null | undefined): Partial<NorceAddress> {
  if (!c || typeof c !== 'object') return {};
  const out: Record<string, string> = {};
  if (usable(c.Email)) out['email'] = c.Email.trim();
  if (usable(c.MobileNumber)) out['phone'] = c.MobileNumber.trim();
  if (usable(c.PersonalNumber)) {
    out[(c.JuridicalType ?? '').toLowerCase() === 'company' ? 'organizationIdentificationNumber' : 'nationalIdentificationNumber'] = c.PersonalNumber.trim();
  }
  if (usable(c.FirstName)) out['givenName'] = c.FirstName.trim();
  if (usable(c.LastName)) out['familyName'] = c.LastName.trim();
  return out as Partial<NorceAddress>;
}

export interface QliroCustomerData {
  readonly Customer?: QliroCustomer | null;
  readonly BillingAddress?: QliroAddress | null;
  readonly ShippingAddress?: QliroAddress | null;
}

export interface CustomerWrites {
  readonly billing?: NorceAddress;
  readonly shipping?: NorceAddress;
  /** Names of the fields that change (never their values): what the caller is told was applied. */
  readonly applied: readonly string[];
}

/** The billing/shipping addresses to write: the current ones with every usable Qliro field laid over them. */
export function customerWrites(order: NorceOrder, qliro: QliroCustomerData): CustomerWrites {
  const contact = fromQliroCustomer(qliro.Customer);
  const billingAddress = fromQliroAddress(qliro.BillingAddress ?? qliro.ShippingAddress, order.country);
  const shippingAddress = fromQliroAddress(qliro.ShippingAddress ?? qliro.BillingAddress, order.country);
  const applied: string[] = [];
  const merge = (kind: 'billing' | 'shipping', current: NorceAddress | undefined, update: Partial<NorceAddress>) => {
    const changed = Object.entries(update).filter(([k, v]) => (current as Record<string, unknown> | undefined)?.[k] !== v);
    if (changed.length === 0) return undefined;
    applied.push(...changed.map(([k]) => `${kind}.${k}`));
    const type = order.customer?.type?.toLowerCase() === 'organization' ? 'Organization' : 'Person';
    return { type, ...current, ...update } as NorceAddress;
  };
  const billing = merge('billing', order.customer?.billing, { ...billingAddress, ...contact });
  const shipping = merge('shipping', order.customer?.shipping, { ...shippingAddress, ...pickContact(contact) });
  return { ...(billing ? { billing } : {}), ...(shipping ? { shipping } : {}), applied };
}

/** The shipping address carries how to reach the receiver, not their identity numbers. */
function pickContact(contact: Partial<NorceAddress>): Partial<NorceAddress> {
  const { email, phone, givenName, familyName } = contact;
  return Object.fromEntries(Object.entries({ email, phone, givenName, familyName }).filter(([, v]) => v !== undefined));
}
