// Behaviour every NorceOrderRepository shares (the fake and the HTTP adapter against the NCO simulator).
import { expect } from 'chai';
import { isLeft, type Either } from 'fp-ts/Either';
import type { NorceOrderRepository } from '../../src/application/ports/norce-order-repository';
import type { ChannelRef } from '../../src/domain/channel-configuration';
import type { AdapterError } from '../../src/domain/errors';
import { ADAPTER_ID, PAYMENT_NAME, type NewNorcePayment, type NorcePayment } from '../../src/domain/norce-order';
import { ORDER_2, orderBodyFrom } from '../adapters/norce/norce-fixtures';

export interface NorceOrderRepositoryContractSubject {
  readonly repository: NorceOrderRepository;
  /** Creates an order from an Order body, as `POST /api/v0/checkout/orders` does; returns its id. */
  createOrder(ref: ChannelRef, body: Record<string, unknown>): Promise<string>;
  /** The transactions stored on a payment, read behind the port's back. */
  transactions(ref: ChannelRef, orderId: string, paymentId: string): Promise<readonly Record<string, unknown>[]>;
  close?(): Promise<void>;
}

export function right<A>(result: Either<AdapterError, A>): A {
  if (isLeft(result)) throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

export function leftOf<A>(result: Either<AdapterError, A>): AdapterError {
  if (!isLeft(result)) throw new Error(`expected an error, got ${JSON.stringify(result.right)}`);
  return result.left;
}

const REF: ChannelRef = { merchant: 'norce-open-demo', channel: 'nc-qliro-se' };
const OTHER_MERCHANT: ChannelRef = { merchant: 'someone-else', channel: 'nc-qliro-se' };
const OTHER_CHANNEL: ChannelRef = { merchant: 'norce-open-demo', channel: 'nc-qliro-no' };

const newPayment = (amount: number): NewNorcePayment => ({
  adapterId: ADAPTER_ID,
  name: PAYMENT_NAME,
  type: 'default',
  currency: 'SEK',
  amount,
  state: 'intent',
});

export function describeNorceOrderRepositoryContract(
  name: string,
  setup: () => Promise<NorceOrderRepositoryContractSubject>,
): void {
  describe(`NorceOrderRepository contract: ${name}`, () => {
    let subject: NorceOrderRepositoryContractSubject;
    let repo: NorceOrderRepository;
    let orderId: string;

    before(async () => {
      subject = await setup();
      repo = subject.repository;
    });
    after(async () => {
      await subject?.close?.();
    });
    beforeEach(async () => {
      orderId = await subject.createOrder(REF, orderBodyFrom(ORDER_2));
    });

    describe('orders', () => {
      it('reads an order with its cart, totals and state', async () => {
        const order = right(await repo.getOrder(REF, orderId)());
        expect(order.id).to.equal(orderId);
        expect(order.currency).to.equal('SEK');
        expect(order.country).to.equal('SE');
        expect(order.state.currentStatus).to.equal('checkout');
        expect(order.cart.items.map((i) => i.vatRate)).to.deep.equal([0.25, 0.12, 0.06]);
        expect(order.total).to.deep.equal({ includingVat: 1781.7, excludingVat: 1459.93 });
      });

      it('an unknown order is order-not-found, naming it', async () => {
        const error = leftOf(await repo.getOrder(REF, 'oDoesNotExist')());
        expect(error.code).to.equal('order-not-found');
        expect(error.message).to.equal('Order oDoesNotExist was not found in Norce Checkout');
        expect(error.transient).to.not.equal(true);
      });

      it("another merchant's or channel's order is not found", async () => {
        expect(leftOf(await repo.getOrder(OTHER_MERCHANT, orderId)()).code).to.equal('order-not-found');
        expect(leftOf(await repo.getOrder(OTHER_CHANNEL, orderId)()).code).to.equal('order-not-found');
        expect(leftOf(await repo.createPayment(OTHER_MERCHANT, orderId, newPayment(1))()).code).to.equal('order-not-found');
      });

      it('a write to an unknown order is order-not-found', async () => {
        expect(leftOf(await repo.createPayment(REF, 'oDoesNotExist', newPayment(1))()).code).to.equal('order-not-found');
        expect(leftOf(await repo.putState(REF, 'oDoesNotExist', 'processing')()).code).to.equal('order-not-found');
      });

      it('sets the order state', async () => {
        right(await repo.putState(REF, orderId, 'processing')());
        expect(right(await repo.getOrder(REF, orderId)()).state.currentStatus).to.equal('processing');
        right(await repo.putState(REF, orderId, 'checkout')());
        expect(right(await repo.getOrder(REF, orderId)()).state.currentStatus).to.equal('checkout');
      });
    });

    describe('payments', () => {
      it('creates a payment and reads it back', async () => {
        const paymentId = right(await repo.createPayment(REF, orderId, { ...newPayment(1781.7), reference: 'ref-1', attributes: { a: 1 } })());
        expect(paymentId).to.be.a('string').and.not.equal('');
        const payment = right(await repo.getPayment(REF, orderId, paymentId)());
        expect(payment).to.include({
          id: paymentId,
          adapterId: ADAPTER_ID,
          name: PAYMENT_NAME,
          type: 'default',
          currency: 'SEK',
          amount: 1781.7,
          state: 'intent',
          reference: 'ref-1',
        });
        expect(payment.attributes).to.deep.equal({ a: 1 });
        const order = right(await repo.getOrder(REF, orderId)());
        expect(order.payments?.map((p) => p.id)).to.include(paymentId);
      });

      it('gives each new payment its own id', async () => {
        const a = right(await repo.createPayment(REF, orderId, newPayment(1))());
        const b = right(await repo.createPayment(REF, orderId, newPayment(2))());
        expect(a).to.not.equal(b);
      });

      it('an unknown payment is payment-not-found', async () => {
        const error = leftOf(await repo.getPayment(REF, orderId, 'pNope')());
        expect(error.code).to.equal('payment-not-found');
        expect(error.message).to.contain('pNope');
      });

      it('updates state, amount, reference and attributes with the whole payment', async () => {
        const paymentId = right(await repo.createPayment(REF, orderId, newPayment(100))());
        const before = right(await repo.getPayment(REF, orderId, paymentId)());
        const changed: NorcePayment = {
          ...before,
          state: 'processing',
          amount: 1781.7,
          reference: '4951204',
          attributes: { qliroOrderId: 4951204, qliroMerchantReference: orderId },
        };
        const returned = right(await repo.updatePayment(REF, orderId, changed)());
        expect(returned).to.include({ id: paymentId, state: 'processing', amount: 1781.7, reference: '4951204' });
        const read = right(await repo.getPayment(REF, orderId, paymentId)());
        expect(read).to.include({ id: paymentId, state: 'processing', amount: 1781.7, reference: '4951204', adapterId: ADAPTER_ID });
        expect(read.attributes).to.deep.equal({ qliroOrderId: 4951204, qliroMerchantReference: orderId });
      });

      it('updating an unknown payment is payment-not-found', async () => {
        const error = leftOf(await repo.updatePayment(REF, orderId, { id: 'pNope', amount: 1, state: 'intent' })());
        expect(error.code).to.equal('payment-not-found');
      });

      it('adds transactions to a payment', async () => {
        const paymentId = right(await repo.createPayment(REF, orderId, newPayment(1781.7))());
        right(
          await repo.addTransaction(REF, orderId, paymentId, {
            event: 'open',
            pspEvent: 'CreateOrder',
            pspStatus: 'InProcess',
            amount: 1781.7,
            isSuccess: true,
            requestJson: '{"MerchantReference":"x"}',
            responseJson: '{"OrderId":4951204}',
          })(),
        );
        right(await repo.addTransaction(REF, orderId, paymentId, { event: 'process', amount: 1781.7, isSuccess: true })());
        const transactions = await subject.transactions(REF, orderId, paymentId);
        expect(transactions.map((t) => t['event'])).to.deep.equal(['open', 'process']);
        expect(transactions[0]).to.include({ pspEvent: 'CreateOrder', amount: 1781.7, isSuccess: true });
        expect(transactions[0]!['created']).to.be.a('string');
      });

      it('a transaction on an unknown payment is payment-not-found', async () => {
        const error = leftOf(await repo.addTransaction(REF, orderId, 'pNope', { event: 'open', amount: 1, isSuccess: true })());
        expect(error.code).to.equal('payment-not-found');
      });

      it('publishes payment actions, each once', async () => {
        const paymentId = right(await repo.createPayment(REF, orderId, newPayment(1781.7))());
        const capture = { adapterId: ADAPTER_ID, type: 'capture', url: `https://adapter.example/capture/${paymentId}` };
        const cancel = { adapterId: ADAPTER_ID, type: 'cancel', url: `https://adapter.example/cancel/${paymentId}` };
        right(await repo.addPaymentActions(REF, orderId, paymentId, [capture, cancel])());
        right(await repo.addPaymentActions(REF, orderId, paymentId, [capture])());
        const payment = right(await repo.getPayment(REF, orderId, paymentId)());
        expect(payment.actions?.map((a) => a.type)).to.deep.equal(['capture', 'cancel']);
        expect(payment.actions?.every((a) => typeof a.id === 'string' && a.id !== '')).to.equal(true);
      });
    });

    describe('hooks', () => {
      it('adds a hook (listed on the order) and deletes it', async () => {
        const hook = {
          adapterId: ADAPTER_ID,
          subscribeTo: '/cart',
          target: '/payments',
          invoke: 'https://adapter.example/api/checkout/v1/callback/orders/{order_id}/payments/p1/update-payment',
          version: 'v0' as const,
        };
        const hookId = right(await repo.addHook(REF, orderId, hook)());
        expect(hookId).to.be.a('string').and.not.equal('');
        const withHook = right(await repo.getOrder(REF, orderId)());
        expect(withHook.hooks?.find((h) => h.id === hookId)).to.include({ subscribeTo: '/cart', invoke: hook.invoke });

        right(await repo.deleteHook(REF, orderId, hookId)());
        const without = right(await repo.getOrder(REF, orderId)());
        expect(without.hooks?.some((h) => h.id === hookId)).to.equal(false);
      });

      it('deleting a hook that is already gone succeeds; on an unknown order it is order-not-found', async () => {
        right(await repo.deleteHook(REF, orderId, 'oc_gone')());
        expect(leftOf(await repo.deleteHook(REF, 'oDoesNotExist', 'oc_gone')()).code).to.equal('order-not-found');
      });
    });

    describe('shippings', () => {
      const shipping = {
        adapterId: ADAPTER_ID,
        name: 'PostNord MyPack Collect',
        reference: 'pn-mypack-collect',
        state: 'intent',
        total: { includingVat: 49, excludingVat: 39.2 },
        vatRate: 0.25,
        deliveryDetails: { carrier: 'PostNord', class: 'pickup' },
      };

      it('creates a shipping, which counts in the order total', async () => {
        const before = right(await repo.getOrder(REF, orderId)());
        const shippingId = right(await repo.createShipping(REF, orderId, shipping)());
        const after = right(await repo.getOrder(REF, orderId)());
        expect(after.shippings?.find((s) => s.id === shippingId)).to.include({ name: shipping.name, reference: shipping.reference, state: 'intent' });
        expect(after.total.includingVat).to.be.closeTo(before.total.includingVat + 49, 1e-9);
      });

      it('updates a shipping; a removed one no longer counts', async () => {
        const shippingId = right(await repo.createShipping(REF, orderId, shipping)());
        const withIt = right(await repo.getOrder(REF, orderId)());
        right(await repo.updateShipping(REF, orderId, { ...shipping, id: shippingId, name: 'PostNord Express', state: 'removed' })());
        const after = right(await repo.getOrder(REF, orderId)());
        expect(after.shippings?.find((s) => s.id === shippingId)).to.include({ name: 'PostNord Express', state: 'removed' });
        expect(after.total.includingVat).to.be.closeTo(withIt.total.includingVat - 49, 1e-9);
      });

      it('updating an unknown shipping is shipping-not-found', async () => {
        const error = leftOf(await repo.updateShipping(REF, orderId, { ...shipping, id: 's_nope' })());
        expect(error.code).to.equal('shipping-not-found');
        expect(error.message).to.contain('s_nope');
      });
    });

    describe('customer', () => {
      it('sets billing and shipping addresses', async () => {
        const billing = {
          type: 'Person',
          givenName: 'Test',
          familyName: 'Person',
          streetAddress: 'Testgatan 1',
          postalCode: '111 22',
          city: 'Stockholm',
          country: 'SE',
          email: 'test@example.com',
          phone: '0700000000',
        };
        const shippingAddress = { ...billing, careOf: 'Test Company AB' };
        right(await repo.putCustomerBilling(REF, orderId, billing)());
        right(await repo.putCustomerShipping(REF, orderId, shippingAddress)());
        const order = right(await repo.getOrder(REF, orderId)());
        expect(order.customer?.billing).to.deep.include(billing);
        expect(order.customer?.shipping).to.deep.include(shippingAddress);
      });
    });
  });
}
