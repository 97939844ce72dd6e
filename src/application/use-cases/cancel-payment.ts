// POST /api/order/v1/orders/{order_id}/payments/{payment_id}/cancel — release the reservation while nothing is captured.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import { isInFlight, ledgerTotals } from '../../domain/order-management';
import { toMajor } from '../../domain/money';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroAdminGatewayToken, type QliroAdminGateway } from '../ports/qliro-admin-gateway';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf } from '../checkout-support';
import { loadPaymentContext, startedOperations } from '../order-management-support';
import { startAdminOperation } from '../start-admin-operation';
import { fail, step, steps } from '../steps';
import type { PaymentInput } from './get-payment';
import type { OperationAnswer } from './capture-payment';

@injectable()
export class CancelPayment {
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
        const { payment } = ctx;
        if (payment.state === 'cancelled') return answer;
        if (payment.state === 'pending') fail(adapterError('payment-conflict', 'the payment is on hold at Qliro; retry the cancel later'));
        if (payment.state !== 'reserved') {
          fail(adapterError('payment-conflict', `payment ${payment.id} is ${payment.state}; only a reserved payment with nothing captured can be cancelled (refund a captured one)`));
        }
        const ops = startedOperations(payment);
        if (ops.some((o) => o.operation === 'cancel' && isInFlight(o.status))) return answer;
        if (ops.some((o) => o.operation === 'capture' && (isInFlight(o.status) || o.status.toLowerCase() === 'success'))) {
          fail(adapterError('payment-conflict', 'a capture has been started for this payment; it can no longer be cancelled'));
        }
        const adminOrder = await step(this.admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId));
        const totals = ledgerTotals(adminOrder);
        if (totals.capturedMinor > 0) fail(adapterError('payment-conflict', 'Qliro has already captured part of this order; refund it instead of cancelling'));
        await startAdminOperation(this.norce, this.admin, input, ctx, 'cancel', toMajor(totals.reservedMinor - totals.releasedMinor, adminOrder.Currency), adminOrder, (RequestId) =>
          this.admin.cancelOrder(credentialsOf(ctx.config), { RequestId, OrderId: ctx.qliroOrderId }),
        );
        return answer;
      }),
    );
  }
}
