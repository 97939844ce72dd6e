// Starting a capture, cancel or refund at Qliro exactly once, and recording it on the Norce payment.
import * as TE from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../domain/errors';
import type { ChannelRef } from '../domain/channel-configuration';
import type { QliroAdminOrder, StartedTransactions } from '../domain/qliro-admin';
import { inFlight, isInFlight, type Operation, type StartedOperation } from '../domain/order-management';
import type { NorceOrderRepository } from './ports/norce-order-repository';
import type { QliroAdminGateway } from './ports/qliro-admin-gateway';
import { credentialsOf } from './checkout-support';
import { nextRequestId, startedOperations, withOperations, type PaymentContext } from './order-management-support';
import { step } from './steps';

const ADMIN_TYPE: Record<Operation, string> = { capture: 'Capture', cancel: 'Reversal', refund: 'Refund' };
const PSP_EVENT: Record<Operation, string> = { capture: 'MarkItemsAsShipped', cancel: 'CancelOrder', refund: 'ReturnItems' };

/**
 * Calls Qliro with the RequestId of the next attempt. When Qliro refuses (a parallel replica used the same RequestId,
 * or "another transaction is already in process"), the ledger is read again: a transaction of this kind already under
 * way is adopted instead of failing, so a repeated or parallel request ends in one Admin transaction and a 200.
 *
 * `ledger` is the Admin order as read before the call. Attempts Qliro accepted and finished but the payment never
 * recorded (the Admin call went through, the Norce write after it did not, and its push was lost) count as attempts
 * too; otherwise the next attempt would reuse their RequestId and Qliro would deny it until a refresh adopted them.
 * Unrecorded transactions still in flight are not counted, so replicas racing on one attempt compute one RequestId.
 */
export async function startAdminOperation(
  norce: NorceOrderRepository,
  admin: QliroAdminGateway,
  ref: ChannelRef,
  ctx: PaymentContext,
  operation: Operation,
  amount: number,
  ledger: QliroAdminOrder,
  call: (requestId: string) => TE.TaskEither<AdapterError, StartedTransactions>,
): Promise<readonly StartedOperation[]> {
  const known = new Set(startedOperations(ctx.payment).map((o) => o.paymentTransactionId));
  const endedUnrecorded = (order: QliroAdminOrder) =>
    order.PaymentTransactions.filter((t) => t.Type.toLowerCase() === ADMIN_TYPE[operation].toLowerCase() && !known.has(t.PaymentTransactionId) && !isInFlight(t.Status)).length;
  const requestId = nextRequestId(ctx.payment, operation, endedUnrecorded(ledger));
  const started = await step(
    TE.orElse((error: AdapterError) =>
      error.transient
        ? TE.left(error)
        : TE.chain((order: QliroAdminOrder) => {
            const running = inFlight(order, ADMIN_TYPE[operation]);
            if (running.length > 0) {
              return TE.right<AdapterError, StartedTransactions>({ PaymentTransactions: running.map((t) => ({ PaymentTransactionId: t.PaymentTransactionId, Status: t.Status })) });
            }
            // The attempt this RequestId names ended between our read and our call: the retry takes the next one.
            if (endedUnrecorded(order) > endedUnrecorded(ledger)) {
              return TE.left<AdapterError, StartedTransactions>(
                adapterError('qliro-error', `an earlier ${operation} attempt ended at Qliro just now; retry the request`, {
                  transient: true,
                  ...(error.qliroError ? { qliroError: error.qliroError } : {}),
                }),
              );
            }
            return TE.left(explainRefusal(error));
          })(admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId)),
    )(call(requestId)),
  );
  const records: StartedOperation[] = started.PaymentTransactions.filter((t) => !known.has(t.PaymentTransactionId)).map((t) => ({
    operation,
    paymentTransactionId: t.PaymentTransactionId,
    requestId,
    status: t.Status,
  }));
  if (records.length === 0) return [];
  await step(norce.updatePayment(ref, ctx.order.id, withOperations(ctx.payment, [...startedOperations(ctx.payment), ...records])));
  await step(
    norce.addTransaction(ref, ctx.order.id, ctx.payment.id, {
      event: operation,
      pspEvent: PSP_EVENT[operation],
      pspStatus: 'Created',
      amount,
      isSuccess: true,
      responseJson: JSON.stringify({ PaymentTransactions: records.map((r) => ({ PaymentTransactionId: r.paymentTransactionId, Status: r.status })) }),
    }),
  );
  return records;
}

/** Qliro's "on hold" and "in process" are waits, not failures: the caller is told to retry later (B36). */
function explainRefusal(error: AdapterError): AdapterError {
  if (error.qliroError?.ErrorCode === 'PAYMENT_ONHOLD') {
    return { ...error, code: 'payment-conflict', message: 'the payment is on hold at Qliro (credit assessment); retry later' };
  }
  // "Another transaction is already in process. Please retry shortly": a wait, not a bad request.
  if (error.qliroError?.ErrorCode === 'OPERATION_NOT_SUPPORTED' && /already in process/i.test(error.qliroError.ErrorMessage ?? '')) {
    return { ...error, code: 'payment-conflict', message: 'another operation on this order is in process at Qliro; retry shortly' };
  }
  return error;
}
