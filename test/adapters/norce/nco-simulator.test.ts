// The NCO simulator over HTTP: auth, merchant isolation, Order API semantics, Configuration API, seeds.
import { expect } from 'chai';
import { isLeft, left, right as eitherRight } from 'fp-ts/Either';
import { KeepAliveAgents, httpCall, parseJson } from '../../../src/adapters/outbound/http-call';
import { NorceOrderCodec } from '../../../src/adapters/norce/codecs';
import { decodeChannelConfiguration } from '../../../src/adapters/norce/channel-configuration-codec';
import {
  SANDBOX_CHANNELS,
  sandboxConfigurations,
  sandboxDemoOrder,
  startNcoSimulator,
  type CommitContext,
  type RunningNcoSimulator,
} from '../../../sandbox/nco-simulator';
import { ORDER_2, decodeOrThrow, norceOrderFixtures, orderBodyFrom, readNorceFixture } from './norce-fixtures';

const TOKEN = 'sim-token';
const ORDERS = '/api/v0/checkout/orders';

describe('NCO simulator', () => {
  let simulator: RunningNcoSimulator;
  let agents: KeepAliveAgents;

  type Call = { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; token?: string | null; merchant?: string | null; channel?: string | null; body?: unknown; adapterId?: string };
  async function call(path: string, options: Call = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? TOKEN}`;
    if (options.merchant !== null) headers['x-merchant'] = options.merchant ?? 'thingsandstuff';
    if (options.channel !== null) headers['x-channel'] = options.channel ?? 'se';
    if (options.adapterId) headers['x-adapterid'] = options.adapterId;
    const response = await httpCall(agents, {
      url: `${simulator.url}${path}`,
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
      timeoutMs: 5000,
    });
    return { status: response.status, body: parseJson(response.text) as any, headers: response.headers };
  }
  async function createOrder(body: unknown, merchant = 'thingsandstuff', channel = 'se'): Promise<string> {
    const response = await call(ORDERS, { method: 'POST', body, merchant, channel });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    return response.body.id;
  }

  before(async () => {
    simulator = await startNcoSimulator({
      port: 0,
      apiToken: TOKEN,
      configurations: sandboxConfigurations('http://127.0.0.1:9/qliro', 'http://localhost:8080'),
    });
    agents = new KeepAliveAgents();
  });
  after(async () => {
    agents.destroy();
    await simulator.close();
  });

  describe('auth', () => {
    it('requires the Bearer token on the Order API and the Configuration API', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.tutorial.json'));
      for (const path of [`${ORDERS}/${id}`, '/api/v1/configuration/merchants/sandbox/channels/se/configurations/qliro_checkout_adapter']) {
        const missing = await call(path, { token: null });
        expect(missing.status).to.equal(401);
        expect(missing.body).to.deep.equal({ code: 'unauthorized', message: 'Authorization header with a Bearer token is required' });
        const wrong = await call(path, { token: 'nope' });
        expect(wrong.status).to.equal(401);
        expect(wrong.body.code).to.equal('unauthorized');
      }
      const denied = await call(`${ORDERS}/${id}/state`, { method: 'PUT', token: 'nope', body: { currentStatus: 'processing' } });
      expect(denied.status).to.equal(401);
      expect(simulator.store.order(id)?.state.currentStatus).to.equal('checkout');
    });

    it('requires x-merchant and x-channel on the Order API', async () => {
      const response = await call(`${ORDERS}/oAnything`, { merchant: null });
      expect(response.status).to.equal(400);
      expect(response.body.code).to.equal('bad-request');
    });
  });

  describe('merchant isolation', () => {
    it("another merchant's or channel's order is not found, for reads and writes", async () => {
      const id = await createOrder(orderBodyFrom(ORDER_2), 'norce-open-demo', 'nc-qliro-se');
      expect((await call(`${ORDERS}/${id}`, { merchant: 'norce-open-demo', channel: 'nc-qliro-se' })).status).to.equal(200);
      for (const [merchant, channel] of [
        ['intruder', 'nc-qliro-se'],
        ['norce-open-demo', 'nc-qliro-no'],
      ] as const) {
        const read = await call(`${ORDERS}/${id}`, { merchant, channel });
        expect(read.status).to.equal(404);
        expect(read.body).to.deep.equal({ code: 'order-not-found', message: `Order with id:${id} not found.` });
        const write = await call(`${ORDERS}/${id}/state`, { method: 'PUT', merchant, channel, body: { currentStatus: 'removed' } });
        expect(write.status).to.equal(404);
      }
      expect(simulator.store.order(id)?.state.currentStatus).to.equal('checkout');
    });
  });

  describe('orders', () => {
    it('creates an order in checkout state from the tutorial request, filling ids and totals', async () => {
      const response = await call(ORDERS, { method: 'POST', body: readNorceFixture('order-api/create-order.request.tutorial.json') });
      expect(response.status).to.equal(201);
      expect(response.body.id).to.match(/^o[A-Za-z]{7}$/);
      expect(response.headers['location']).to.equal(`${ORDERS}/${response.body.id}`);
      const order = decodeOrThrow(NorceOrderCodec, (await call(`${ORDERS}/${response.body.id}`)).body);
      expect(order).to.include({ merchant: 'thingsandstuff', channel: 'se', currency: 'SEK', country: 'SE', culture: 'sv-SE' });
      expect(order.state.currentStatus).to.equal('checkout');
      expect(order.cart.items[0]?.id).to.match(/^ci_[A-Za-z]{26}$/);
      expect(order.total).to.deep.equal({ includingVat: 12.5, excludingVat: 10 });
    });

    it('computes missing item, cart and order totals', async () => {
      const id = await createOrder({
        currency: 'NOK',
        country: 'NO',
        cart: { items: [{ reference: 'a', quantity: 3, price: { includingVat: 12.5, excludingVat: 10 }, vatRate: 0.25 }] },
        shippings: [{ name: 'Bring', reference: 'b', total: { includingVat: 79, excludingVat: 63.2 }, vatRate: 0.25 }],
      });
      const order = decodeOrThrow(NorceOrderCodec, (await call(`${ORDERS}/${id}`)).body);
      expect(order.cart.items[0]?.total).to.deep.equal({ includingVat: 37.5, excludingVat: 30 });
      expect(order.cart.total).to.deep.equal({ includingVat: 37.5, excludingVat: 30 });
      expect(order.shippings?.[0]).to.include({ state: 'intent' });
      expect(order.shippings?.[0]?.id).to.match(/^s_/);
      expect(order.total).to.deep.equal({ includingVat: 116.5, excludingVat: 93.2 });
    });

    it('rejects an order without cart items as bad-request', async () => {
      const response = await call(ORDERS, { method: 'POST', body: { cart: {} } });
      expect(response.status).to.equal(400);
      expect(response.body).to.deep.equal({ code: 'bad-request', message: 'cart.items is required and must be an array' });
      const malformed = await call(ORDERS, { method: 'POST', body: '{"cart": ' });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.code).to.equal('bad-request');
    });

    it('takes every fixture order and gives it back so that it decodes', async () => {
      for (const { file } of norceOrderFixtures()) {
        const id = await createOrder(orderBodyFrom(file), 'm', 'c');
        const fetched = await call(`${ORDERS}/${id}`, { merchant: 'm', channel: 'c' });
        const order = decodeOrThrow(NorceOrderCodec, fetched.body);
        expect(order.cart.items.length, file).to.be.greaterThan(0);
        const fixture = readNorceFixture(`orders/${file}`) as { total: unknown };
        expect(order.total, file).to.deep.equal(fixture.total);
      }
    });

    it('PUT cart replaces the cart and recomputes the order total (cart + non-removed shippings)', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const shipping = await call(`${ORDERS}/${id}/shippings`, { method: 'POST', body: readNorceFixture('order-api/post-shipping.request.json') });
      expect(shipping.status).to.equal(201);
      const removed = await call(`${ORDERS}/${id}/shippings`, {
        method: 'POST',
        body: { ...(readNorceFixture('order-api/post-shipping.request.json') as object), state: 'removed' },
      });
      expect(removed.status).to.equal(201);
      const put = await call(`${ORDERS}/${id}/cart`, { method: 'PUT', body: readNorceFixture('order-api/put-cart.request.json') });
      expect(put.status).to.equal(200);
      const order = (await call(`${ORDERS}/${id}`)).body;
      expect(order.cart.items[0].quantity).to.equal(2);
      expect(order.total).to.deep.equal({ includingVat: 32.5, excludingVat: 26 });
    });

    it('PUT state sets currentStatus and appends the transition', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      expect((await call(`${ORDERS}/${id}/state`, { method: 'PUT', body: readNorceFixture('order-api/put-state.request.json') })).status).to.equal(200);
      const state = (await call(`${ORDERS}/${id}`)).body.state;
      expect(state.currentStatus).to.equal('completed');
      expect(state.transitions.map((t: { status: string }) => t.status)).to.deep.equal(['checkout', 'completed']);
      const bad = await call(`${ORDERS}/${id}/state`, { method: 'PUT', body: { currentStatus: 'paid' } });
      expect(bad.status).to.equal(400);
    });

    it('payments: POST 201 {id} + Location, GET list and one, PUT whole; unknown → payment-not-found', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const created = await call(`${ORDERS}/${id}/payments`, { method: 'POST', body: readNorceFixture('order-api/post-payment.request.json') });
      expect(created.status).to.equal(201);
      const paymentId = created.body.id as string;
      expect(paymentId).to.match(/^p[A-Za-z]{26}$/);
      expect(created.headers['location']).to.equal(`${ORDERS}/${id}/payments/${paymentId}`);
      const list = await call(`${ORDERS}/${id}/payments`);
      expect(list.body.map((p: { id: string }) => p.id)).to.deep.equal([paymentId]);
      const payment = (await call(`${ORDERS}/${id}/payments/${paymentId}`)).body;
      expect(payment).to.include({ id: paymentId, state: 'intent', type: 'default', amount: 20, orderId: id, merchant: 'thingsandstuff' });
      const put = await call(`${ORDERS}/${id}/payments/${paymentId}`, { method: 'PUT', body: { ...payment, state: 'reserved' } });
      expect(put.status).to.equal(200);
      expect(put.body).to.include({ id: paymentId, state: 'reserved' });
      const unknown = await call(`${ORDERS}/${id}/payments/pNope`);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.code).to.equal('payment-not-found');
    });

    it('transactions: the server sets created; requestJson must be valid JSON', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const paymentId = (await call(`${ORDERS}/${id}/payments`, { method: 'POST', body: { amount: 12.5 } })).body.id;
      const path = `${ORDERS}/${id}/payments/${paymentId}/transactions`;
      expect((await call(path, { method: 'POST', body: { event: 'open', amount: 12.5, isSuccess: true, requestJson: '{"a":1}' } })).status).to.equal(200);
      const bad = await call(path, { method: 'POST', body: { event: 'open', amount: 12.5, isSuccess: true, requestJson: '{not json' } });
      expect(bad.status).to.equal(400);
      expect(bad.body.message).to.equal('transaction.requestJson must be a valid JSON string');
      const list = (await call(path)).body;
      expect(list).to.have.length(1);
      expect(list[0]).to.include({ event: 'open', amount: 12.5 });
      expect(Date.parse(list[0].created)).to.not.be.NaN;
    });

    it('hooks: POST → {id}, DELETE; unknown hook → 404 hook-not-found', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const added = await call(`${ORDERS}/${id}/hooks`, { method: 'POST', body: readNorceFixture('order-api/post-hook.request.v0.json') });
      expect(added.status).to.equal(200);
      expect(added.body.id).to.match(/^oc_[A-Za-z]{26}$/);
      expect((await call(`${ORDERS}/${id}`)).body.hooks.map((h: { id: string }) => h.id)).to.deep.equal([added.body.id]);
      expect((await call(`${ORDERS}/${id}/hooks/${added.body.id}`, { method: 'DELETE' })).status).to.equal(200);
      const again = await call(`${ORDERS}/${id}/hooks/${added.body.id}`, { method: 'DELETE' });
      expect(again.status).to.equal(404);
      expect(again.body.code).to.equal('hook-not-found');
    });

    it('customer: PUT billing and shipping', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const billing = readNorceFixture('order-api/put-customer-billing.request.json');
      const shipping = readNorceFixture('order-api/put-customer-shipping.request.json');
      expect((await call(`${ORDERS}/${id}/customer/billing`, { method: 'PUT', body: billing })).status).to.equal(200);
      expect((await call(`${ORDERS}/${id}/customer/shipping`, { method: 'PUT', body: shipping })).status).to.equal(200);
      const customer = (await call(`${ORDERS}/${id}`)).body.customer;
      expect(customer).to.deep.equal({ billing, shipping });
    });

    it('records every write with the x-adapterid it came with', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const before = simulator.store.writes.length;
      await call(`${ORDERS}/${id}/state`, { method: 'PUT', body: { currentStatus: 'processing' }, adapterId: 'qliro_checkout_adapter' });
      await call(`${ORDERS}/${id}/state`, { method: 'PUT', body: { currentStatus: 'checkout' } });
      await call(`${ORDERS}/${id}`);
      expect(simulator.store.writes.slice(before)).to.deep.equal([
        { method: 'PUT', path: `${ORDERS}/${id}/state`, adapterId: 'qliro_checkout_adapter', merchant: 'thingsandstuff', channel: 'se', status: 200 },
        { method: 'PUT', path: `${ORDERS}/${id}/state`, adapterId: undefined, merchant: 'thingsandstuff', channel: 'se', status: 200 },
      ]);
    });

    it('every change passes the one commit point (where hooks will be called) with its subject and x-adapterid', async () => {
      const id = await createOrder(readNorceFixture('order-api/create-order.request.json'));
      const seen: CommitContext[] = [];
      simulator.store.beforeCommit = async (proposed, context) => {
        seen.push(context);
        return context.subject === '/state' && proposed.state.currentStatus === 'removed'
          ? left({ status: 400, code: 'hook-denied', message: 'A hook denied the change' })
          : eitherRight(proposed);
      };
      try {
        await call(`${ORDERS}/${id}/cart`, { method: 'PUT', body: readNorceFixture('order-api/put-cart.request.json'), adapterId: 'norce_adapter' });
        const denied = await call(`${ORDERS}/${id}/state`, { method: 'PUT', body: { currentStatus: 'removed' } });
        expect(denied.status).to.equal(400);
        expect(denied.body.code).to.equal('hook-denied');
        expect(simulator.store.order(id)?.state.currentStatus).to.equal('checkout');
        expect(seen.map((c) => [c.subject, c.adapterId])).to.deep.equal([
          ['/cart', 'norce_adapter'],
          ['/state', undefined],
        ]);
      } finally {
        simulator.store.beforeCommit = undefined;
      }
    });
  });

  describe('configuration API', () => {
    const base = '/api/v1/configuration/merchants';

    it('GET one, PUT one (a JSON object), list, 404 when absent', async () => {
      const doc = readNorceFixture('config/qliro_checkout_adapter.json');
      expect((await call(`${base}/acme/channels/se/configurations/qliro_checkout_adapter`)).status).to.equal(404);
      const put = await call(`${base}/acme/channels/se/configurations/qliro_checkout_adapter`, { method: 'PUT', body: doc });
      expect(put.status).to.equal(200);
      expect((await call(`${base}/acme/channels/se/configurations/qliro_checkout_adapter`)).body).to.deep.equal(doc);
      expect((await call(`${base}/acme/channels/se/configurations`)).body).to.deep.equal([doc]);
      expect((await call(`${base}/acme/channels`)).body).to.deep.equal(['se']);
      const notObject = await call(`${base}/acme/channels/se/configurations/qliro_checkout_adapter`, { method: 'PUT', body: '"text"' });
      expect(notObject.status).to.equal(400);
      const missing = await call(`${base}/acme/channels/no/configurations/qliro_checkout_adapter`);
      expect(missing.body.code).to.equal('configuration-not-found');
    });
  });

  describe('sandbox seed', () => {
    it('has a valid qliro_checkout_adapter document for sandbox se/no/fi/dk', async () => {
      for (const channel of SANDBOX_CHANNELS) {
        const response = await call(`/api/v1/configuration/merchants/sandbox/channels/${channel}/configurations/qliro_checkout_adapter`);
        const decoded = decodeChannelConfiguration(response.body);
        if (isLeft(decoded)) throw new Error(`${channel}: ${decoded.left.message}`);
        expect(decoded.right).to.include({ apiUrl: 'http://127.0.0.1:9/qliro', merchantApiKey: 'sandbox-key', merchantApiSecret: 'sandbox-secret' });
        expect(decoded.right.adapter.publicUrl).to.equal('http://localhost:8080');
      }
      const languages = SANDBOX_CHANNELS.map((c) => (sandboxConfigurations('http://q', 'http://a')['sandbox']![c]!['qliro_checkout_adapter'] as { defaultLanguage: string }).defaultLanguage);
      expect(languages).to.deep.equal(['sv-se', 'nb-no', 'fi-fi', 'da-dk']);
    });

    it('demo orders post and decode, in each channel’s currency, with consistent totals', async () => {
      const currencies: Record<string, string> = { se: 'SEK', no: 'NOK', fi: 'EUR', dk: 'DKK' };
      for (const channel of SANDBOX_CHANNELS) {
        const body = sandboxDemoOrder(channel);
        const id = await createOrder(body, 'sandbox', channel);
        const order = decodeOrThrow(NorceOrderCodec, (await call(`${ORDERS}/${id}`, { merchant: 'sandbox', channel })).body);
        expect(order.currency).to.equal(currencies[channel]);
        const items = order.cart.items;
        const sum = (f: (i: (typeof items)[number]) => number) => Math.round(items.reduce((s, i) => s + f(i), 0) * 100) / 100;
        expect(order.cart.total?.includingVat, channel).to.equal(sum((i) => i.total.includingVat));
        for (const item of items) {
          const discount = (item.discounts ?? []).reduce((s, d) => s + d.value.includingVat, 0);
          expect(item.total.includingVat, `${channel} ${item.sku}`).to.be.closeTo(item.originalTotal!.includingVat - discount, 1e-9);
        }
        const shipping = order.shippings?.[0]?.total.includingVat ?? 0;
        expect(order.total.includingVat, channel).to.be.closeTo(order.cart.total!.includingVat + shipping, 1e-9);
      }
    });

    it('the se demo order has fixture order 2’s lines and totals (mixed VAT and a discount)', () => {
      const demo = sandboxDemoOrder('se') as any;
      const fixture = readNorceFixture(`orders/${ORDER_2}`) as any;
      const pick = (i: any) => ({ sku: i.sku, quantity: i.quantity, price: i.price, total: i.total, originalTotal: i.originalTotal, vatRate: i.vatRate, discount: i.discounts[0].value });
      expect(demo.cart.items.map(pick)).to.deep.equal(fixture.cart.items.map(pick));
      expect(demo.cart.total).to.deep.equal(fixture.cart.total);
      expect(demo.cart.discounts[0].value).to.deep.equal(fixture.cart.discounts[0].value);
      expect(demo.total).to.deep.equal(fixture.total);
    });
  });
});
