// POST …/callback/orders/{order_id}/payments/{payment_id}/cart-changed (also update-payment) — an NCO hook:
// the cart or shippings are about to change; keep the Qliro order and our payment's amount in step.
import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import type { NorceOrder } from '../../domain/norce-order';
import { isActivePayment, isQliroPayment, qliroOrderIdOf } from '../../domain/qliro-payment';
import { toQliroOrderLines } from '../../domain/qliro-order-lines';
import { CART_LOCKED_STATES } from '../../domain/payment-state';
import { toMinor } from '../../domain/money';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { credentialsOf, qliroOwnsShipping } from '../checkout-support';
import { fail, step, steps } from '../steps';

export interface CartChangedInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
  /** The order as it will be once NCO commits the change. */
  readonly proposed: NorceOrder;
}

export interface PatchOperation {
  readonly op: 'replace';
  readonly path: string;
  readonly value: unknown;
}

@injectable()
export class HandleCartChanged {
  constructor(
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  execute(input: CartChangedInput): TaskEither<AdapterError, PatchOperation[]> {
    return steps(async () => {
      const payments = input.proposed.payments ?? [];
      const index = payments.findIndex((p) => p.id === input.paymentId);
      const payment = payments[index];
      // Not (or no longer) our active payment: the change is none of our business.
      if (!payment || !isQliroPayment(payment) || !isActivePayment(payment)) return [];
      if (CART_LOCKED_STATES.has(payment.state)) {
        fail(
          adapterError(
            'payment-conflict',
            `payment ${payment.id} is ${payment.state}: the purchase is completed or being validated, so the cart cannot change under it`,
          ),
        );
      }
      if (payment.currency && payment.currency.toUpperCase() !== input.proposed.currency.toUpperCase()) {
        // A Qliro order never changes currency (B25): the storefront removes this checkout and creates a new one.
        fail(adapterError('payment-conflict', `the order currency changed from ${payment.currency} to ${input.proposed.currency}; remove this Qliro payment and create a new one`));
      }
      const config = await step(this.configurations.get(input));
      const mapped = await step(async () =>
        toQliroOrderLines(input.proposed, { mapDiscountPerRow: config.mapDiscountPerRow, qliroOwnsShipping: qliroOwnsShipping(config) }, payment.id),
      );
      const qliroOrderId = qliroOrderIdOf(payment);
      if (qliroOrderId !== undefined) {
        // UpdateOrder replaces the lines; Qliro refuses it once the order left InProcess or expired.
        await step(TE.mapLeft(explainUpdateRefusal)(this.qliro.updateOrder(credentialsOf(config), qliroOrderId, { OrderItems: mapped.lines })));
      }
      const currency = input.proposed.currency;
      return toMinor(payment.amount, currency) === mapped.amountToCoverMinor
        ? []
        : [{ op: 'replace' as const, path: `/payments/${index}/amount`, value: mapped.amountToCover }];
    });
  }
}

/** Qliro's refusals of an UpdateOrder, in the hook's words (BEHAVIOUR §5: 400 payment-conflict / qliro-order-expired). */
function explainUpdateRefusal(e: AdapterError): AdapterError {
  if (e.code === 'qliro-order-expired') return e;
  if (e.code === 'qliro-bad-request' && e.qliroError?.ErrorCode === 'OPERATION_NOT_SUPPORTED') {
    return adapterError('payment-conflict', 'Qliro no longer accepts changes to this order (the purchase has started or finished)', { qliroError: e.qliroError });
  }
  return e;
}
