import { expect } from 'chai';
import {
  PAYMENT_TRANSITIONS,
  decidePayment,
  eventForCheckoutStatus,
  remainingOrderPath,
  type PaymentEvent,
} from '../../src/domain/payment-state';
import { ORDER_STATUSES, PAYMENT_STATES, type OrderStatus, type PaymentState } from '../../src/domain/norce-order';

const T = (to: PaymentState) => `→${to}`;
const D = 'duplicate';
const S = 'stale';

/** Written out by hand from BEHAVIOUR §6, state by state (columns in PAYMENT_STATES order). */
const EXPECTED: Record<PaymentEvent, Record<PaymentState, string>> = {
  'qliro-create-failed': { intent: T('failed'), removed: S, processing: S, failed: D, confirmed: S, pending: S, declined: S, reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
  'validate-approved': { intent: T('processing'), removed: S, processing: D, failed: S, confirmed: S, pending: S, declined: S, reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
  'validation-withdrawn': { intent: D, removed: S, processing: T('intent'), failed: S, confirmed: S, pending: S, declined: S, reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
  'push-on-hold': { intent: T('pending'), removed: S, processing: T('pending'), failed: S, confirmed: S, pending: D, declined: S, reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
  'push-completed': { intent: T('reserved'), removed: S, processing: T('reserved'), failed: S, confirmed: S, pending: T('reserved'), declined: S, reserved: D, credited: S, captured: S, cancelled: S, refunded: S },
  'push-refused': { intent: T('declined'), removed: S, processing: T('declined'), failed: S, confirmed: S, pending: T('declined'), declined: D, reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
  'capture-succeeded': { intent: S, removed: S, processing: S, failed: S, confirmed: S, pending: S, declined: S, reserved: T('captured'), credited: S, captured: D, cancelled: S, refunded: S },
  'refund-succeeded': { intent: S, removed: S, processing: S, failed: S, confirmed: S, pending: S, declined: S, reserved: S, credited: S, captured: T('refunded'), cancelled: S, refunded: D },
  'cancel-succeeded': { intent: S, removed: S, processing: S, failed: S, confirmed: S, pending: S, declined: S, reserved: T('cancelled'), credited: S, captured: S, cancelled: D, refunded: S },
  remove: { intent: T('removed'), removed: D, processing: S, failed: T('removed'), confirmed: S, pending: S, declined: T('removed'), reserved: S, credited: S, captured: S, cancelled: S, refunded: S },
};

const describeDecision = (state: PaymentState, event: PaymentEvent): string => {
  const d = decidePayment(state, event);
  return d.kind === 'transition' ? T(d.to) : d.kind;
};

describe('domain: payment transition table (BEHAVIOUR §6)', () => {
  it('covers every event', () => {
    expect(Object.keys(EXPECTED).sort()).to.deep.equal(Object.keys(PAYMENT_TRANSITIONS).sort());
  });

  for (const event of Object.keys(EXPECTED) as PaymentEvent[]) {
    it(`${event}: the decision for every payment state`, () => {
      const actual = Object.fromEntries(PAYMENT_STATES.map((s) => [s, describeDecision(s, event)]));
      expect(actual).to.deep.equal(EXPECTED[event]);
    });
  }

  const RANK: Partial<Record<PaymentState, number>> = { intent: 0, processing: 1, pending: 2, reserved: 3, captured: 4, refunded: 5 };
  it('only moves forward, except the one documented step back (validation-withdrawn)', () => {
    for (const [event, rule] of Object.entries(PAYMENT_TRANSITIONS)) {
      for (const from of rule.from) {
        const [a, b] = [RANK[from], RANK[rule.to]];
        if (a === undefined || b === undefined) continue; // terminal states (failed, declined, cancelled, removed) end the payment
        if (event === 'validation-withdrawn') expect(b).to.be.lessThan(a);
        else expect(b, `${event}: ${from} → ${rule.to}`).to.be.greaterThan(a);
      }
    }
  });
});

describe('domain: the order path of a payment event', () => {
  const cases: [OrderStatus, PaymentEvent, OrderStatus[]][] = [
    ['checkout', 'push-completed', ['processing', 'accepted', 'completed']],
    ['processing', 'push-completed', ['accepted', 'completed']],
    ['accepted', 'push-completed', ['completed']],
    ['completed', 'push-completed', []],
    ['checkout', 'push-on-hold', ['processing', 'accepted']],
    ['accepted', 'push-on-hold', []],
    ['completed', 'push-on-hold', []],
    ['checkout', 'push-refused', ['declined']],
    ['processing', 'push-refused', ['declined']],
    ['accepted', 'push-refused', ['declined']],
    ['completed', 'push-refused', []],
    ['declined', 'push-completed', []],
    ['removed', 'push-completed', []],
    ['checkout', 'validate-approved', ['processing']],
    ['processing', 'validate-approved', []],
    ['accepted', 'capture-succeeded', []],
  ];
  for (const [current, event, path] of cases) {
    it(`${event} with the order in ${current} → [${path.join(', ')}]`, () => {
      expect(remainingOrderPath(current, event)).to.deep.equal(path);
    });
  }

  it('never moves a declined or removed order, for any event', () => {
    for (const event of Object.keys(PAYMENT_TRANSITIONS) as PaymentEvent[]) {
      for (const status of ['declined', 'removed'] as const) expect(remainingOrderPath(status, event)).to.deep.equal([]);
    }
  });

  it('every path only goes forward from every status', () => {
    const rank = (s: OrderStatus) => ORDER_STATUSES.indexOf(s);
    for (const event of Object.keys(PAYMENT_TRANSITIONS) as PaymentEvent[]) {
      for (const current of ORDER_STATUSES) {
        const path = remainingOrderPath(current, event);
        path.reduce((prev, next) => (expect(rank(next)).to.be.greaterThan(rank(prev)), next), current);
      }
    }
  });
});

describe('domain: Qliro checkout status → event', () => {
  it('maps OnHold, Completed and Refused in any casing; InProcess and unknown values are no event', () => {
    expect(eventForCheckoutStatus('OnHold')).to.equal('push-on-hold');
    expect(eventForCheckoutStatus('onHold')).to.equal('push-on-hold');
    expect(eventForCheckoutStatus('COMPLETED')).to.equal('push-completed');
    expect(eventForCheckoutStatus('refused')).to.equal('push-refused');
    expect(eventForCheckoutStatus('InProcess')).to.equal(undefined);
    expect(eventForCheckoutStatus('Success')).to.equal(undefined);
  });
});
