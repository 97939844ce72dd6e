// POST …/callback/orders/{order_id}/payments/{payment_id}/validate — Qliro asks, before the purchase, whether to go on.
import { inject, injectable } from 'tsyringe';
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { InjectionToken } from 'tsyringe';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef, QliroChannelConfiguration } from '../../domain/channel-configuration';
import type { NorceOrder, NorcePayment } from '../../domain/norce-order';
import type { QliroValidationRequest } from '../../domain/qliro-order';
import { qliroOrderIdOf } from '../../domain/qliro-payment';
import { toQliroOrderLines } from '../../domain/qliro-order-lines';
import { matchQliroOrder } from '../../domain/order-match';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { CheckoutTelemetryToken, type CheckoutTelemetry } from '../ports/checkout-telemetry';
import { OrderLock, OrderLockToken } from '../order-lock';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { syncQliroOrder } from '../sync-qliro-order';
import { qliroOwnsShipping } from '../checkout-support';
import { findQliroPayment } from '../find-qliro-payment';
import { applyPaymentEvent } from '../payment-transitions';
import { customerWrites } from '../customer-from-qliro';
import { fail, step, steps } from '../steps';

export type DeclineReason =
  | 'OutOfStock'
  | 'PostalCodeIsNotSupported'
  | 'ShippingIsNotSupportedForPostalCode'
  | 'CashOnDeliveryIsNotSupportedForShippingMethod'
  | 'IdentityNotVerified'
  | 'Other';

export type ValidationDecision =
  | { readonly approved: true }
  /** `message` is shown to the shopper (≤ 150 characters); `detail` is for the logs only. */
  | { readonly approved: false; readonly reason: DeclineReason; readonly message: string; readonly detail: string };

export interface ValidateOrderInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
  readonly request: QliroValidationRequest;
}

/** Time the adapter allows itself: Qliro approves silently after 5 s, so we must decline well before. */
export const ValidationBudgetMsToken: InjectionToken<number> = Symbol('ValidationBudgetMs');

const MESSAGES = {
  changed: 'Your cart has changed. Please review your order and try again.',
  unavailable: 'We could not confirm your order right now. Please try again in a moment.',
  closed: 'This checkout can no longer be completed. Please reload the page.',
  identity: 'Please verify your identity to complete the purchase.',
} as const;

const decline = (reason: DeclineReason, message: string, detail: string): ValidationDecision => ({ approved: false, reason, message, detail });

@injectable()
export class ValidateOrder {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(CheckoutTelemetryToken) private readonly telemetry: CheckoutTelemetry,
    @inject(OrderLockToken) private readonly lock: OrderLock,
    @inject(ValidationBudgetMsToken) private readonly budgetMs: number,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  /** Never Left: every failure is a decline, because Qliro only understands approve (200) or decline (400). */
  execute(input: ValidateOrderInput): TaskEither<never, ValidationDecision> {
    return async () => {
      const run = { timedOut: false, wrotePayment: false };
      const work = this.lock.run(input.orderId, steps(() => this.validate(input, run)))();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), this.budgetMs);
      });
      const first = await Promise.race([work, deadline]);
      clearTimeout(timer);
      if (first === 'deadline') {
        run.timedOut = true;
        // Whatever Norce answers later cannot change the answer given; undo what the late work wrote.
        // Also when the late work failed part-way: a payment left `processing` would lock the cart for good.
        void work.then(() => (run.wrotePayment ? this.withdraw(input)() : undefined));
        return E.right(decline('Other', MESSAGES.unavailable, `Norce did not confirm within ${this.budgetMs} ms`));
      }
      if (E.isLeft(first)) {
        const error = first.left;
        if (run.wrotePayment) await this.withdraw(input)();
        return E.right(decline('Other', error.transient ? MESSAGES.unavailable : MESSAGES.closed, `${error.code}: ${error.message}`));
      }
      return E.right(first.right);
    };
  }

  private async validate(input: ValidateOrderInput, run: { timedOut: boolean; wrotePayment: boolean }): Promise<ValidationDecision> {
    const [config, order] = await Promise.all([step(this.configurations.get(input)), step(this.norce.getOrder(input, input.orderId))]);
    const payment = await step(async () => findQliroPayment(order, input.paymentId));
    const refusal = checkPurchase(config, order, payment, input.request);
    if (refusal) {
      // The shopper retries after a decline: let the retry see the lines Norce holds now.
      const qliroOrderId = qliroOrderIdOf(payment);
      if (!refusal.approved && refusal.message === MESSAGES.changed && qliroOrderId !== undefined) {
        await step(syncQliroOrder(this.qliro, config, order, payment.id, qliroOrderId));
      }
      return refusal;
    }

    // Reads done and everything matches: write, but never start a write after the answer was given.
    const guard = () => run.timedOut && fail(adapterError('order-error', 'validation budget spent before the writes', { transient: true }));
    const writes = customerWrites(order, input.request);
    guard();
    if (writes.billing) await step(this.norce.putCustomerBilling(input, order.id, writes.billing));
    guard();
    if (writes.shipping) await step(this.norce.putCustomerShipping(input, order.id, writes.shipping));
    guard();
    run.wrotePayment = true;
    await applyPaymentEvent(this.norce, this.telemetry, input, order, payment, 'validate-approved', {
      transaction: { event: 'process', pspEvent: 'ValidateOrder', pspStatus: 'Approved', isSuccess: true, requestJson: JSON.stringify({ OrderId: input.request.OrderId }) },
    });
    guard();
    // Other adapters' state hooks and NCO's validations run here; a veto is a decline.
    if (order.state.currentStatus === 'checkout') await step(this.norce.putState(input, order.id, 'processing'));
    return { approved: true };
  }

  /** Back to where the shopper can change the cart: payment intent (with a `reopen` record), order checkout. */
  private withdraw(ref: ValidateOrderInput): TaskEither<AdapterError, void> {
    return this.lock.run(
      ref.orderId,
      steps(async () => {
        const order = await step(this.norce.getOrder(ref, ref.orderId));
        const payment = await step(async () => findQliroPayment(order, ref.paymentId));
        await applyPaymentEvent(this.norce, this.telemetry, ref, order, payment, 'validation-withdrawn', {
          transaction: { event: 'reopen', pspEvent: 'ValidateOrder', pspStatus: 'Declined', isSuccess: true },
        });
        if (order.state.currentStatus === 'processing') await step(this.norce.putState(ref, order.id, 'checkout'));
      }),
    );
  }
}

/** The checks of BEHAVIOUR §5 that need no write: is this the payment's Qliro order, and is it what Norce holds? */
function checkPurchase(
  config: QliroChannelConfiguration,
  order: NorceOrder,
  payment: NorcePayment,
  request: QliroValidationRequest,
): ValidationDecision | undefined {
  const known = qliroOrderIdOf(payment);
  if (known !== request.OrderId) {
    return decline('Other', MESSAGES.closed, `validation for Qliro order ${request.OrderId}, payment ${payment.id} is Qliro order ${known ?? 'none'}`);
  }
  if (payment.state !== 'intent' && payment.state !== 'processing') {
    return decline('Other', MESSAGES.closed, `payment ${payment.id} is ${payment.state}`);
  }
  if (order.state.currentStatus !== 'checkout' && order.state.currentStatus !== 'processing') {
    return decline('Other', MESSAGES.closed, `order ${order.id} is ${order.state.currentStatus}`);
  }
  const owns = qliroOwnsShipping(config);
  const mapped = toQliroOrderLines(order, { mapDiscountPerRow: config.mapDiscountPerRow, qliroOwnsShipping: owns }, payment.id);
  if (E.isLeft(mapped)) return decline('Other', MESSAGES.changed, mapped.left.message);
  const mismatch = matchQliroOrder(mapped.right, request, order.currency, owns);
  if (mismatch) return decline('Other', MESSAGES.changed, mismatch.detail);
  if (config.requireIdentityVerification && request.IdentityVerification?.IdentityVerified !== true) {
    return decline('IdentityNotVerified', MESSAGES.identity, 'identity verification required and not done');
  }
  return undefined;
}
