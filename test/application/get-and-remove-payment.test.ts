import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { CreatePayment } from '../../src/application/use-cases/create-payment';
import { GetPayment } from '../../src/application/use-cases/get-payment';
import { RemovePayment } from '../../src/application/use-cases/remove-payment';
import type { AdapterError } from '../../src/domain/errors';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { checkoutHarness, REF, type CheckoutHarness } from './checkout-harness';

describe('GetPayment and RemovePayment (use cases, against port fakes)', () => {
  let h: CheckoutHarness;
  let orderId: string;
  let paymentId: string;
  const get = (pid = paymentId) => h.container.resolve(GetPayment).execute({ ...REF, orderId, paymentId: pid })();
  const remove = (pid = paymentId) => h.container.resolve(RemovePayment).execute({ ...REF, orderId, paymentId: pid })();
  const codeOf = (r: E.Either<AdapterError, unknown>) => (E.isLeft(r) ? r.left.code : 'ok');

  beforeEach(async () => {
    h = checkoutHarness();
    orderId = h.norce.seed(sandboxDemoOrder('se'), REF);
    const created = await h.container.resolve(CreatePayment).execute({ ...REF, orderId })();
    paymentId = (created as E.Right<{ paymentId: string }>).right.paymentId;
  });

  describe('get', () => {
    it('answers the current snippet of the Qliro order: the thank-you snippet after purchase', async () => {
      const qliroOrderId = Number(h.norce.order(orderId)!.payments![0]!.reference);
      const before = (await get()) as E.Right<{ paymentId: string; htmlSnippet: string }>;
      expect(before.right.paymentId).to.equal(paymentId);
      expect(before.right.htmlSnippet).to.contain(`data-qliro-order-id="${qliroOrderId}"`).and.contain('InProcess');
      h.qliro.setStatus(qliroOrderId, 'Completed');
      const after = (await get()) as E.Right<{ htmlSnippet: string }>;
      expect(after.right.htmlSnippet).to.contain('Completed');
    });

    it('answers payment-not-found for an unknown payment and for another adapter\'s payment', async () => {
      expect(codeOf(await get('p_unknown'))).to.equal('payment-not-found');
      const other = await h.norce.createPayment(REF, orderId, { adapterId: 'awardit_adapter', name: 'Gift card', type: 'voucher', currency: 'SEK', amount: 10, state: 'intent' })();
      expect(codeOf(await get((other as E.Right<string>).right))).to.equal('payment-not-found');
    });

    it('answers order-not-found for an unknown order', async () => {
      const result = await h.container.resolve(GetPayment).execute({ ...REF, orderId: 'o_missing', paymentId })();
      expect(codeOf(result)).to.equal('order-not-found');
    });
  });

  describe('remove', () => {
    it('sets the payment removed, records it, and deletes exactly this payment\'s hooks', async () => {
      await h.norce.addHook(REF, orderId, { adapterId: 'norce_adapter', subscribeTo: '/state', invoke: 'https://norce-adapter.test/state-changed', version: 'v0' })();
      expect(await remove()).to.deep.equal(E.right(undefined));
      const order = h.norce.order(orderId)!;
      expect(order.payments!.find((p) => p.id === paymentId)!.state).to.equal('removed');
      expect(order.hooks!.map((x) => x.adapterId)).to.deep.equal(['norce_adapter']);
      expect(h.norce.transactions(orderId, paymentId).map((t) => t.event)).to.deep.equal(['open', 'cancel']);
    });

    it('soft-deletes the shippings this adapter owns and leaves the others', async () => {
      await h.norce.createShipping(REF, orderId, { adapterId: 'qliro_checkout_adapter', name: 'PostNord', reference: 'PN', state: 'intent', total: { includingVat: 49, excludingVat: 39.2 }, vatRate: 0.25 })();
      await remove();
      const shippings = h.norce.order(orderId)!.shippings!;
      expect(shippings.filter((s) => s.adapterId === 'qliro_checkout_adapter').map((s) => s.state)).to.deep.equal(['removed']);
      expect(shippings.filter((s) => s.adapterId !== 'qliro_checkout_adapter').every((s) => s.state !== 'removed')).to.equal(true);
    });

    it('is idempotent: removing twice succeeds and records one removal', async () => {
      await remove();
      expect(await remove()).to.deep.equal(E.right(undefined));
      expect(h.norce.transactions(orderId, paymentId).filter((t) => t.event === 'cancel')).to.have.length(1);
    });

    it('refuses with payment-conflict when money is reserved, changing nothing', async () => {
      const payment = h.norce.order(orderId)!.payments![0]!;
      await h.norce.updatePayment(REF, orderId, { ...payment, state: 'reserved' })();
      const before = h.norce.calls.length;
      expect(codeOf(await remove())).to.equal('payment-conflict');
      expect(h.norce.calls.slice(before).map((c) => c.operation)).to.deep.equal(['getOrder']);
      expect(h.norce.order(orderId)!.hooks!.filter((x) => x.adapterId === 'qliro_checkout_adapter')).to.have.length(3);
    });

    it('lets a new checkout be created after remove, with a new Qliro MerchantReference', async () => {
      await remove();
      const again = await h.container.resolve(CreatePayment).execute({ ...REF, orderId })();
      expect(E.isRight(again)).to.equal(true);
      expect((again as E.Right<{ paymentId: string }>).right.paymentId).to.not.equal(paymentId);
      const refs = h.qliro.callsOf('createOrder').map((c) => c.args[1].MerchantReference);
      expect(refs).to.deep.equal([orderId, `${orderId}-2`]);
    });
  });
});
