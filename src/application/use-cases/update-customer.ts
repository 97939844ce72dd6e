// POST …/callback/orders/{order_id}/payments/{payment_id}/customer-update — the storefront saw Qliro's customer
// change; read the real data from Qliro (the browser event may be masked) and write it to Norce.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { credentialsOf } from '../checkout-support';
import { findQliroOrderOfPayment } from '../find-qliro-payment';
import { customerWrites } from '../customer-from-qliro';
import { retryOnConflict, step, steps } from '../steps';
import type { PaymentInput } from './get-payment';

export interface CustomerUpdateResult {
  /** Field names written (e.g. `billing.postalCode`), never values; empty when nothing changed. */
  readonly applied: readonly string[];
}

@injectable()
export class UpdateCustomer {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  execute(input: PaymentInput): TaskEither<AdapterError, CustomerUpdateResult> {
    return retryOnConflict(steps(async () => {
      const [config, order] = await Promise.all([step(this.configurations.get(input)), step(this.norce.getOrder(input, input.orderId))]);
      const { qliroOrderId } = await step(async () => findQliroOrderOfPayment(order, input.paymentId));
      const qliroOrder = await step(this.qliro.getOrder(credentialsOf(config), qliroOrderId));
      const writes = customerWrites(order, qliroOrder);
      if (writes.billing) await step(this.norce.putCustomerBilling(input, order.id, writes.billing));
      if (writes.shipping) await step(this.norce.putCustomerShipping(input, order.id, writes.shipping));
      return { applied: writes.applied };
    }));
  }
}
