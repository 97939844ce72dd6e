// Validate, push, client events and NCO hooks against the port fakes (BEHAVIOUR §5–§7).
import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { CreatePayment } from '../../src/application/use-cases/create-payment';
import { HandleCheckoutStatusPush } from '../../src/application/use-cases/handle-checkout-status-push';
import { ValidateOrder, type ValidationDecision } from '../../src/application/use-cases/validate-order';
import { HandleCartChanged } from '../../src/application/use-cases/handle-cart-changed';
import { HandleStateChanged } from '../../src/application/use-cases/handle-state-changed';
import { UpdateCustomer } from '../../src/application/use-cases/update-customer';
import { UpdateShippingOption } from '../../src/application/use-cases/update-shipping-option';
import { adapterError, type AdapterError } from '../../src/domain/errors';
import type { NorceOrder, NorcePayment } from '../../src/domain/norce-order';
import type { QliroValidationRequest } from '../../src/domain/qliro-order';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { checkoutHarness, REF, type CheckoutHarness } from './checkout-harness';

const right = <A>(r: E.Either<AdapterError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected Right, got ${JSON.stringify(r.left)}`);
  return r.right;
};
const leftCode = (r: E.Either<AdapterError, unknown>): string => (E.isLeft(r) ? r.left.code : `Right ${JSON.stringify(r.right)}`);

describe('checkout flow (use cases, against port fakes)', () => {
  let h: CheckoutHarness;
  let orderId: string;
  let paymentId: string;
  let qliroOrderId: number;
  const order = (): NorceOrder => h.norce.order(orderId)!;
  const payment = (): NorcePayment => order().payments!.find((p) => p.id === paymentId)!;
  const transactions = () => h.norce.transactions(orderId, paymentId);
  const push = (status = 'Completed', OrderId = qliroOrderId) =>
    h.container.resolve(HandleCheckoutStatusPush).execute({ ...REF, orderId, paymentId, push: { OrderId, Status: status } })();
  const validationRequest = (): QliroValidationRequest => {
    const created = h.qliro.orders.get(qliroOrderId)!.createRequest;
    return {
      OrderId: qliroOrderId,
      Currency: created.Currency,
      OrderItems: created.OrderItems.map((l) => ({ MerchantReference: l.MerchantReference, Type: l.Type, Quantity: l.Quantity, PricePerItemIncVat: l.PricePerItemIncVat, PricePerItemExVat: l.PricePerItemExVat })),
      Customer: { Email: 'test@example.com', MobileNumber: '0700000000', PersonalNumber: '790625-5307' },
      ShippingAddress: { PostalCode: '111 22' },
    };
  };
  const validate = (request = validationRequest()) =>
    h.container.resolve(ValidateOrder).execute({ ...REF, orderId, paymentId, request })().then((r) => (r as E.Right<ValidationDecision>).right);

  async function startCheckout(harness = checkoutHarness()): Promise<void> {
    h = harness;
    orderId = h.norce.seed(sandboxDemoOrder('se'), REF);
    paymentId = right(await h.container.resolve(CreatePayment).execute({ ...REF, orderId })()).paymentId;
    qliroOrderId = Number(payment().reference);
  }

  beforeEach(() => startCheckout());

  describe('checkout-status push', () => {
    it('Completed: payment reserved with one confirm transaction, order walked to completed', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      expect(right(await push())).to.deep.equal({ outcome: 'applied', event: 'push-completed' });
      expect(payment().state).to.equal('reserved');
      expect(order().state.currentStatus).to.equal('completed');
      expect(transactions().map((t) => [t.event, t.pspStatus, t.isSuccess])).to.deep.equal([
        ['open', 'InProcess', true],
        ['confirm', 'Completed', true],
      ]);
      expect(h.norce.callsOf('putState').map((c) => c.args[0])).to.deep.equal(['processing', 'accepted', 'completed']);
      expect(h.telemetry.transitions).to.deep.equal([{ from: 'intent', to: 'reserved' }]);
    });

    it('parallel duplicate pushes make one transition and one transaction', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      const results = await Promise.all(Array.from({ length: 6 }, () => push()));
      expect(results.map((r) => right(r).outcome).sort()).to.deep.equal(['applied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op']);
      expect(transactions().filter((t) => t.event === 'confirm')).to.have.length(1);
      expect(h.norce.callsOf('putState')).to.have.length(3);
    });

    it('reads the Qliro order instead of trusting the push: a push saying Completed while Qliro says InProcess changes nothing', async () => {
      expect(right(await push('Completed'))).to.deep.equal({ outcome: 'no-op', why: 'in-process' });
      expect(payment().state).to.equal('intent');
    });

    it('OnHold then Completed: pending/accepted, then reserved/completed', async () => {
      h.qliro.setStatus(qliroOrderId, 'OnHold');
      await push('OnHold');
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['pending', 'accepted']);
      h.qliro.setStatus(qliroOrderId, 'Completed');
      await push('Completed');
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['reserved', 'completed']);
    });

    it('OnHold delivered after Completed is a no-op (Qliro says Completed)', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      await push('Completed');
      expect(right(await push('OnHold')).outcome).to.equal('no-op');
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['reserved', 'completed']);
    });

    it('B16: a stale Refused after completion changes nothing and is acknowledged', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      await push('Completed');
      h.qliro.setStatus(qliroOrderId, 'Refused');
      expect(right(await push('Refused'))).to.deep.equal({ outcome: 'no-op', why: 'stale' });
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['reserved', 'completed']);
    });

    it('Refused: payment and order declined', async () => {
      h.qliro.setStatus(qliroOrderId, 'Refused');
      await push('Refused');
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['declined', 'declined']);
      expect(transactions().at(-1)).to.include({ event: 'cancel', isSuccess: false, pspStatus: 'Refused' });
    });

    it('a push naming another Qliro order is refused, touching nothing', async () => {
      const before = h.norce.calls.length;
      expect(leftCode(await push('Completed', qliroOrderId + 1000))).to.equal('order-bad-request');
      expect(h.norce.calls.slice(before).every((c) => c.operation === 'getOrder')).to.equal(true);
    });

    it('a push before the payment reference was written is matched through the Qliro order metadata', async () => {
      await h.norce.updatePayment(REF, orderId, { ...payment(), reference: null, attributes: {} })();
      h.qliro.setStatus(qliroOrderId, 'Completed');
      expect(right(await push()).outcome).to.equal('applied');
      expect(payment()).to.include({ state: 'reserved', reference: String(qliroOrderId) });
    });

    it('B15: Norce failing during the push is a retryable error; the retry completes exactly once', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      h.norce.failNext('updatePayment', adapterError('order-error', 'Norce Checkout answered 503', { transient: true }));
      const first = await push();
      expect(E.isLeft(first) && first.left.transient).to.equal(true);
      expect(payment().state).to.equal('intent');
      expect(right(await push()).outcome).to.equal('applied');
      expect(transactions().filter((t) => t.event === 'confirm')).to.have.length(1);
    });

    it('B39: Norce answering 409 Conflict to a write is retried with a fresh read, and the push succeeds', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      h.norce.failNext('updatePayment', adapterError('order-conflict', 'Norce Checkout answered 409', { transient: true }));
      expect(right(await push()).outcome).to.equal('applied');
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['reserved', 'completed']);
      expect(transactions().filter((t) => t.event === 'confirm')).to.have.length(1);
    });

    it('a delivery that died between the payment and the order writes is finished by the next one', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      h.norce.failNext('putState', adapterError('order-error', 'timeout', { transient: true }));
      expect(E.isLeft(await push())).to.equal(true);
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['reserved', 'checkout']);
      expect(right(await push())).to.deep.equal({ outcome: 'no-op', why: 'duplicate' });
      expect(order().state.currentStatus).to.equal('completed');
      expect(transactions().filter((t) => t.event === 'confirm')).to.have.length(1);
    });
  });

  describe('validate', () => {
    it('approves a matching order: customer written, payment and order to processing', async () => {
      expect(await validate()).to.deep.equal({ approved: true });
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['processing', 'processing']);
      expect(order().customer?.billing).to.include({ email: 'test@example.com', postalCode: '111 22', nationalIdentificationNumber: '790625-5307' });
      expect(transactions().at(-1)).to.include({ event: 'process', isSuccess: true });
    });

    it('B11: declines when the cart changed (items or total differ), writing nothing', async () => {
      const request = validationRequest();
      const changed = { ...request, OrderItems: request.OrderItems.map((l, i) => (i === 0 ? { ...l, Quantity: l.Quantity + 1 } : l)) };
      const before = h.norce.calls.length;
      const decision = await validate(changed);
      expect(decision).to.include({ approved: false, reason: 'Other' });
      expect((decision as { message: string }).message.length).to.be.at.most(150);
      expect(h.norce.calls.slice(before).map((c) => c.operation)).to.deep.equal(['getOrder']);
    });

    it('declines a validation for another Qliro order, and a different currency', async () => {
      expect(await validate({ ...validationRequest(), OrderId: qliroOrderId + 1 })).to.include({ approved: false });
      expect(await validate({ ...validationRequest(), Currency: 'EUR' })).to.include({ approved: false });
      expect(payment().state).to.equal('intent');
    });

    it('declines with IdentityNotVerified when the channel requires it', async () => {
      const doc = structuredClone((await import('../../sandbox/nco-simulator')).sandboxConfigurations('https://q', 'https://a').sandbox!.se!['qliro_checkout_adapter']) as Record<string, unknown>;
      h.configurations.set(REF, { ...doc, requireIdentityVerification: true });
      expect(await validate()).to.include({ approved: false, reason: 'IdentityNotVerified' });
      expect(await validate({ ...validationRequest(), IdentityVerification: { RequireIdentityVerification: true, IdentityVerified: true } })).to.deep.equal({ approved: true });
    });

    it('B17: declines within its budget when Norce is slow, and withdraws the late writes', async () => {
      await startCheckout(checkoutHarness({ validationBudgetMs: 150 }));
      const slowPutState = h.norce.putState.bind(h.norce);
      h.norce.putState = (ref, id, status) => async () => {
        await new Promise((r) => setTimeout(r, 400));
        return slowPutState(ref, id, status)();
      };
      const decision = await validate();
      expect(decision).to.include({ approved: false, reason: 'Other' });
      // The late approval lands, then is withdrawn: poll (bounded) until the withdrawal has run.
      for (let i = 0; i < 150 && !(payment().state === 'intent' && order().state.currentStatus === 'checkout' && transactions().some((t) => t.event === 'reopen')); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['intent', 'checkout']);
    });

    it('a veto from NCO (another adapter refuses processing) is a decline, and the payment goes back to intent', async () => {
      h.norce.failNext('putState', adapterError('order-bad-request', 'norce_adapter refused: out of stock'));
      expect(await validate()).to.include({ approved: false });
      expect([payment().state, order().state.currentStatus]).to.deep.equal(['intent', 'checkout']);
    });
  });

  describe('cart-changed hook', () => {
    const cartChanged = (proposed: NorceOrder) => h.container.resolve(HandleCartChanged).execute({ ...REF, orderId, paymentId, proposed })();
    const withQuantity = (quantity: number): NorceOrder => {
      const o = order();
      const [first, ...rest] = o.cart.items;
      const unit = first!.total.includingVat / first!.quantity;
      const delta = unit * (quantity - first!.quantity);
      const item = { ...first!, quantity, total: { includingVat: first!.total.includingVat + delta, excludingVat: first!.total.excludingVat + delta / (1 + first!.vatRate) }, originalTotal: undefined, discounts: [] };
      return { ...o, cart: { ...o.cart, items: [item, ...rest] }, total: { ...o.total, includingVat: Math.round((o.total.includingVat + delta) * 100) / 100 } };
    };

    it('updates the Qliro order and answers the amount patch for our payment', async () => {
      const patch = right(await cartChanged(withQuantity(3)));
      const index = order().payments!.findIndex((p) => p.id === paymentId);
      expect(patch).to.have.length(1);
      expect(patch[0]).to.include({ op: 'replace', path: `/payments/${index}/amount` });
      expect(h.qliro.callsOf('updateOrder')).to.have.length(1);
    });

    it('answers [] when the amount does not change', async () => {
      expect(right(await cartChanged(order()))).to.deep.equal([]);
    });

    it('B09: refuses (payment-conflict) after completion without calling Qliro', async () => {
      h.qliro.setStatus(qliroOrderId, 'Completed');
      await push();
      expect(leftCode(await cartChanged(withQuantity(3)))).to.equal('payment-conflict');
      expect(h.qliro.callsOf('updateOrder')).to.have.length(0);
    });

    it('refuses while the purchase is in validation (payment processing)', async () => {
      await validate();
      expect(leftCode(await cartChanged(withQuantity(3)))).to.equal('payment-conflict');
    });

    it('answers qliro-order-expired when Qliro says so', async () => {
      h.qliro.expire(qliroOrderId);
      expect(leftCode(await cartChanged(withQuantity(3)))).to.equal('qliro-order-expired');
    });

    it('B25: refuses a currency change under a live Qliro order', async () => {
      expect(leftCode(await cartChanged({ ...order(), currency: 'EUR' }))).to.equal('payment-conflict');
      expect(h.qliro.callsOf('updateOrder')).to.have.length(0);
    });
  });

  describe('state-changed hook', () => {
    const stateChanged = (status: NorceOrder['state']['currentStatus']) =>
      h.container.resolve(HandleStateChanged).execute({ ...REF, orderId, paymentId, proposed: { ...order(), state: { currentStatus: status } } })();

    it('vetoes accepted/completed while Qliro holds no money, allows them once reserved', async () => {
      expect(leftCode(await stateChanged('accepted'))).to.equal('payment-conflict');
      expect(leftCode(await stateChanged('completed'))).to.equal('payment-conflict');
      expect(right(await stateChanged('processing'))).to.deep.equal([]);
      h.qliro.setStatus(qliroOrderId, 'Completed');
      await push();
      expect(right(await stateChanged('completed'))).to.deep.equal([]);
    });

    it('back to checkout from processing reopens the payment while Qliro is still InProcess', async () => {
      await validate();
      const index = order().payments!.findIndex((p) => p.id === paymentId);
      expect(right(await stateChanged('checkout'))).to.deep.equal([{ op: 'replace', path: `/payments/${index}/state`, value: 'intent' }]);
    });
  });

  describe('customer-update', () => {
    const update = () => h.container.resolve(UpdateCustomer).execute({ ...REF, orderId, paymentId })();

    it('B24: the address applies without an email, and the email later without touching the address', async () => {
      h.qliro.setCustomerData(qliroOrderId, { Customer: { Email: null, MobileNumber: null }, ShippingAddress: { FirstName: 'Test', LastName: 'Person', Street: 'Testgatan 1', PostalCode: '11122', City: 'Stockholm', CountryCode: 'SE' } });
      const first = right(await update());
      expect(first.applied).to.include('billing.postalCode').and.include('shipping.city');
      expect(order().customer!.billing).to.include({ postalCode: '11122', city: 'Stockholm', country: 'SE' });
      expect(order().customer!.billing!.email).to.equal(undefined);
      h.qliro.setCustomerData(qliroOrderId, { Customer: { Email: 'buyer@example.invalid' } });
      const second = right(await update());
      expect(second.applied).to.deep.equal(['billing.email', 'shipping.email']);
      expect(order().customer!.billing).to.include({ email: 'buyer@example.invalid', postalCode: '11122' });
      expect(right(await update()).applied).to.deep.equal([]);
    });

    it('B23: masked or missing parts never overwrite what Norce has', async () => {
      h.qliro.setCustomerData(qliroOrderId, { ShippingAddress: { PostalCode: '11122', City: 'Stockholm', CountryCode: 'SE' } });
      await update();
      h.qliro.setCustomerData(qliroOrderId, { ShippingAddress: { Street: '***', PostalCode: '', City: null } });
      expect(right(await update()).applied).to.deep.equal([]);
      expect(order().customer!.shipping).to.include({ postalCode: '11122', city: 'Stockholm' });
    });
  });

  describe('shipping-option-update', () => {
    const choose = (selection: Parameters<UpdateShippingOption['execute']>[0]['selection']) =>
      h.container.resolve(UpdateShippingOption).execute({ ...REF, orderId, paymentId, selection })();

    it('B30: one adapter-owned shipping with the pickup point intact; the payment amount follows the total', async () => {
      right(await choose({ method: 'home', methodName: 'Home delivery', total: { includingVat: 49, excludingVat: 39.2 } }));
      const withHome = payment().amount;
      const result = right(
        await choose({
          method: 'postnord-pickup',
          secondaryOption: 'SE-123456',
          pickupLocation: { name: "Ica Nära Ängby's Livs", address: ["Ängbyplan 2 'Entré B'", '16745 Bromma'] },
          total: { includingVat: 0, excludingVat: 0 },
        }),
      );
      const ours = order().shippings!.filter((s) => s.adapterId === 'qliro_checkout_adapter' && s.state !== 'removed');
      expect(ours).to.have.length(1);
      expect(ours[0]).to.include({ reference: 'postnord-pickup', vatRate: 0 });
      expect(ours[0]!.deliveryDetails).to.deep.include({
        pickupLocation: { reference: 'SE-123456', name: "Ica Nära Ängby's Livs", description: ["Ängbyplan 2 'Entré B'", '16745 Bromma'] },
      });
      expect(Math.round((withHome - payment().amount) * 100)).to.equal(4900);
      expect(result.amount).to.equal(payment().amount);
      expect(payment().amount).to.equal(order().total.includingVat);
    });

    it('refuses once the purchase is being validated', async () => {
      await validate();
      expect(leftCode(await choose({ method: 'home', total: { includingVat: 49, excludingVat: 39.2 } }))).to.equal('payment-conflict');
    });
  });
});
