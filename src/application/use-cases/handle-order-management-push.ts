// POST /api/checkout/v1/callback/orders/{order_id}/payments/{payment_id}/status — Qliro's order-management status push.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import type { QliroOrderManagementPush } from '../../domain/qliro-admin';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroAdminGatewayToken, type QliroAdminGateway } from '../ports/qliro-admin-gateway';
import { CheckoutTelemetryToken, type CheckoutTelemetry } from '../ports/checkout-telemetry';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf } from '../checkout-support';
import { loadPaymentContext, startedOperations } from '../order-management-support';
import { recordUnrequestedReversal, reconcileOperations } from './reconcile-operations';
import { startNextReturn } from './refund-payment';
import { fail, retryOnConflict, step, steps } from '../steps';
import type { PushResult } from './handle-checkout-status-push';

export interface OrderManagementPushInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
  readonly push: QliroOrderManagementPush;
}

@injectable()
export class HandleOrderManagementPush {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroAdminGatewayToken) private readonly admin: QliroAdminGateway,
    @inject(CheckoutTelemetryToken) private readonly telemetry: CheckoutTelemetry,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  execute(input: OrderManagementPushInput): TaskEither<AdapterError, PushResult> {
    return this.lock.run(
      input.orderId,
      retryOnConflict(steps(async (): Promise<PushResult> => {
        const ctx = await loadPaymentContext(this.norce, this.configurations, input);
        if (ctx.qliroOrderId !== input.push.OrderId) {
          fail(adapterError('order-bad-request', `status push names Qliro order ${input.push.OrderId}, payment ${ctx.payment.id} is Qliro order ${ctx.qliroOrderId}`));
        }
        // The push is a hint: the ledger says what happened to the transaction.
        const adminOrder = await step(this.admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId));
        const tx = adminOrder.PaymentTransactions.find((t) => t.PaymentTransactionId === input.push.PaymentTransactionId);
        if (!tx) fail(adapterError('order-bad-request', `Qliro order ${ctx.qliroOrderId} has no payment transaction ${input.push.PaymentTransactionId}`));
        const ours = startedOperations(ctx.payment).find((o) => o.paymentTransactionId === tx.PaymentTransactionId);
        if (!ours && tx.Type.toLowerCase() === 'reversal') {
          await recordUnrequestedReversal(this.norce, input, ctx, tx);
          return { outcome: 'no-op', why: 'stale' };
        }
        const result = await reconcileOperations(this.norce, this.telemetry, input, ctx, adminOrder);
        // Refunds run one capture at a time: a finished return starts the next while the payment is not yet refunded.
        const refundDone = result.settled.some((o) => o.operation === 'refund' && o.status.toLowerCase() === 'success');
        if (refundDone && result.payment.state === 'captured') {
          await startNextReturn(this.norce, this.admin, input, { ...ctx, payment: result.payment });
        }
        if (!result.changed) return { outcome: 'no-op', why: 'duplicate' };
        return result.event ? { outcome: 'applied', event: result.event } : { outcome: 'applied' };
      })),
    );
  }
}
