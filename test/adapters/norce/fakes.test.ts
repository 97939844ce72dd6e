// The fakes' own controls (their port behaviour is checked by the contract suites).
import { expect } from 'chai';
import { adapterError } from '../../../src/domain/errors';
import { NorceOrderCodec } from '../../../src/adapters/norce/codecs';
import { ADAPTER_ID, type NorceOrder } from '../../../src/domain/norce-order';
import { FakeNorceOrderRepository } from '../../fakes/fake-norce-order-repository';
import { FakeConfigurationRepository } from '../../fakes/fake-configuration-repository';
import { leftOf, right } from '../../contract/norce-order-repository.contract';
import { decodeOrThrow, readNorceFixture } from './norce-fixtures';

const REF = { merchant: 'norce-open-demo', channel: 'nc-qliro-no' };
const order4 = (): NorceOrder => decodeOrThrow(NorceOrderCodec, readNorceFixture('orders/order-4-no-nok-accepted-reserved.json'));

describe('FakeNorceOrderRepository', () => {
  it('is seeded with deep copies of NorceOrders, visible to their own merchant/channel', async () => {
    const seed = order4();
    const fake = new FakeNorceOrderRepository({ orders: [seed] });
    (seed.cart.items as unknown as { quantity: number }[])[0]!.quantity = 99;
    const order = right(await fake.getOrder(REF, seed.id)());
    expect(order.cart.items[0]?.quantity).to.equal(1);
    expect(order.state.currentStatus).to.equal('accepted');
    expect(leftOf(await fake.getOrder({ ...REF, channel: 'nc-qliro-se' }, seed.id)()).code).to.equal('order-not-found');
  });

  it('seeds an order without merchant/channel for every channel, or for the given ref', async () => {
    const { merchant: _m, channel: _c, ...bare } = order4();
    const fake = new FakeNorceOrderRepository();
    const anyId = fake.seed({ ...bare, id: 'oAny' });
    right(await fake.getOrder({ merchant: 'x', channel: 'y' }, anyId)());
    const scopedId = fake.seed({ ...bare, id: 'oScoped' }, { merchant: 'x', channel: 'y' });
    expect(leftOf(await fake.getOrder(REF, scopedId)()).code).to.equal('order-not-found');
  });

  it('logs calls, records transactions, generates NCO-style ids', async () => {
    const fake = new FakeNorceOrderRepository({ orders: [order4()] });
    const orderId = order4().id;
    const paymentId = right(
      await fake.createPayment(REF, orderId, { adapterId: ADAPTER_ID, name: 'Qliro Checkout', type: 'default', currency: 'NOK', amount: 1, state: 'intent' })(),
    );
    expect(paymentId).to.match(/^p[A-Za-z]{26}$/);
    expect(right(await fake.addHook(REF, orderId, { adapterId: ADAPTER_ID, subscribeTo: '/cart', invoke: 'https://a', version: 'v0' })())).to.match(/^oc_/);
    right(await fake.addTransaction(REF, orderId, paymentId, { event: 'open', amount: 1, isSuccess: true })());
    expect(fake.transactions(orderId, paymentId).map((t) => t.event)).to.deep.equal(['open']);
    expect(fake.calls.map((c) => c.operation)).to.deep.equal(['createPayment', 'addHook', 'addTransaction']);
    expect(fake.callsOf('addTransaction')[0]).to.deep.include({ orderId, ref: REF, args: [paymentId, { event: 'open', amount: 1, isSuccess: true }] });
    expect(fake.order(orderId)?.payments?.map((p) => p.id)).to.include(paymentId);
  });

  it('failNext makes the next calls of one operation fail without touching the order', async () => {
    const fake = new FakeNorceOrderRepository({ orders: [order4()] });
    const orderId = order4().id;
    const busy = adapterError('order-conflict', 'busy', { transient: true });
    fake.failNext('putState', busy, 2);
    expect(leftOf(await fake.putState(REF, orderId, 'completed')())).to.equal(busy);
    right(await fake.getOrder(REF, orderId)());
    expect(leftOf(await fake.putState(REF, orderId, 'completed')())).to.equal(busy);
    expect(fake.order(orderId)?.state.currentStatus).to.equal('accepted');
    right(await fake.putState(REF, orderId, 'completed')());
    expect(fake.order(orderId)?.state.currentStatus).to.equal('completed');
    expect(fake.callsOf('putState')).to.have.length(3);
  });
});

describe('FakeConfigurationRepository', () => {
  it('decodes per get, can be changed, fails on demand, logs gets', async () => {
    const ref = { merchant: 'm', channel: 'c' };
    const fake = new FakeConfigurationRepository({ m: { c: readNorceFixture('config/qliro_checkout_adapter.json') } });
    expect(right(await fake.get(ref)()).merchantApiKey).to.equal('TESTMERCHANTKEY');
    const down = adapterError('configuration-error', 'down', { transient: true });
    fake.failNext(down);
    expect(leftOf(await fake.get(ref)())).to.equal(down);
    fake.set(ref, { active: false });
    expect(leftOf(await fake.get(ref)()).message).to.match(/is not active$/);
    fake.delete(ref);
    expect(leftOf(await fake.get(ref)()).code).to.equal('configuration-not-found');
    expect(fake.calls).to.have.length(4);
  });
});
