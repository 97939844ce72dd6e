// Which payments on a Norce order are this adapter's, and what their states allow.
import { ADAPTER_ID, type NorceOrder, type NorcePayment, type PaymentState } from './norce-order';

/** States in which a payment no longer takes part in the order. */
const INACTIVE_STATES: ReadonlySet<PaymentState> = new Set(['removed', 'failed', 'declined', 'cancelled']);

/** States a `remove` may end (no money reserved or moved yet). */
const REMOVABLE_STATES: ReadonlySet<PaymentState> = new Set(['intent', 'failed', 'declined', 'removed']);

export const isQliroPayment = (p: NorcePayment): boolean => p.adapterId === ADAPTER_ID;

export const isActivePayment = (p: NorcePayment): boolean => !INACTIVE_STATES.has(p.state);

export const isRemovable = (p: NorcePayment): boolean => REMOVABLE_STATES.has(p.state);

export const qliroPayments = (order: NorceOrder): readonly NorcePayment[] => (order.payments ?? []).filter(isQliroPayment);

/** The active Qliro payment of the order, if any (there is at most one by construction). */
export const activeQliroPayment = (order: NorceOrder): NorcePayment | undefined =>
  qliroPayments(order).find(isActivePayment);

export const findPayment = (order: NorceOrder, paymentId: string): NorcePayment | undefined =>
  (order.payments ?? []).find((p) => p.id === paymentId);

/** The Qliro OrderId the payment points at (its `reference`), when it has been written. */
export function qliroOrderIdOf(payment: NorcePayment): number | undefined {
  const fromAttributes = payment.attributes?.['qliroOrderId'];
  const raw = payment.reference ?? (typeof fromAttributes === 'number' || typeof fromAttributes === 'string' ? String(fromAttributes) : undefined);
  if (raw === undefined || raw === null || !/^\d{1,18}$/.test(String(raw))) return undefined;
  return Number(raw);
}
