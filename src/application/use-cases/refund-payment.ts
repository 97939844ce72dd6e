// POST /api/order/v1/orders/{order_id}/payments/{payment_id}/refund — return what was captured, one capture at a time.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import { isInFlight, ledgerTotals, refundableItems } from '../../domain/order-management';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroAdminGatewayToken, type QliroAdminGateway } from '../ports/qliro-admin-gateway';
import { OrderLock, OrderLockToken } from '../order-lock';
import { loadPaymentContext, startedOperations, type PaymentContext } from '../order-management-support';
import { credentialsOf } from '../checkout-support';
import { startAdminOperation } from '../start-admin-operation';
import { fail, step, steps } from '../steps';
import type { ChannelRef } from '../../domain/channel-configuration';
import type { PaymentInput } from './get-payment';
import type { OperationAnswer } from './capture-payment';

/**
 * Starts the ReturnItems of the oldest capture that still has items to return. Only one return runs at a time:
 * Qliro rejects concurrent reversals on one order, so the next one starts when this one's Success push arrives.
 * Says `all-returned` when nothing is left to return because Qliro has refunded it (a retried request whose first
 * attempt went through: the push or refresh brings the payment state along), `nothing-captured` when there was never
 * anything to return.
 */
export async function startNextReturn(
  norce: NorceOrderRepository,
  admin: QliroAdminGateway,
  ref: ChannelRef,
  ctx: PaymentContext,
): Promise<'started' | 'all-returned' | 'nothing-captured'> {
  const adminOrder = await step(admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId));
  const [next] = refundableItems(adminOrder);
  if (!next) return ledgerTotals(adminOrder).refundedMinor > 0 ? 'all-returned' : 'nothing-captured';
  const amount = Math.round(next.items.reduce((s, i) => s + Math.round(i.PricePerItemIncVat * 100) * i.Quantity, 0)) / 100;
  await startAdminOperation(norce, admin, ref, ctx, 'refund', amount, adminOrder, (RequestId) =>
    admin.returnItems(credentialsOf(ctx.config), {
      RequestId,
      OrderId: ctx.qliroOrderId,
      Currency: adminOrder.Currency,
      Returns: [{ PaymentTransactionId: next.paymentTransactionId, OrderItems: next.items }],
    }),
  );
  return 'started';
}

@injectable()
export class RefundPayment {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroAdminGatewayToken) private readonly admin: QliroAdminGateway,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  execute(input: PaymentInput): TaskEither<AdapterError, OperationAnswer> {
    return this.lock.run(
      input.orderId,
      steps(async () => {
        const answer = { paymentId: input.paymentId, htmlSnippet: '' };
        const ctx = await loadPaymentContext(this.norce, this.configurations, input);
        if (ctx.payment.state === 'refunded') return answer;
        if (ctx.payment.state !== 'captured') fail(adapterError('payment-conflict', `payment ${ctx.payment.id} is ${ctx.payment.state}; only a captured payment can be refunded`));
        if (startedOperations(ctx.payment).some((o) => o.operation === 'refund' && isInFlight(o.status))) return answer;
        const started = await startNextReturn(this.norce, this.admin, input, ctx);
        if (started === 'nothing-captured') fail(adapterError('payment-conflict', 'nothing captured is left to refund at Qliro'));
        return answer;
      }),
    );
  }
}
