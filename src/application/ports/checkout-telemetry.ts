import type { InjectionToken } from 'tsyringe';
import type { PaymentState } from '../../domain/norce-order';

export type CallbackType =
  | 'validate'
  | 'push'
  | 'status'
  | 'customer-update'
  | 'shipping-option-update'
  | 'cart-changed'
  | 'state-changed';

/** How a callback ended, from the caller's point of view (bounded set: safe as a metrics label). */
export type CallbackOutcome = 'applied' | 'no-op' | 'declined' | 'rejected' | 'unauthorized' | 'retry' | 'failed';

/** What the use cases tell operations about: callbacks handled and payment transitions made. */
export interface CheckoutTelemetry {
  callbackHandled(type: CallbackType, outcome: CallbackOutcome): void;
  paymentTransition(from: PaymentState, to: PaymentState): void;
}

export const CheckoutTelemetryToken: InjectionToken<CheckoutTelemetry> = Symbol('CheckoutTelemetry');

/** For tests and tools that do not measure. */
export const silentTelemetry: CheckoutTelemetry = {
  callbackHandled: () => undefined,
  paymentTransition: () => undefined,
};
