// The fault plan: for every order, drawn up front from the seed, what the shopper and the OMS do and which faults the
// simulators inject along the way. Drawn per order from its own generator, so an order's plan does not depend on how
// the run interleaved (replay a failing run with the same --seed and --orders).
import type { Rng } from './rng';

export type Channel = 'se' | 'no' | 'fi' | 'dk';

/** How the shopper's purchase ends at Qliro. */
export type CheckoutOutcome = 'Completed' | 'OnHold-Completed' | 'Refused';

/**
 * The steps of one order; faults are armed just before their step starts. The `…push` steps are the pushes Qliro
 * sends after the purchase and after each Admin outcome: their faults are armed while the push is held back briefly.
 */
export type Step = 'create' | 'cart' | 'complete' | 'push' | 'capture' | 'capture-push' | 'refund' | 'refund-push';

/** Fault kinds as the summary counts them. */
export type FaultKind =
  | 'latency'
  | 'upstream-500'
  | 'reset'
  | 'checkout-push-duplicates'
  | 'checkout-push-reordered'
  | 'om-push-dropped'
  | 'om-push-duplicates'
  | 'admin-outcome-error'
  | 'parallel-captures'
  | 'parallel-refunds';

/** A Merchant/Admin API call of the Qliro simulator (its fault queue is global: the next call of that op gets it). */
export type QliroOp = 'createOrder' | 'getOrder' | 'updateOrder' | 'adminGetOrder' | 'markItemsAsShipped' | 'returnItems';

/** An NCO call the adapter makes for this order (the fault matches this order's path only). */
export type NcoCall = 'getOrder' | 'createPayment' | 'updatePayment' | 'addTransaction' | 'putState';

export type UpstreamFault =
  /** Qliro latency: the call is handled after the adapter's timeout (a write lands late). */
  | { readonly upstream: 'qliro'; readonly op: QliroOp; readonly kind: 'latency' | 'upstream-500' | 'reset' }
  /**
   * NCO latency: `late` = handled after the adapter's timeout (a write lands late: only with the `lateWrites` option,
   * see README "Chaos run"), else never answered (the adapter's timeout).
   */
  | { readonly upstream: 'nco'; readonly call: NcoCall; readonly kind: 'latency' | 'upstream-500' | 'reset'; readonly late?: boolean };

export type OmPushFault = 'none' | 'drop' | 'duplicates';

export interface OrderPlan {
  readonly index: number;
  readonly channel: Channel;
  /** Add one more of a single-quantity item through NCO (cart-changed hook). */
  readonly cartChange: boolean;
  /** Which of the single-quantity items (modulo their count). */
  readonly cartItemPick: number;
  readonly outcome: CheckoutOutcome;
  /** Extra copies of the (final) checkout push, sent at once. */
  readonly checkoutPushDuplicates: number;
  /** OnHold-Completed only: the OnHold push is held back so the Completed push overtakes it. */
  readonly reorderCheckoutPushes: boolean;
  /** How many capture requests the OMS sends at once (they alternate replicas at the proxy). */
  readonly parallelCaptures: number;
  readonly refund: boolean;
  readonly parallelRefunds: number;
  readonly capturePush: OmPushFault;
  readonly refundPush: OmPushFault;
  /** The first capture ends in Error at Qliro; the OMS must notice (refresh) and capture again. */
  readonly captureOutcomeError: boolean;
  readonly faults: readonly { readonly step: Step; readonly fault: UpstreamFault }[];
}

const UPSTREAM_KINDS = ['latency', 'upstream-500', 'reset'] as const;

/** Which upstream calls a step makes, so a fault armed before it is likely to hit it. */
const STEP_TARGETS: Record<Step, readonly ({ upstream: 'qliro'; op: QliroOp } | { upstream: 'nco'; call: NcoCall })[]> = {
  create: [
    { upstream: 'qliro', op: 'createOrder' },
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'createPayment' },
    { upstream: 'nco', call: 'updatePayment' },
  ],
  cart: [
    { upstream: 'qliro', op: 'updateOrder' },
    { upstream: 'nco', call: 'getOrder' },
  ],
  complete: [
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
    { upstream: 'nco', call: 'putState' },
  ],
  push: [
    { upstream: 'qliro', op: 'getOrder' },
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
    { upstream: 'nco', call: 'putState' },
  ],
  capture: [
    { upstream: 'qliro', op: 'adminGetOrder' },
    { upstream: 'qliro', op: 'markItemsAsShipped' },
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
  ],
  refund: [
    { upstream: 'qliro', op: 'adminGetOrder' },
    { upstream: 'qliro', op: 'returnItems' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
  ],
  'capture-push': [
    { upstream: 'qliro', op: 'adminGetOrder' },
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
  ],
  'refund-push': [
    { upstream: 'qliro', op: 'adminGetOrder' },
    { upstream: 'nco', call: 'getOrder' },
    { upstream: 'nco', call: 'updatePayment' },
    { upstream: 'nco', call: 'addTransaction' },
  ],
};

const STEPS: readonly Step[] = ['create', 'cart', 'complete', 'push', 'capture', 'capture-push', 'refund', 'refund-push'];

export interface PlanOptions {
  /** NCO latency faults may also be "handled late" (stale whole-payment PUTs landing after newer writes). */
  readonly lateWrites?: boolean;
}

export function planOrder(index: number, rng: Rng, options: PlanOptions = {}): OrderPlan {
  const outcomeRoll = rng.next();
  const outcome: CheckoutOutcome = outcomeRoll < 0.72 ? 'Completed' : outcomeRoll < 0.9 ? 'OnHold-Completed' : 'Refused';
  const refund = rng.chance(0.65);
  const omPush = (): OmPushFault => {
    const r = rng.next();
    return r < 0.2 ? 'drop' : r < 0.5 ? 'duplicates' : 'none';
  };
  const faults: { step: Step; fault: UpstreamFault }[] = [];
  for (const step of STEPS) {
    const count = rng.chance(0.45) ? (rng.chance(0.25) ? 2 : 1) : 0;
    for (let i = 0; i < count; i++) {
      const target = rng.pick(STEP_TARGETS[step]);
      const kind = rng.pick(UPSTREAM_KINDS);
      // Always drawn, so an order's other choices do not depend on the option.
      const late = rng.chance(0.5) && options.lateWrites === true;
      faults.push({
        step,
        fault: target.upstream === 'qliro' ? { upstream: 'qliro', op: target.op, kind } : { upstream: 'nco', call: target.call, kind, ...(kind === 'latency' ? { late } : {}) },
      });
    }
  }
  return {
    index,
    channel: rng.pick(['se', 'no', 'fi', 'dk'] as const),
    cartChange: rng.chance(0.7),
    cartItemPick: rng.int(0, 9),
    outcome,
    checkoutPushDuplicates: rng.chance(0.5) ? rng.int(1, 3) : 0,
    reorderCheckoutPushes: outcome === 'OnHold-Completed' && rng.chance(0.6),
    parallelCaptures: rng.chance(0.45) ? rng.int(2, 3) : 1,
    refund,
    parallelRefunds: refund && rng.chance(0.3) ? 2 : 1,
    capturePush: omPush(),
    refundPush: omPush(),
    captureOutcomeError: rng.chance(0.12),
    faults,
  };
}
