import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { CreatePayment } from '../../src/application/use-cases/create-payment';
import { adapterError } from '../../src/domain/errors';
import { qliroLinesTotalMinor } from '../../src/domain/qliro-order-lines';
import { toMinor } from '../../src/domain/money';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { loadFixture } from '../support/fixtures';
import { checkoutHarness, REF, type CheckoutHarness } from './checkout-harness';

type Json = Record<string, unknown>;

/** A fixture order as a fresh checkout: no payments or hooks of its own. */
function freshOrder(order: Json): Json {
  return { ...order, payments: [], hooks: [], state: { currentStatus: 'checkout', transitions: [] } };
}

describe('CreatePayment (use case, against port fakes)', () => {
  let h: CheckoutHarness;
  let orderId: string;
  const run = (id = orderId) => h.container.resolve(CreatePayment).execute({ ...REF, orderId: id })();

  beforeEach(() => {
    h = checkoutHarness();
    orderId = h.norce.seed(freshOrder(loadFixture('norce', 'orders', 'order-2-se-mixed-vat-discount-qliro-intent.json')), REF);
  });

  it('creates the Norce payment, the Qliro order, the reference, an open transaction and the three hooks', async () => {
    const result = await run();
    expect(E.isRight(result), JSON.stringify(result)).to.equal(true);
    const { paymentId, htmlSnippet } = (result as E.Right<{ paymentId: string; htmlSnippet: string }>).right;
    expect(htmlSnippet).to.be.a('string').and.not.equal('');

    const order = h.norce.order(orderId)!;
    const payment = order.payments!.find((p) => p.id === paymentId)!;
    const [qliroOrder] = [...h.qliro.orders.values()];
    expect(payment).to.include({ adapterId: 'qliro_checkout_adapter', name: 'Qliro Checkout', type: 'default', state: 'intent', amount: 1781.7 });
    expect(payment.reference).to.equal(String(qliroOrder!.orderId));
    expect(payment.attributes).to.include({ qliroOrderId: qliroOrder!.orderId, qliroMerchantReference: orderId });

    const lines = qliroOrder!.createRequest.OrderItems;
    expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(toMinor(order.total.includingVat, 'SEK'));

    const [open] = h.norce.transactions(orderId, paymentId);
    expect(open).to.include({ event: 'open', pspEvent: 'CreateOrder', isSuccess: true, amount: 1781.7 });

    const hooks = order.hooks!.filter((x) => x.adapterId === 'qliro_checkout_adapter');
    expect(hooks.map((x) => x.subscribeTo).sort()).to.deep.equal(['/cart', '/shippings', '/state']);
    expect(hooks.every((x) => x.invoke.startsWith(`https://adapter.test/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/`))).to.equal(true);
  });

  it('gives Qliro callback URLs that carry merchant, channel and a token the adapter accepts', async () => {
    const result = await run();
    const { paymentId } = (result as E.Right<{ paymentId: string }>).right;
    const request = [...h.qliro.orders.values()][0]!.createRequest;
    for (const [url, name] of [
      [request.MerchantCheckoutStatusPushUrl, 'push'],
      [request.MerchantOrderValidationUrl, 'validate'],
      [request.MerchantOrderManagementStatusPushUrl, 'status'],
    ] as const) {
      const parsed = new URL(url);
      expect(parsed.pathname).to.equal(`/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/${name}`);
      expect(parsed.searchParams.get('merchant')).to.equal('sandbox');
      expect(parsed.searchParams.get('channel')).to.equal('se');
      expect(h.tokens.verify({ ...REF, orderId, paymentId }, parsed.searchParams.get('token') ?? undefined)).to.equal(true);
    }
    expect(request).to.include({ Currency: 'SEK', Country: 'SE', Language: 'sv-se' });
    expect(request.MerchantConfirmationUrl).to.contain(orderId);
  });

  it('is idempotent: a repeated create answers the same payment without a second Qliro order or hook', async () => {
    const first = await run();
    const second = await run();
    expect(second).to.deep.equal(first);
    expect(h.qliro.callsOf('createOrder')).to.have.length(1);
    expect(h.norce.callsOf('createPayment')).to.have.length(1);
    expect(h.norce.callsOf('addHook')).to.have.length(3);
  });

  it('re-adds the hooks a create that died half way left out, and nothing else', async () => {
    const first = (await run()) as E.Right<{ paymentId: string }>;
    const order = h.norce.order(orderId)!;
    const stateHook = order.hooks!.find((x) => x.subscribeTo === '/state')!;
    await h.norce.deleteHook(REF, orderId, stateHook.id)();
    const again = await run();
    expect(again).to.deep.equal(first);
    const hooks = h.norce.order(orderId)!.hooks!.filter((x) => x.adapterId === 'qliro_checkout_adapter');
    expect(hooks).to.have.length(3);
    expect(h.qliro.callsOf('createOrder')).to.have.length(1);
  });

  it('continues with an intent payment that has no Qliro order yet instead of adding a second payment', async () => {
    const paymentId = E.getOrElse((): string => '')(
      await h.norce.createPayment(REF, orderId, { adapterId: 'qliro_checkout_adapter', name: 'Qliro Checkout', type: 'default', currency: 'SEK', amount: 1781.7, state: 'intent' })(),
    );
    const result = (await run()) as E.Right<{ paymentId: string }>;
    expect(result.right.paymentId).to.equal(paymentId);
    expect(h.norce.order(orderId)!.payments!.filter((p) => p.adapterId === 'qliro_checkout_adapter')).to.have.length(1);
  });

  it('refuses an order that is not in checkout, writing nothing', async () => {
    await h.norce.putState(REF, orderId, 'processing')();
    const writesBefore = h.norce.calls.length;
    const result = await run();
    expect(result).to.deep.include({ _tag: 'Left' });
    expect((result as E.Left<{ code: string }>).left.code).to.equal('order-conflict');
    expect(h.norce.calls.slice(writesBefore).map((c) => c.operation)).to.deep.equal(['getOrder']);
    expect(h.qliro.calls).to.have.length(0);
  });

  it('answers payment-conflict when a Qliro payment already holds money', async () => {
    const fixture = loadFixture('norce', 'orders', 'order-4-no-nok-accepted-reserved.json');
    const id = h.norce.seed({ ...fixture, state: { currentStatus: 'checkout', transitions: [] } }, REF);
    const result = await run(id);
    expect((result as E.Left<{ code: string }>).left.code).to.equal('payment-conflict');
    expect(h.norce.callsOf('createPayment')).to.have.length(0);
    expect(h.qliro.calls).to.have.length(0);
  });

  it('refuses an inconsistent order with order-validation before any write', async () => {
    const order = freshOrder(loadFixture('norce', 'orders', 'order-2-se-mixed-vat-discount-qliro-intent.json'));
    const id = h.norce.seed({ ...order, total: { includingVat: 1881.7, excludingVat: 1559.93 } }, REF);
    const result = await run(id);
    const error = (result as E.Left<{ code: string; message: string }>).left;
    expect(error.code).to.equal('order-validation');
    expect(error.message).to.match(/100\.00/);
    expect(h.norce.callsOf('createPayment')).to.have.length(0);
    expect(h.qliro.calls).to.have.length(0);
  });

  it('leaves the Norce payment failed, with a failed transaction, when Qliro refuses the order', async () => {
    const refusal = adapterError('qliro-validation', 'Qliro refused the order', {
      qliroError: { ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Property: Language, Message: invalid', ErrorReference: 'x' },
    });
    h.qliro.failNext('createOrder', refusal);
    const result = await run();
    expect((result as E.Left<unknown>).left).to.deep.equal(refusal);
    const [payment] = h.norce.order(orderId)!.payments!;
    expect(payment!.state).to.equal('failed');
    const [tx] = h.norce.transactions(orderId, payment!.id);
    expect(tx).to.include({ event: 'open', isSuccess: false, pspStatus: 'INVALID_INPUT' });
    expect(h.norce.callsOf('addHook')).to.have.length(0);
  });

  it('after a failed attempt, a new create makes a new payment with a new merchant reference', async () => {
    h.qliro.failNext('createOrder', adapterError('qliro-error', 'Qliro timed out', { transient: true }));
    await run();
    const second = (await run()) as E.Right<{ paymentId: string }>;
    expect(E.isRight(second)).to.equal(true);
    const refs = h.qliro.callsOf('createOrder').map((c) => c.args[1].MerchantReference);
    expect(refs).to.have.length(2);
    expect(refs[0]).to.not.equal(refs[1]);
  });

  it('derives another MerchantReference and retries once on ORDER_ALREADY_EXISTS', async () => {
    h.qliro.failNext(
      'createOrder',
      adapterError('qliro-bad-request', 'exists', { qliroError: { ErrorCode: 'ORDER_ALREADY_EXISTS', ErrorMessage: 'exists', ErrorReference: 'r' } }),
    );
    const result = await run();
    expect(E.isRight(result)).to.equal(true);
    const refs = h.qliro.callsOf('createOrder').map((c) => c.args[1].MerchantReference);
    expect(refs).to.deep.equal([orderId, `${orderId}-2`]);
    expect(h.norce.order(orderId)!.payments![0]!.attributes).to.include({ qliroMerchantReference: `${orderId}-2` });
  });

  it('covers only what vouchers leave: the voucher is a 0 % discount line and the payment amount excludes it', async () => {
    const fixture = loadFixture('norce', 'orders', 'order-3-se-voucher-qliro-processing.json') as Json;
    const payments = (fixture['payments'] as Json[]).filter((p) => p['adapterId'] !== 'qliro_checkout_adapter');
    const id = h.norce.seed({ ...fixture, payments, hooks: [], state: { currentStatus: 'checkout', transitions: [] } }, REF);
    const result = (await run(id)) as E.Right<{ paymentId: string }>;
    const payment = h.norce.order(id)!.payments!.find((p) => p.id === result.right.paymentId)!;
    expect(payment.amount).to.equal(976.8);
    const lines = [...h.qliro.orders.values()][0]!.createRequest.OrderItems;
    expect(lines.some((l) => l.Type === 'Discount' && l.VatRate === 0 && l.PricePerItemIncVat === -500)).to.equal(true);
  });

  it('answers configuration-not-found for a channel without a document, touching nothing', async () => {
    const result = await h.container.resolve(CreatePayment).execute({ merchant: 'sandbox', channel: 'xx', orderId })();
    expect((result as E.Left<{ code: string }>).left.code).to.equal('configuration-not-found');
    expect(h.norce.calls).to.have.length(0);
  });

  it('maps every sandbox channel demo order into a Qliro order that sums to the Norce total', async () => {
    for (const channel of ['se', 'no', 'fi', 'dk'] as const) {
      const ref = { merchant: 'sandbox', channel };
      const id = h.norce.seed(sandboxDemoOrder(channel), ref);
      const result = await h.container.resolve(CreatePayment).execute({ ...ref, orderId: id })();
      expect(E.isRight(result), `${channel}: ${JSON.stringify(result)}`).to.equal(true);
      const order = h.norce.order(id)!;
      const created = h.qliro.callsOf('createOrder').at(-1)!.args[1];
      expect(qliroLinesTotalMinor(created.OrderItems, order.currency)).to.equal(toMinor(order.total.includingVat, order.currency));
    }
  });
});
