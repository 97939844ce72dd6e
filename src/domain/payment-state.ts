// The payment/order transition table of BEHAVIOUR §6, as data. Transitions only move forward.
import type { OrderStatus, PaymentState } from './norce-order';

export type PaymentEvent =
  | 'qliro-create-failed'
  | 'validate-approved'
  | 'validation-withdrawn'
  | 'push-on-hold'
  | 'push-completed'
  | 'push-refused'
  | 'capture-succeeded'
  | 'refund-succeeded'
  | 'cancel-succeeded'
  | 'remove';

interface TransitionRule {
  /** States the event moves the payment out of. */
  readonly from: readonly PaymentState[];
  readonly to: PaymentState;
  /** The order statuses the event walks the order through, in order (empty: the order is not touched). */
  readonly orderPath: readonly OrderStatus[];
}

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentEvent, TransitionRule>> = {
  'qliro-create-failed': { from: ['intent'], to: 'failed', orderPath: [] },
  'validate-approved': { from: ['intent'], to: 'processing', orderPath: ['processing'] },
  // The one step back: a validation answered "decline" (too late, or vetoed) after its writes began; the
  // shopper is still in the checkout, so the payment and the order return to where the cart may change.
  'validation-withdrawn': { from: ['processing'], to: 'intent', orderPath: [] },
  'push-on-hold': { from: ['intent', 'processing'], to: 'pending', orderPath: ['processing', 'accepted'] },
  'push-completed': { from: ['intent', 'processing', 'pending'], to: 'reserved', orderPath: ['processing', 'accepted', 'completed'] },
  'push-refused': { from: ['intent', 'processing', 'pending'], to: 'declined', orderPath: ['declined'] },
  'capture-succeeded': { from: ['reserved'], to: 'captured', orderPath: [] },
  'refund-succeeded': { from: ['captured'], to: 'refunded', orderPath: [] },
  'cancel-succeeded': { from: ['reserved'], to: 'cancelled', orderPath: [] },
  remove: { from: ['intent', 'failed', 'declined'], to: 'removed', orderPath: [] },
};

/** What an event means for a payment in a given state. */
export type PaymentDecision =
  | { readonly kind: 'transition'; readonly from: PaymentState; readonly to: PaymentState }
  /** The payment is already where the event would take it: nothing to write. */
  | { readonly kind: 'duplicate'; readonly state: PaymentState }
  /** The event comes too late (the payment moved past it) or does not apply: change nothing, log it. */
  | { readonly kind: 'stale'; readonly state: PaymentState };

export function decidePayment(state: PaymentState, event: PaymentEvent): PaymentDecision {
  const rule = PAYMENT_TRANSITIONS[event];
  if (state === rule.to) return { kind: 'duplicate', state };
  if (rule.from.includes(state)) return { kind: 'transition', from: state, to: rule.to };
  return { kind: 'stale', state };
}

/** Forward rank of the order statuses an adapter walks through; declined/removed end the order. */
const ORDER_RANK: Readonly<Record<OrderStatus, number>> = {
  checkout: 0,
  processing: 1,
  accepted: 2,
  completed: 3,
  declined: 4,
  removed: 4,
};

/**
 * The order statuses still to be written for the event, given where the order is now. A declined
 * or removed order never moves; a completed order is never declined.
 */
export function remainingOrderPath(current: OrderStatus, event: PaymentEvent): readonly OrderStatus[] {
  const path = PAYMENT_TRANSITIONS[event].orderPath;
  if (current === 'declined' || current === 'removed') return [];
  if (path.includes('declined')) return current === 'completed' ? [] : ['declined'];
  return path.filter((status) => ORDER_RANK[status] > ORDER_RANK[current]);
}

/** The Qliro checkout status a push re-reads, as the event it is. */
export function eventForCheckoutStatus(status: string): PaymentEvent | undefined {
  switch (status.toLowerCase()) {
    case 'onhold':
      return 'push-on-hold';
    case 'completed':
      return 'push-completed';
    case 'refused':
      return 'push-refused';
    default:
      return undefined; // InProcess (nothing happened yet) and unknown values: no event
  }
}

/** Payment states in which the shopper can no longer change the cart (validation passed or money moving). */
export const CART_LOCKED_STATES: ReadonlySet<PaymentState> = new Set([
  'processing',
  'pending',
  'reserved',
  'captured',
  'refunded',
  'cancelled',
  'confirmed',
  'credited',
]);

/** Order statuses a state hook may let the order enter only when the payment holds money. */
export const STATES_NEEDING_MONEY: ReadonlySet<OrderStatus> = new Set(['accepted', 'completed']);
export const PAYMENT_STATES_WITH_MONEY: ReadonlySet<PaymentState> = new Set(['reserved', 'pending', 'captured']);
