// What Qliro's Admin ledger says about money: what is still reserved, what was shipped per capture, what moved.
import { toMinor } from './money';
import type { QliroAdminItem, QliroAdminOrder, QliroPaymentTransaction } from './qliro-admin';
import type { PaymentState } from './norce-order';

export type Operation = 'capture' | 'cancel' | 'refund';

/** A transaction this adapter started, as recorded on the Norce payment's attributes. */
export interface StartedOperation {
  readonly operation: Operation;
  readonly paymentTransactionId: number;
  readonly requestId: string;
  /** Qliro's status as last learned: `Created` until a push (or refresh) says `Success` or `Error`. */
  readonly status: string;
}

const IN_FLIGHT = new Set(['created', 'inprocess', 'onhold', 'userinteractionrequired']);
export const isInFlight = (status: string): boolean => IN_FLIGHT.has(status.toLowerCase());
const isSuccess = (t: QliroPaymentTransaction) => t.Status.toLowerCase() === 'success';
const ofType = (...types: string[]) => (t: QliroPaymentTransaction) => types.includes(t.Type.toLowerCase());

const itemKey = (i: { MerchantReference: string; PricePerItemIncVat: number; Type: string }, currency: string) =>
  `${i.MerchantReference}\u001f${toMinor(i.PricePerItemIncVat, currency)}\u001f${i.Type.toLowerCase()}`;

/** Σ quantity per item over the actions of some transactions, keeping one sample of each item. */
function tally(order: QliroAdminOrder, actionType: string, txIds: ReadonlySet<number>): Map<string, { item: QliroAdminItem; quantity: number }> {
  const out = new Map<string, { item: QliroAdminItem; quantity: number }>();
  for (const a of order.OrderItemActions) {
    if (a.ActionType.toLowerCase() !== actionType || !txIds.has(a.PaymentTransactionId)) continue;
    const key = itemKey(a, order.Currency);
    const entry = out.get(key) ?? { item: { MerchantReference: a.MerchantReference, Type: a.Type, Quantity: 0, PricePerItemIncVat: a.PricePerItemIncVat, ...(a.PricePerItemExVat != null ? { PricePerItemExVat: a.PricePerItemExVat } : {}) }, quantity: 0 };
    entry.quantity += a.Quantity;
    out.set(key, entry);
  }
  return out;
}

function subtract(
  base: Map<string, { item: QliroAdminItem; quantity: number }>,
  ...minus: Map<string, { item: QliroAdminItem; quantity: number }>[]
): QliroAdminItem[] {
  return [...base]
    .map(([key, { item, quantity }]) => ({ ...item, Quantity: quantity - minus.reduce((s, m) => s + (m.get(key)?.quantity ?? 0), 0) }))
    .filter((i) => i.Quantity > 0);
}

const idsOf = (txs: readonly QliroPaymentTransaction[]) => new Set(txs.map((t) => t.PaymentTransactionId));

/** Per successful Preauthorization/Debit: the items reserved and neither shipped nor released yet. */
export function unshippedItems(order: QliroAdminOrder): { paymentTransactionId: number; items: QliroAdminItem[] }[] {
  const txs = order.PaymentTransactions;
  return txs
    .filter((t) => isSuccess(t) && ofType('preauthorization', 'debit')(t))
    .map((p) => {
      const children = txs.filter((t) => t.OriginalPaymentTransactionId === p.PaymentTransactionId && isSuccess(t));
      const reserved = tally(order, 'reserve', new Set([p.PaymentTransactionId]));
      const shipped = tally(order, 'ship', idsOf(children.filter(ofType('capture'))));
      const released = tally(order, 'release', idsOf(children.filter(ofType('reversal'))));
      return { paymentTransactionId: p.PaymentTransactionId, items: subtract(reserved, shipped, released) };
    })
    .filter((s) => s.items.length > 0);
}

/** Per successful Capture, oldest first: the items shipped by it and not returned yet. */
export function refundableItems(order: QliroAdminOrder): { paymentTransactionId: number; items: QliroAdminItem[] }[] {
  const txs = order.PaymentTransactions;
  return txs
    .filter((t) => isSuccess(t) && ofType('capture')(t))
    .sort((a, b) => a.PaymentTransactionId - b.PaymentTransactionId)
    .map((c) => {
      const refunds = txs.filter((t) => t.OriginalPaymentTransactionId === c.PaymentTransactionId && isSuccess(t) && ofType('refund')(t));
      return { paymentTransactionId: c.PaymentTransactionId, items: subtract(tally(order, 'ship', new Set([c.PaymentTransactionId])), tally(order, 'return', idsOf(refunds))) };
    })
    .filter((s) => s.items.length > 0);
}

/** Transactions of a type still waiting for their outcome. */
export const inFlight = (order: QliroAdminOrder, type: string): QliroPaymentTransaction[] =>
  order.PaymentTransactions.filter((t) => ofType(type.toLowerCase())(t) && isInFlight(t.Status));

export interface LedgerTotals {
  readonly reservedMinor: number;
  readonly capturedMinor: number;
  readonly refundedMinor: number;
  readonly releasedMinor: number;
}

export function ledgerTotals(order: QliroAdminOrder): LedgerTotals {
  const sum = (...types: string[]) =>
    order.PaymentTransactions.filter((t) => isSuccess(t) && ofType(...types)(t)).reduce((s, t) => s + toMinor(t.Amount, order.Currency), 0);
  return { reservedMinor: sum('preauthorization', 'debit'), capturedMinor: sum('capture', 'debit'), refundedMinor: sum('refund'), releasedMinor: sum('reversal') };
}

/**
 * The payment state Qliro's ledger supports, from a state that already holds money (reserved, captured, refunded).
 * A Reversal counts as a cancel only when this adapter asked for one (`cancelRequested`): Qliro also reverses for
 * other reasons (e.g. invoice changes), and reading those as a cancel would lose a paid order.
 */
export function reconciledState(order: QliroAdminOrder, current: PaymentState, cancelRequested: boolean): PaymentState {
  const t = ledgerTotals(order);
  const unshipped = unshippedItems(order).length > 0;
  if (t.capturedMinor > 0 && !unshipped) return t.refundedMinor >= t.capturedMinor ? 'refunded' : 'captured';
  if (t.capturedMinor === 0 && cancelRequested && t.releasedMinor > 0 && !unshipped) return 'cancelled';
  return current;
}

/**
 * Qliro's `RequestId` for the n-th attempt of an operation on a payment: a GUID derived (SHA-256) from the payment
 * and the operation, so every replica computes the same one and Qliro denies the second of two parallel calls.
 */
export function operationRequestId(hash: (text: string) => string, paymentId: string, operation: Operation, attempt: number): string {
  const h = hash(`${paymentId}|${operation}|${attempt}`);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Which follow-up operations a payment in this state offers (published as Norce payment actions). */
export function possibleOperations(state: PaymentState): Operation[] {
  switch (state) {
    case 'reserved':
      return ['capture', 'cancel'];
    case 'captured':
      return ['refund'];
    default:
      return [];
  }
}
