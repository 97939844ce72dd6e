// Does the Qliro order the shopper is about to buy match the Norce order? (validate callback, BEHAVIOUR §5)
import { formatMinor, toMinor } from './money';
import type { MappedQliroOrder } from './qliro-order-lines';

/** The part of a Qliro order the match looks at (names as in Qliro's validation body). */
export interface QliroOrderToMatch {
  readonly Currency?: string | null;
  readonly OrderItems: readonly {
    readonly MerchantReference: string;
    readonly Type?: string | null;
    readonly Quantity: number;
    readonly PricePerItemIncVat: number;
  }[];
}

export type OrderMismatch =
  | { readonly kind: 'currency'; readonly detail: string }
  | { readonly kind: 'items'; readonly detail: string }
  | { readonly kind: 'total'; readonly detail: string };

const lineKey = (reference: string, quantity: number, priceMinor: number): string =>
  `${reference.trim().toLowerCase()}|${quantity}|${priceMinor}`;

/**
 * Compares what Qliro will charge with what the current Norce order gives (§4). Shipping lines Qliro
 * added itself are allowed only when Qliro owns shipping; every other line must be one we would send.
 */
export function matchQliroOrder(
  expected: MappedQliroOrder,
  qliro: QliroOrderToMatch,
  norceCurrency: string,
  qliroOwnsShipping: boolean,
): OrderMismatch | undefined {
  if ((qliro.Currency ?? '').toUpperCase() !== norceCurrency.toUpperCase()) {
    return { kind: 'currency', detail: `Qliro order currency ${qliro.Currency ?? 'missing'} differs from the Norce order currency ${norceCurrency}` };
  }
  const isQliroShipping = (type: string | null | undefined) => qliroOwnsShipping && (type ?? '').toLowerCase() === 'shipping';
  const charged = qliro.OrderItems.filter((i) => !isQliroShipping(i.Type));
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const want = count(expected.lines.map((l) => lineKey(l.MerchantReference, l.Quantity, toMinor(l.PricePerItemIncVat, norceCurrency))));
  const got = count(charged.map((i) => lineKey(i.MerchantReference, i.Quantity, toMinor(i.PricePerItemIncVat, norceCurrency))));
  const shown = new Map([...expected.lines, ...charged].map((l) => [l.MerchantReference.trim().toLowerCase(), l.MerchantReference]));
  const name = (key: string) => shown.get(key.split('|')[0]!) ?? key;
  const missing = [...want].filter(([k, n]) => (got.get(k) ?? 0) < n).map(([k]) => name(k));
  const extra = [...got].filter(([k, n]) => (want.get(k) ?? 0) < n).map(([k]) => name(k));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length > 0 && `not in the Qliro order: ${missing.join(', ')}`, extra.length > 0 && `not in the Norce order: ${extra.join(', ')}`];
    return { kind: 'items', detail: `order lines differ (${parts.filter(Boolean).join('; ')})` };
  }
  const chargedMinor = charged.reduce((s, i) => s + toMinor(i.PricePerItemIncVat, norceCurrency) * i.Quantity, 0);
  const expectedMinor = expected.amountToCoverMinor - (qliroOwnsShipping ? expected.qliroOwnedShippingMinor : 0);
  if (chargedMinor !== expectedMinor) {
    return {
      kind: 'total',
      detail: `Qliro total ${formatMinor(chargedMinor, norceCurrency)} differs from the Norce amount to cover ${formatMinor(expectedMinor, norceCurrency)}`,
    };
  }
  return undefined;
}
