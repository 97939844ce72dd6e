// The purchase over HTTP: adapter + NCO simulator (calling our hooks) + Qliro simulator (validation, pushes, retries).
import { expect } from 'chai';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { SANDBOX } from '../../src/infrastructure/sandbox';
import { CallbackTokens } from '../../src/application/callback-urls';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from './sandbox-client';

describe('e2e: checkout flow against the simulators', function () {
  this.timeout(20000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  const ordersUrl = () => `${sandbox.norceUrl}/api/v0/checkout/orders`;
  const norceOrder = (id: string) => sandbox.nco.store.order(id) as any;
  const paymentOf = (id: string) => norceOrder(id).payments.find((p: any) => p.adapterId === 'qliro_checkout_adapter' && p.state !== 'removed');
  const transactionsOf = (id: string) => sandbox.nco.store.transactionsOf(id, paymentOf(id).id) as any[];
  const states = (id: string) => [paymentOf(id).state, norceOrder(id).state.currentStatus];

  async function checkout(channel = 'se'): Promise<{ orderId: string; paymentId: string; qliroOrderId: number }> {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder(channel as 'se'), channel);
    const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders(channel) });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    return { orderId, paymentId: created.body.paymentId, qliroOrderId: Number(paymentOf(orderId).reference) };
  }

  async function complete(qliroOrderId: number, options: Record<string, unknown>) {
    const answer = await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: options });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    return answer;
  }

  const callbackUrl = (orderId: string, paymentId: string, name: string, token?: string) => {
    const tokens = new CallbackTokens(SANDBOX.callbackSigningSecret);
    const subject = { merchant: 'sandbox', channel: 'se', orderId, paymentId };
    const query = new URLSearchParams({ merchant: 'sandbox', channel: 'se', ...(token === undefined ? { token: tokens.sign(subject) } : token ? { token } : {}) });
    return `${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/${name}?${query}`;
  };

  it('a whole purchase: cart change through NCO hooks, customer, shipping, Completed → order completed, payment reserved', async () => {
    const { orderId, paymentId, qliroOrderId } = await checkout();
    // The storefront changes the cart: NCO calls our cart-changed hook, which updates Qliro and patches the amount.
    const cart = structuredClone(norceOrder(orderId).cart);
    cart.items[0].quantity += 1;
    cart.items[0].total = { includingVat: cart.items[0].total.includingVat * 2, excludingVat: cart.items[0].total.excludingVat * 2 };
    cart.items[0].originalTotal = { includingVat: cart.items[0].originalTotal.includingVat * 2, excludingVat: cart.items[0].originalTotal.excludingVat * 2 };
    cart.items[0].discounts = cart.items[0].discounts.map((d: any) => ({ ...d, value: { includingVat: d.value.includingVat * 2, excludingVat: d.value.excludingVat * 2 } }));
    delete cart.total; // NCO sums the items
    delete cart.discounts;
    const put = await call(`${ordersUrl()}/${orderId}/cart`, { method: 'PUT', headers: norceHeaders(), body: cart });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(paymentOf(orderId).amount).to.equal(norceOrder(orderId).total.includingVat);
    expect(sandbox.qliro.store.totalPrice(sandbox.qliro.store.get(qliroOrderId)!)).to.equal(norceOrder(orderId).total.includingVat);

    const customer = await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/customer-update?merchant=sandbox&channel=se`, { method: 'POST', headers: { authorization: 'Bearer sandbox-token' } });
    expect(customer.status).to.equal(200);
    const shipping = await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/shipping-option-update?merchant=sandbox&channel=se`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token' },
      body: { method: 'pn-mypack-home', methodName: 'PostNord MyPack Home', price: 59, priceExVat: 47.2, totalShippingPrice: 59, totalShippingPriceExVat: 47.2 },
    });
    expect(shipping.status, JSON.stringify(shipping.body)).to.equal(200);
    expect(paymentOf(orderId).amount).to.equal(norceOrder(orderId).total.includingVat);

    expect(sandbox.qliro.store.totalPrice(sandbox.qliro.store.get(qliroOrderId)!)).to.equal(norceOrder(orderId).total.includingVat);

    const done = await complete(qliroOrderId, { outcome: 'Completed' });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.validation).to.equal(200);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
    expect(transactionsOf(orderId).map((t) => t.event)).to.deep.equal(['open', 'process', 'confirm']);
    expect(norceOrder(orderId).customer.billing).to.include({ email: 'test@example.com' });
  });

  it('OnHold, then resolved Completed: pending/accepted, then reserved/completed', async () => {
    const { orderId, qliroOrderId } = await checkout();
    await complete(qliroOrderId, { outcome: 'OnHold' });
    expect(states(orderId)).to.deep.equal(['pending', 'accepted']);
    const resolved = await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/resolve`, { method: 'POST', body: { outcome: 'Completed' } });
    expect(resolved.status).to.equal(200);
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
  });

  it('Refused: payment and order declined', async () => {
    const { orderId, qliroOrderId } = await checkout();
    await complete(qliroOrderId, { outcome: 'Refused' });
    expect(states(orderId)).to.deep.equal(['declined', 'declined']);
  });

  it('B13: parallel duplicate pushes make one transition and one transaction', async () => {
    const { orderId, qliroOrderId } = await checkout();
    await complete(qliroOrderId, { outcome: 'Completed', push: { duplicates: 5 } });
    const deliveries = sandbox.qliro.pushesOf(qliroOrderId).filter((p: any) => p.outcome === 'delivered');
    expect(deliveries.length).to.equal(6);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
    expect(transactionsOf(orderId).filter((t) => t.event === 'confirm')).to.have.length(1);
  });

  it('OnHold and Completed delivered in reverse order end Completed, with one confirm', async () => {
    const { orderId, qliroOrderId } = await checkout();
    await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: { outcome: 'OnHold', push: { delayMs: 300 } } });
    await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/resolve`, { method: 'POST', body: { outcome: 'Completed' } });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    const delivered = sandbox.qliro.pushesOf(qliroOrderId).filter((p: any) => p.outcome === 'delivered').map((p: any) => p.status);
    expect(delivered).to.deep.equal(['Completed', 'OnHold']);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
    expect(transactionsOf(orderId).filter((t) => t.event === 'confirm')).to.have.length(1);
  });

  it('B15: Norce failing during a push answers 500, Qliro retries, and the retry completes exactly once', async () => {
    const { orderId, qliroOrderId } = await checkout();
    // Validation runs first (it writes the payment too); fail the push's payment write only.
    sandbox.qliro.faultNextPush(qliroOrderId, { delayMs: 50 });
    const answer = await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: { outcome: 'Completed' } });
    expect(answer.status).to.equal(200);
    sandbox.nco.failNext({ method: 'PUT', path: `/payments/`, status: 503 });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    const attempts = sandbox.qliro.pushesOf(qliroOrderId).map((p: any) => p.httpStatus);
    expect(attempts[0]).to.equal(500);
    expect(attempts.at(-1)).to.equal(200);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
    expect(transactionsOf(orderId).filter((t) => t.event === 'confirm')).to.have.length(1);
  });

  it('a push before the payment reference was written is matched through the Qliro order metadata', async () => {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
    sandbox.nco.failNext({ method: 'PUT', path: '/payments/', status: 503 });
    const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
    expect(created.status).to.equal(502);
    const payment = norceOrder(orderId).payments[0];
    expect(payment.reference ?? null).to.equal(null);
    const qliroOrder = sandbox.qliro.store.list().find((o) => o.merchantReference === orderId)!;
    sandbox.qliro.setStatus(qliroOrder.orderId, 'Completed');
    const push = await call(callbackUrl(orderId, payment.id, 'push'), { method: 'POST', body: { OrderId: qliroOrder.orderId, Status: 'Completed' } });
    expect(push.status).to.equal(200);
    expect(push.body).to.deep.equal({ callbackResponse: 'received' });
    expect(norceOrder(orderId).payments[0]).to.include({ state: 'reserved', reference: String(qliroOrder.orderId) });
  });

  it('B16/B21: a stale or forged Refused after Completed changes nothing; odd JSON bytes are read as sent', async () => {
    const { orderId, paymentId, qliroOrderId } = await checkout();
    await complete(qliroOrderId, { outcome: 'Completed' });
    const raw = `{ "Status":"Refused",  "OrderId":${qliroOrderId}, "MerchantReference":"b21\\u00e5ref", "Timestamp":"2025-05-02T14:00:00" }`;
    const push = await call(callbackUrl(orderId, paymentId, 'push'), { method: 'POST', body: raw });
    expect(push.status).to.equal(200);
    expect(states(orderId)).to.deep.equal(['reserved', 'completed']);
  });

  it('B11: validation with a changed cart is declined and nothing moves', async () => {
    const { orderId, qliroOrderId } = await checkout();
    // A second tab changes the cart behind Qliro's back (x-adapterid suppresses our own hook, as a lost update would).
    const cart = structuredClone(norceOrder(orderId).cart);
    cart.items = cart.items.slice(1);
    const put = await call(`${ordersUrl()}/${orderId}/cart`, { method: 'PUT', headers: { ...norceHeaders(), 'x-adapterid': 'qliro_checkout_adapter' }, body: cart });
    expect(put.status).to.equal(200);
    const answer = await complete(qliroOrderId, { outcome: 'Completed' });
    expect(answer.body).to.include({ declined: true, declineReason: 'Other' });
    expect(answer.body.declineReasonMessage.length).to.be.at.most(150);
    expect(states(orderId)).to.deep.equal(['intent', 'checkout']);
  });

  it('B17: validation when Norce is too slow is declined within the budget, and Qliro never approves silently', async () => {
    const { orderId, qliroOrderId } = await checkout();
    sandbox.nco.failNext({ method: 'GET', path: `/orders/${orderId}`, hang: true, times: 2 });
    const answer = await complete(qliroOrderId, { outcome: 'Completed' });
    expect(answer.body).to.include({ declined: true });
    expect(answer.body.validation).to.equal(400);
    expect(sandbox.qliro.store.get(qliroOrderId)!.status).to.equal('InProcess');
    expect(states(orderId)).to.deep.equal(['intent', 'checkout']);
  });

  it('B09: a cart change after completion is refused by our hook, so NCO keeps the cart', async () => {
    const { orderId, qliroOrderId } = await checkout();
    await complete(qliroOrderId, { outcome: 'Completed' });
    const amount = paymentOf(orderId).amount;
    const cart = structuredClone(norceOrder(orderId).cart);
    cart.items[0].quantity += 1;
    const put = await call(`${ordersUrl()}/${orderId}/cart`, { method: 'PUT', headers: norceHeaders(), body: cart });
    expect(put.status).to.equal(400);
    expect(JSON.stringify(put.body)).to.contain('payment-conflict');
    expect(paymentOf(orderId).amount).to.equal(amount);
    const updates = sandbox.qliro.store.get(qliroOrderId)!.requests.filter((r) => r.op === 'updateOrder');
    expect(updates).to.have.length(0);
  });

  it('B19: callbacks with a missing or another order\'s token get 401 and touch nothing', async () => {
    const first = await checkout();
    const second = await checkout();
    sandbox.qliro.setStatus(first.qliroOrderId, 'Completed');
    const tokens = new CallbackTokens(SANDBOX.callbackSigningSecret);
    const othersToken = tokens.sign({ merchant: 'sandbox', channel: 'se', orderId: second.orderId, paymentId: second.paymentId });
    for (const name of ['push', 'validate', 'status']) {
      for (const token of ['', othersToken]) {
        const answer = await call(callbackUrl(first.orderId, first.paymentId, name, token), { method: 'POST', body: { OrderId: first.qliroOrderId, Status: 'Completed' } });
        expect(answer.status, `${name} ${token ? 'foreign' : 'missing'} token`).to.equal(401);
        expect(answer.body.code).to.equal('unauthorized');
      }
    }
    expect(states(first.orderId)).to.deep.equal(['intent', 'checkout']);
  });

  it('malformed callback bodies are 400 and touch nothing', async () => {
    const { orderId, paymentId, qliroOrderId } = await checkout();
    const bodies = ['{"OrderId": ', '{"Status":"Completed"}', '[]', `{"OrderId":"abc"}`];
    for (const body of bodies) {
      const answer = await call(callbackUrl(orderId, paymentId, 'push'), { method: 'POST', body });
      expect(answer.status, body).to.equal(400);
    }
    const foreign = await call(callbackUrl(orderId, paymentId, 'push'), { method: 'POST', body: { OrderId: qliroOrderId + 1 } });
    expect(foreign.status).to.equal(400);
    const validate = await call(callbackUrl(orderId, paymentId, 'validate'), { method: 'POST', body: '{"OrderItems":' });
    expect(validate.status).to.equal(400);
    const hook = await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/cart-changed`, { method: 'POST', headers: norceHeaders(), body: { id: orderId } });
    expect(hook.status).to.equal(400);
    expect(hook.body.code).to.equal('order-bad-request');
    const shipping = await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/shipping-option-update?merchant=sandbox&channel=se`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token' },
      body: { method: 'x', totalShippingPrice: -5, totalShippingPriceExVat: -4 },
    });
    expect(shipping.status).to.equal(400);
    expect(states(orderId)).to.deep.equal(['intent', 'checkout']);
  });

  it('B27: a Danish order is created in DKK/DK and the customer address gets country DK', async () => {
    const { orderId, paymentId, qliroOrderId } = await checkout('dk');
    const created = sandbox.qliro.store.get(qliroOrderId)!.createRequest as any;
    expect([created.Currency, created.Country, created.Language]).to.deep.equal(['DKK', 'DK', 'da-dk']);
    await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: { outcome: 'Completed', customer: { PostalCode: '2100', City: 'København Ø', Street: 'Testvej 1' } } });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/customer-update?merchant=sandbox&channel=dk`, { method: 'POST', headers: { authorization: 'Bearer sandbox-token', 'x-channel': 'dk' } });
    expect(norceOrder(orderId).customer.billing.country).to.equal('DK');
  });
});
