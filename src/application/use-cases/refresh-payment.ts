// POST /api/order/v1/orders/{order_id}/payments/{payment_id}/refresh — reconcile with Qliro's ledger and publish actions.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import { ADAPTER_ID } from '../../domain/norce-order';
import { possibleOperations } from '../../domain/order-management';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroAdminGatewayToken, type QliroAdminGateway } from '../ports/qliro-admin-gateway';
import { CheckoutTelemetryToken, type CheckoutTelemetry } from '../ports/checkout-telemetry';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf } from '../checkout-support';
import { loadPaymentContext } from '../order-management-support';
import { reconcileOperations } from './reconcile-operations';
import { step, steps } from '../steps';
import type { PaymentInput } from './get-payment';

export interface RefreshAnswer {
  readonly paymentId: string;
  readonly state: string;
  readonly actions: readonly string[];
}

@injectable()
export class RefreshPayment {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroAdminGatewayToken) private readonly admin: QliroAdminGateway,
    @inject(CheckoutTelemetryToken) private readonly telemetry: CheckoutTelemetry,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  execute(input: PaymentInput): TaskEither<AdapterError, RefreshAnswer> {
    return this.lock.run(
      input.orderId,
      steps(async () => {
        const ctx = await loadPaymentContext(this.norce, this.configurations, input);
        const adminOrder = await step(this.admin.getOrder(credentialsOf(ctx.config), ctx.qliroOrderId));
        const { payment } = await reconcileOperations(this.norce, this.telemetry, input, ctx, adminOrder);
        const base = ctx.config.adapter.publicUrl.replace(/\/+$/, '');
        const path = `/api/order/v1/orders/${encodeURIComponent(ctx.order.id)}/payments/${encodeURIComponent(payment.id)}`;
        const actions = possibleOperations(payment.state).map((type) => ({ adapterId: ADAPTER_ID, type, url: `${base}${path}/${type}` }));
        const current = (payment.actions ?? []).map((a) => `${a.type} ${a.url}`).sort();
        if (JSON.stringify(current) !== JSON.stringify(actions.map((a) => `${a.type} ${a.url}`).sort())) {
          // The whole list is replaced (PUT of the payment), so an action that no longer applies disappears.
          await step(this.norce.updatePayment(input, ctx.order.id, { ...payment, actions }));
        }
        return { paymentId: payment.id, state: payment.state, actions: actions.map((a) => a.type) };
      }),
    );
  }
}
