// Applies a payment event to Norce: the payment's new state, then its transaction (§6).
import type { ChannelRef } from '../domain/channel-configuration';
import type { NewPaymentTransaction, NorceOrder, NorcePayment } from '../domain/norce-order';
import { decidePayment, type PaymentDecision, type PaymentEvent } from '../domain/payment-state';
import type { NorceOrderRepository } from './ports/norce-order-repository';
import type { CheckoutTelemetry } from './ports/checkout-telemetry';
import { step } from './steps';

export interface TransitionRecord {
  readonly transaction: Omit<NewPaymentTransaction, 'amount'> & { amount?: number };
  /** Extra payment fields written with the new state (e.g. the reference when it was missing). */
  readonly paymentPatch?: Partial<NorcePayment>;
}

/**
 * Writes the payment (state first, then its transaction) when the event moves it. The transaction is written
 * after the state so a duplicate that re-reads the payment sees the new state and records nothing.
 */
export async function applyPaymentEvent(
  norce: NorceOrderRepository,
  telemetry: CheckoutTelemetry,
  ref: ChannelRef,
  order: NorceOrder,
  payment: NorcePayment,
  event: PaymentEvent,
  record: TransitionRecord,
): Promise<PaymentDecision> {
  const decision = decidePayment(payment.state, event);
  if (decision.kind !== 'transition') return decision;
  await step(norce.updatePayment(ref, order.id, { ...payment, ...record.paymentPatch, state: decision.to }));
  await step(
    norce.addTransaction(ref, order.id, payment.id, { ...record.transaction, amount: record.transaction.amount ?? payment.amount }),
  );
  telemetry.paymentTransition(decision.from, decision.to);
  return decision;
}
