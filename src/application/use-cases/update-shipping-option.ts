// POST …/callback/orders/{order_id}/payments/{payment_id}/shipping-option-update — the shopper chose a delivery
// in Qliro's checkout: one Norce shipping owned by this adapter carries it, and the payment amount follows.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import { ADAPTER_ID, type Amount, type NewNorceShipping } from '../../domain/norce-order';
import { isActivePayment } from '../../domain/qliro-payment';
import { amountToCoverMinor } from '../../domain/qliro-order-lines';
import { CART_LOCKED_STATES } from '../../domain/payment-state';
import { toMajor, toMinor } from '../../domain/money';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { credentialsOf, qliroOwnsShipping } from '../checkout-support';
import { qliroOrderIdOf } from '../../domain/qliro-payment';
import { toQliroOrderLines } from '../../domain/qliro-order-lines';
import { findQliroPayment } from '../find-qliro-payment';
import { fail, retryOnConflict, step, steps } from '../steps';
import type { PaymentInput } from './get-payment';

/** The shopper's choice, whichever shape the storefront forwarded it in (see the HTTP codec). */
export interface ShippingSelection {
  readonly method: string;
  readonly methodName?: string;
  /** Pickup point or other secondary option id. */
  readonly secondaryOption?: string;
  readonly total: Amount;
  readonly pickupLocation?: { readonly name?: string; readonly address?: readonly string[] };
  readonly additionalServices?: readonly string[];
}

export interface ShippingOptionInput extends PaymentInput {
  readonly selection: ShippingSelection;
}

@injectable()
export class UpdateShippingOption {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  execute(input: ShippingOptionInput): TaskEither<AdapterError, { shippingId: string; amount: number }> {
    return retryOnConflict(steps(async () => {
      const order = await step(this.norce.getOrder(input, input.orderId));
      const payment = await step(async () => findQliroPayment(order, input.paymentId));
      if (!isActivePayment(payment) || CART_LOCKED_STATES.has(payment.state)) {
        fail(adapterError('payment-conflict', `payment ${payment.id} is ${payment.state}: the delivery can no longer change`));
      }
      const shipping = toNorceShipping(input.selection, order.currency);
      const ours = (order.shippings ?? []).find((s) => s.adapterId === ADAPTER_ID && s.state !== 'removed' && s.id);
      const shippingId = ours
        ? (await step(this.norce.updateShipping(input, order.id, { ...ours, ...shipping, id: ours.id! })), ours.id!)
        : await step(this.norce.createShipping(input, order.id, shipping));
      // Re-read: the order total now includes the new shipping; the payment covers what vouchers leave.
      const updated = await step(this.norce.getOrder(input, input.orderId));
      const current = await step(async () => findQliroPayment(updated, input.paymentId));
      const amount = toMajor(amountToCoverMinor(updated, current.id), updated.currency);
      // Our own write does not trigger our cart hook (x-adapterid): when the shipping is one of our lines, Qliro hears it here.
      const config = await step(this.configurations.get(input));
      const qliroOrderId = qliroOrderIdOf(current);
      if (!qliroOwnsShipping(config) && qliroOrderId !== undefined) {
        const mapped = await step(async () => toQliroOrderLines(updated, { mapDiscountPerRow: config.mapDiscountPerRow, qliroOwnsShipping: false }, current.id));
        await step(this.qliro.updateOrder(credentialsOf(config), qliroOrderId, { OrderItems: mapped.lines }));
      }
      if (toMinor(current.amount, updated.currency) !== toMinor(amount, updated.currency)) {
        await step(this.norce.updatePayment(input, order.id, { ...current, amount }));
      }
      return { shippingId, amount };
    }));
  }
}

function toNorceShipping(s: ShippingSelection, currency: string): NewNorceShipping {
  const inc = toMinor(s.total.includingVat, currency);
  const ex = toMinor(s.total.excludingVat, currency);
  // VAT rate as Norce keeps it (a fraction), to 4 decimals: 25 % → 0.25, 25.5 % → 0.255.
  const vatRate = ex > 0 ? Math.round(((inc - ex) / ex) * 10000) / 10000 : 0;
  const pickup = s.pickupLocation || s.secondaryOption
    ? {
        pickupLocation: {
          ...(s.secondaryOption ? { reference: s.secondaryOption } : {}),
          ...(s.pickupLocation?.name ? { name: s.pickupLocation.name } : {}),
          ...(s.pickupLocation?.address?.length ? { description: [...s.pickupLocation.address] } : {}),
        },
      }
    : {};
  return {
    adapterId: ADAPTER_ID,
    name: s.methodName ?? s.method,
    reference: s.method,
    state: 'intent',
    total: { includingVat: s.total.includingVat, excludingVat: s.total.excludingVat },
    vatRate,
    deliveryDetails: {
      product: { name: s.methodName ?? s.method, reference: s.method },
      ...pickup,
      ...(s.additionalServices?.length ? { addons: [...s.additionalServices] } : {}),
    },
  };
}
