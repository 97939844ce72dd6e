// Applying what Qliro's Admin ledger says about the operations we started: shared by the status push and refresh.
import type { ChannelRef } from '../../domain/channel-configuration';
import type { NorcePayment, PaymentState, TransactionEvent } from '../../domain/norce-order';
import type { QliroAdminOrder, QliroPaymentTransaction } from '../../domain/qliro-admin';
import { isInFlight, reconciledState, type Operation, type StartedOperation } from '../../domain/order-management';
import { decidePayment, type PaymentDecision, type PaymentEvent } from '../../domain/payment-state';
import type { NorceOrderRepository } from '../ports/norce-order-repository';
import type { CheckoutTelemetry } from '../ports/checkout-telemetry';
import { startedOperations, withOperations, type PaymentContext } from '../order-management-support';
import { step } from '../steps';

const OPERATION_OF_TYPE: Record<string, Operation> = { capture: 'capture', refund: 'refund' };
/**
 * The events that lead to a state the ledger supports, in order. Lost pushes can leave the payment two steps behind
 * (reserved while Qliro captured and refunded): the events that do not apply any more are skipped.
 */
const EVENTS_TO_STATE: Partial<Record<PaymentState, readonly PaymentEvent[]>> = {
  captured: ['capture-succeeded'],
  refunded: ['capture-succeeded', 'refund-succeeded'],
  cancelled: ['cancel-succeeded'],
};

export interface Reconciliation {
  readonly payment: NorcePayment;
  readonly changed: boolean;
  /** Operations whose outcome became known now (for follow-ups such as the next refund). */
  readonly settled: readonly StartedOperation[];
  /** The payment event applied, when the state moved. */
  readonly event?: PaymentEvent;
}

/**
 * Brings the recorded operations and the payment state in line with Qliro's ledger, writing the payment once and one
 * Norce transaction per outcome learned. Captures and refunds Qliro knows but we never recorded (a replica died
 * after the Admin call) are adopted; a Reversal we did not ask for is recorded but never read as a cancel.
 */
export async function reconcileOperations(
  norce: NorceOrderRepository,
  telemetry: CheckoutTelemetry,
  ref: ChannelRef,
  ctx: PaymentContext,
  adminOrder: QliroAdminOrder,
): Promise<Reconciliation> {
  const known = startedOperations(ctx.payment);
  const byId = new Map(adminOrder.PaymentTransactions.map((t) => [t.PaymentTransactionId, t]));
  const settled: StartedOperation[] = [];
  const learned: { op: StartedOperation; tx: QliroPaymentTransaction }[] = [];
  const operations = known.map((op) => {
    const tx = byId.get(op.paymentTransactionId);
    if (!tx || tx.Status === op.status) return op;
    const next = { ...op, status: tx.Status };
    if (!isInFlight(tx.Status)) {
      settled.push(next);
      learned.push({ op: next, tx });
    }
    return next;
  });
  const recorded = new Set(known.map((o) => o.paymentTransactionId));
  for (const tx of adminOrder.PaymentTransactions) {
    const operation = OPERATION_OF_TYPE[tx.Type.toLowerCase()];
    if (!operation || recorded.has(tx.PaymentTransactionId)) continue;
    const adopted = { operation, paymentTransactionId: tx.PaymentTransactionId, requestId: 'adopted', status: tx.Status };
    operations.push(adopted);
    if (!isInFlight(tx.Status)) {
      settled.push(adopted);
      learned.push({ op: adopted, tx });
    }
  }
  const cancelRequested = operations.some((o) => o.operation === 'cancel');
  const target = reconciledState(adminOrder, ctx.payment.state, cancelRequested);
  const transitions: Extract<PaymentDecision, { kind: 'transition' }>[] = [];
  let newState = ctx.payment.state;
  let lastEvent: PaymentEvent | undefined;
  for (const event of EVENTS_TO_STATE[target] ?? []) {
    const decision = decidePayment(newState, event);
    if (decision.kind !== 'transition') continue;
    transitions.push(decision);
    newState = decision.to;
    lastEvent = event;
  }
  const opsChanged = JSON.stringify(operations) !== JSON.stringify(known);
  const payment = { ...withOperations(ctx.payment, operations), state: newState };
  if (!opsChanged && newState === ctx.payment.state) return { payment: ctx.payment, changed: false, settled };

  await step(norce.updatePayment(ref, ctx.order.id, payment));
  for (const { op, tx } of learned) {
    const success = tx.Status.toLowerCase() === 'success';
    await step(
      norce.addTransaction(ref, ctx.order.id, ctx.payment.id, {
        event: TRANSACTION_EVENT[op.operation],
        pspEvent: tx.Type,
        pspStatus: tx.Status,
        amount: tx.Amount,
        isSuccess: success,
        ...(success ? {} : { errorDetail: tx.ErrorCodeDescription ?? tx.ErrorCode ?? `Qliro ${tx.Type} ended ${tx.Status}` }),
        responseJson: JSON.stringify({ PaymentTransactionId: tx.PaymentTransactionId, Type: tx.Type, Status: tx.Status, Amount: tx.Amount }),
      }),
    );
  }
  for (const t of transitions) telemetry.paymentTransition(t.from, t.to);
  return { payment, changed: true, settled, ...(lastEvent ? { event: lastEvent } : {}) };
}

const TRANSACTION_EVENT: Record<Operation, TransactionEvent> = { capture: 'capture', refund: 'refund', cancel: 'cancel' };

/** A Reversal Qliro made without our asking (e.g. after an invoice change): recorded for people, never a cancel. */
export async function recordUnrequestedReversal(
  norce: NorceOrderRepository,
  ref: ChannelRef,
  ctx: PaymentContext,
  tx: QliroPaymentTransaction,
): Promise<void> {
  await step(
    norce.addTransaction(ref, ctx.order.id, ctx.payment.id, {
      event: 'paymentAction',
      pspEvent: 'Reversal',
      pspStatus: tx.Status,
      amount: tx.Amount,
      isSuccess: tx.Status.toLowerCase() === 'success',
      errorDetail: 'Qliro reversed money this adapter did not ask to cancel; the payment state is unchanged',
      responseJson: JSON.stringify({ PaymentTransactionId: tx.PaymentTransactionId, Type: tx.Type, Status: tx.Status, Amount: tx.Amount }),
    }),
  );
}
