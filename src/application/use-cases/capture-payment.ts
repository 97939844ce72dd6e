// POST /api/order/v1/orders/{order_id}/payments/{payment_id}/capture — ship (capture) everything reserved and not shipped.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import { isInFlight, ledgerTotals, unshippedItems } from '../../domain/order-management';
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

export interface OperationAnswer {
  readonly paymentId: string;
  /** The seed answers order management with the checkout answer's shape; there is no snippet to show here. */
  readonly htmlSnippet: string;
}

@injectable()
export class CapturePayment {
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
        if (payment.state === 'captured' || payment.state === 'refunded') return answer;
        if (payment.state === 'pending') {
          fail(adapterError('payment-conflict', 'the payment is on hold at Qliro (credit assessment); retry the capture later'));
        }
        if (payment.state !== 'reserved') fail(adapterError('payment-conflict', `payment ${payment.id} is ${payment.state}; only a reserved payment can be captured`));
        // One capture in flight is enough: the repeated request makes no second Admin call.
        if (startedOperations(payment).some((o) => o.operation === 'capture' && isInFlight(o.status))) return answer;
        if (startedOperations(payment).some((o) => o.operation === 'cancel' && (isInFlight(o.status) || o.status.toLowerCase() === 'success'))) {
          fail(adapterError('payment-conflict', 'a cancel has been started for this payment; it can no longer be captured'));
        }

        const adminOrder = await step(this.admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId));
        const shipments = unshippedItems(adminOrder);
        if (shipments.length === 0) {
          const captured = ledgerTotals(adminOrder).capturedMinor > 0;
          if (captured) return answer; // already shipped at Qliro; refresh brings the payment state along
          fail(adapterError('payment-conflict', 'nothing is left to capture at Qliro for this order'));
        }
        const amount = toMajor(
          shipments.flatMap((s) => s.items).reduce((sum, i) => sum + Math.round(i.PricePerItemIncVat * 100) * i.Quantity, 0),
          adminOrder.Currency,
        );
        await startAdminOperation(this.norce, this.admin, input, ctx, 'capture', amount, adminOrder, (RequestId) =>
          this.admin.markItemsAsShipped(credentialsOf(ctx.config), {
            RequestId,
            OrderId: ctx.qliroOrderId,
            Currency: adminOrder.Currency,
            Shipments: shipments.map((s) => ({ PaymentTransactionId: s.paymentTransactionId, OrderItems: s.items })),
          }),
        );
        return answer;
      }),
    );
  }
}
