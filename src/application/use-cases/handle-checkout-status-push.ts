// POST …/callback/orders/{order_id}/payments/{payment_id}/push — a hint that a Qliro checkout status changed.
import { inject, injectable } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import type { QliroCheckoutStatusPush, QliroOrder } from '../../domain/qliro-order';
import type { NorceOrder, NorcePayment } from '../../domain/norce-order';
import { qliroOrderIdOf } from '../../domain/qliro-payment';
import { eventForCheckoutStatus, remainingOrderPath, type PaymentEvent } from '../../domain/payment-state';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { CheckoutTelemetryToken, type CheckoutTelemetry } from '../ports/checkout-telemetry';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf } from '../checkout-support';
import { findQliroPayment } from '../find-qliro-payment';
import { applyPaymentEvent } from '../payment-transitions';
import { customerWrites } from '../customer-from-qliro';
import { fail, retryOnConflict, step, steps } from '../steps';

export interface CheckoutPushInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
  readonly push: QliroCheckoutStatusPush;
}

export type PushResult =
  /** `event`: the payment transition made, absent when only a record changed (e.g. an Admin Error outcome). */
  | { readonly outcome: 'applied'; readonly event?: PaymentEvent }
  | { readonly outcome: 'no-op'; readonly why: 'duplicate' | 'stale' | 'in-process' };

/** Norce transaction per checkout event: which Norce event and whether money is now held. */
const TRANSACTION_OF: Partial<Record<PaymentEvent, { event: 'process' | 'confirm' | 'cancel'; isSuccess: boolean }>> = {
  'push-on-hold': { event: 'process', isSuccess: true },
  'push-completed': { event: 'confirm', isSuccess: true },
  'push-refused': { event: 'cancel', isSuccess: false },
};

@injectable()
export class HandleCheckoutStatusPush {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
    @inject(CheckoutTelemetryToken) private readonly telemetry: CheckoutTelemetry,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  execute(input: CheckoutPushInput): TaskEither<AdapterError, PushResult> {
    return this.lock.run(input.orderId, retryOnConflict(steps(() => this.handle(input))));
  }

  private async handle(input: CheckoutPushInput): Promise<PushResult> {
    const [config, order] = await Promise.all([step(this.configurations.get(input)), step(this.norce.getOrder(input, input.orderId))]);
    const payment = await step(async () => findQliroPayment(order, input.paymentId));
    const known = qliroOrderIdOf(payment);
    if (known !== undefined && known !== input.push.OrderId) {
      fail(adapterError('order-bad-request', `push names Qliro order ${input.push.OrderId}, but payment ${payment.id} is Qliro order ${known}`));
    }
    // The push is a hint: the Qliro order itself says what happened.
    const qliroOrder = await step(this.qliro.getOrder(credentialsOf(config), input.push.OrderId));
    if (known === undefined) assertBelongsToPayment(qliroOrder, order.id, payment.id);

    const event = eventForCheckoutStatus(qliroOrder.CustomerCheckoutStatus);
    if (event === undefined) return { outcome: 'no-op', why: 'in-process' };
    const transaction = TRANSACTION_OF[event]!;
    const decision = await applyPaymentEvent(this.norce, this.telemetry, input, order, payment, event, {
      paymentPatch: known === undefined ? referencePatch(payment, qliroOrder) : {},
      transaction: {
        ...transaction,
        pspEvent: 'CheckoutStatusPush',
        pspStatus: qliroOrder.CustomerCheckoutStatus,
        requestJson: JSON.stringify({ OrderId: input.push.OrderId, Status: input.push.Status ?? null, Timestamp: input.push.Timestamp ?? null }),
        responseJson: JSON.stringify({ CustomerCheckoutStatus: qliroOrder.CustomerCheckoutStatus, TotalPrice: qliroOrder.TotalPrice, PaymentMethod: qliroOrder.PaymentMethod?.PaymentMethodName ?? null }),
      },
    });
    if (decision.kind === 'stale') {
      if (payment.state === 'removed' && event !== 'push-refused') await this.flagPurchaseAfterRemoval(input, order, payment, qliroOrder);
      return { outcome: 'no-op', why: 'stale' };
    }
    // Also on a duplicate: a delivery that died between the payment and the order writes is finished here.
    // Qliro's order now holds who paid and where it goes (validation only saw e-mail, phone and postcode): Norce gets
    // it once the order is accepted, where external information may still be added, and before it completes.
    const withCustomer = decision.kind === 'transition' && event !== 'push-refused';
    const path = remainingOrderPath(order.state.currentStatus, event);
    if (withCustomer && !path.includes('accepted')) await this.writeCustomer(input, order, qliroOrder);
    for (const status of path) {
      await step(this.norce.putState(input, order.id, status));
      if (withCustomer && status === 'accepted') await this.writeCustomer(input, order, qliroOrder);
    }
    return decision.kind === 'transition' ? { outcome: 'applied', event } : { outcome: 'no-op', why: 'duplicate' };
  }

  /**
   * The shopper paid in a tab still open after the storefront removed the payment: Qliro holds money Norce no longer
   * tracks. Nothing is moved automatically; the payment records it once, for a person to cancel it at Qliro.
   */
  private async flagPurchaseAfterRemoval(ref: ChannelRef, order: NorceOrder, payment: NorcePayment, qliroOrder: QliroOrder): Promise<void> {
    if (payment.attributes?.['qliroPurchaseAfterRemoval']) return;
    await step(this.norce.updatePayment(ref, order.id, { ...payment, attributes: { ...(payment.attributes ?? {}), qliroPurchaseAfterRemoval: qliroOrder.CustomerCheckoutStatus } }));
    await step(
      this.norce.addTransaction(ref, order.id, payment.id, {
        event: 'paymentAction',
        pspEvent: 'CheckoutStatusPush',
        pspStatus: qliroOrder.CustomerCheckoutStatus,
        amount: qliroOrder.TotalPrice,
        isSuccess: false,
        errorDetail: `Qliro order ${qliroOrder.OrderId} was bought after this payment was removed: money is reserved at Qliro; cancel it there`,
      }),
    );
  }

  /** After the purchase Qliro's order holds who paid and where it goes: Norce gets it (masked parts skipped). */
  private async writeCustomer(ref: ChannelRef, order: NorceOrder, qliroOrder: QliroOrder): Promise<void> {
    const writes = customerWrites(order, qliroOrder);
    if (writes.billing) await step(this.norce.putCustomerBilling(ref, order.id, writes.billing));
    if (writes.shipping) await step(this.norce.putCustomerShipping(ref, order.id, writes.shipping));
  }
}

/** Before the reference is written, the Qliro order proves it is this payment's by the metadata the create put there. */
function assertBelongsToPayment(qliroOrder: QliroOrder, orderId: string, paymentId: string): void {
  const meta = new Map((qliroOrder.MerchantProvidedMetadata ?? []).map((m) => [m.Key, m.Value]));
  if (meta.get('norceOrderId') !== orderId || meta.get('norcePaymentId') !== paymentId) {
    fail(adapterError('order-bad-request', `Qliro order ${qliroOrder.OrderId} does not belong to payment ${paymentId}`));
  }
}

const referencePatch = (payment: NorcePayment, qliroOrder: QliroOrder): Partial<NorcePayment> => ({
  reference: String(qliroOrder.OrderId),
  attributes: { ...(payment.attributes ?? {}), qliroOrderId: qliroOrder.OrderId, qliroMerchantReference: qliroOrder.MerchantReference },
});
