// POST …/callback/orders/{order_id}/payments/{payment_id}/state-changed — an NCO hook: veto what the payment cannot honour.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import type { NorceOrder } from '../../domain/norce-order';
import { isActivePayment, isQliroPayment, qliroOrderIdOf } from '../../domain/qliro-payment';
import { PAYMENT_STATES_WITH_MONEY, STATES_NEEDING_MONEY } from '../../domain/payment-state';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { credentialsOf } from '../checkout-support';
import { fail, step, steps } from '../steps';
import type { PatchOperation } from './handle-cart-changed';

export interface StateChangedInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
  readonly proposed: NorceOrder;
}

@injectable()
export class HandleStateChanged {
  constructor(
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  execute(input: StateChangedInput): TaskEither<AdapterError, PatchOperation[]> {
    return steps(async () => {
      const payments = input.proposed.payments ?? [];
      const index = payments.findIndex((p) => p.id === input.paymentId);
      const payment = payments[index];
      if (!payment || !isQliroPayment(payment) || !isActivePayment(payment)) return [];
      const target = input.proposed.state.currentStatus;
      if (STATES_NEEDING_MONEY.has(target) && !PAYMENT_STATES_WITH_MONEY.has(payment.state)) {
        fail(adapterError('payment-conflict', `the order cannot become ${target} while the Qliro payment is ${payment.state}: Qliro has not reserved the money`));
      }
      // Back to checkout after a validation: the shopper may change the cart again, if Qliro still lets them.
      if (target === 'checkout' && payment.state === 'processing') {
        const qliroOrderId = qliroOrderIdOf(payment);
        if (qliroOrderId !== undefined) {
          const config = await step(this.configurations.get(input));
          const qliroOrder = await step(this.qliro.getOrder(credentialsOf(config), qliroOrderId));
          if (qliroOrder.CustomerCheckoutStatus.toLowerCase() !== 'inprocess') {
            fail(adapterError('payment-conflict', `the Qliro purchase is ${qliroOrder.CustomerCheckoutStatus}; the order cannot go back to checkout`));
          }
        }
        return [{ op: 'replace', path: `/payments/${index}/state`, value: 'intent' }];
      }
      return [];
    });
  }
}
