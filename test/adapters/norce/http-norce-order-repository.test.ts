// HttpNorceOrderRepository beyond the shared contract: headers, x-adapterid on every write, error mapping,
// retries. Against the NCO simulator (scripted faults) and, for raw headers, a bare HTTP server.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HttpNorceOrderRepository,
  scrubPersonalData,
  type UpstreamCallObservation,
} from '../../../src/adapters/norce/http-norce-order-repository';
import { KeepAliveAgents } from '../../../src/adapters/outbound/http-call';
import type { ChannelRef } from '../../../src/domain/channel-configuration';
import { ADAPTER_ID, type NorcePayment } from '../../../src/domain/norce-order';
import { startNcoSimulator, type RunningNcoSimulator } from '../../../sandbox/nco-simulator';
import { leftOf, right } from '../../contract/norce-order-repository.contract';
import { ORDER_2, orderBodyFrom } from './norce-fixtures';

const TOKEN = 'norce-test-token';
const REF: ChannelRef = { merchant: 'norce-open-demo', channel: 'nc-qliro-se' };

describe('HttpNorceOrderRepository', () => {
  let simulator: RunningNcoSimulator;
  let agents: KeepAliveAgents;
  let repo: HttpNorceOrderRepository;
  let orderId: string;

  const repository = (options: Partial<ConstructorParameters<typeof HttpNorceOrderRepository>[0]> = {}) =>
    new HttpNorceOrderRepository({ baseUrl: simulator.url, apiToken: TOKEN, agents, timeoutMs: 5000, retryDelayMs: 0, ...options });
  const requestsTo = (path: string) => simulator.store.requests.filter((r) => r.path === path);

  before(async () => {
    simulator = await startNcoSimulator({ port: 0, apiToken: TOKEN });
    agents = new KeepAliveAgents();
    repo = repository();
  });
  after(async () => {
    agents.destroy();
    await simulator.close();
  });
  afterEach(() => {
    expect(simulator.clearFaults(), 'scripted faults left unused').to.equal(0);
  });
  beforeEach(async () => {
    const created = await simulator.store.createOrder(REF, orderBodyFrom(ORDER_2));
    if (created._tag === 'Left') throw new Error(created.left.message);
    orderId = created.right.id;
  });

  it('sends x-adapterid: qliro_checkout_adapter (and x-merchant/x-channel) on every write', async () => {
    const before = simulator.store.writes.length;
    const paymentId = right(
      await repo.createPayment(REF, orderId, {
        adapterId: ADAPTER_ID,
        name: 'Qliro Checkout',
        type: 'default',
        currency: 'SEK',
        amount: 1781.7,
        state: 'intent',
      })(),
    );
    const payment = right(await repo.getPayment(REF, orderId, paymentId)());
    right(await repo.updatePayment(REF, orderId, { ...payment, state: 'processing' })());
    right(await repo.addTransaction(REF, orderId, paymentId, { event: 'open', amount: 1781.7, isSuccess: true })());
    right(await repo.addPaymentActions(REF, orderId, paymentId, [{ adapterId: ADAPTER_ID, type: 'cancel', url: 'https://a.example/c' }])());
    const hookId = right(await repo.addHook(REF, orderId, { adapterId: ADAPTER_ID, subscribeTo: '/state', invoke: 'https://a.example/s', version: 'v0' })());
    right(await repo.deleteHook(REF, orderId, hookId)());
    const shipping = { adapterId: ADAPTER_ID, name: 'Hem', reference: 'HOME', state: 'intent', total: { includingVat: 49, excludingVat: 39.2 }, vatRate: 0.25 };
    const shippingId = right(await repo.createShipping(REF, orderId, shipping)());
    right(await repo.updateShipping(REF, orderId, { ...shipping, id: shippingId, state: 'removed' })());
    right(await repo.putCustomerBilling(REF, orderId, { postalCode: '111 22', country: 'SE' })());
    right(await repo.putCustomerShipping(REF, orderId, { postalCode: '111 22', country: 'SE' })());
    right(await repo.putState(REF, orderId, 'processing')());

    const writes = simulator.store.writes.slice(before);
    expect(writes.map((w) => `${w.method} ${w.path.replace(orderId, '{o}').replace(paymentId, '{p}').replace(hookId, '{h}').replace(shippingId, '{s}')}`)).to.deep.equal([
      'POST /api/v0/checkout/orders/{o}/payments',
      'PUT /api/v0/checkout/orders/{o}/payments/{p}',
      'POST /api/v0/checkout/orders/{o}/payments/{p}/transactions',
      'POST /api/v0/checkout/orders/{o}/payments/{p}/actions',
      'POST /api/v0/checkout/orders/{o}/hooks',
      'DELETE /api/v0/checkout/orders/{o}/hooks/{h}',
      'POST /api/v0/checkout/orders/{o}/shippings',
      'PUT /api/v0/checkout/orders/{o}/shippings/{s}',
      'PUT /api/v0/checkout/orders/{o}/customer/billing',
      'PUT /api/v0/checkout/orders/{o}/customer/shipping',
      'PUT /api/v0/checkout/orders/{o}/state',
    ]);
    for (const write of writes) {
      expect(write, `${write.method} ${write.path}`).to.include({ adapterId: ADAPTER_ID, merchant: REF.merchant, channel: REF.channel });
      expect(write.status).to.be.within(200, 299);
    }
  });

  it('sends Bearer, x-merchant, x-channel, JSON content type and extra headers; no x-adapterid on reads', async () => {
    const seen: { method: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', headers: req.headers, body });
        res.writeHead(req.method === 'GET' ? 200 : 201, { 'content-type': 'application/json' });
        res.end(req.method === 'GET' ? JSON.stringify({ id: 'p1', amount: 1, state: 'intent' }) : JSON.stringify({ id: 'p2' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const raw = new HttpNorceOrderRepository({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        apiToken: TOKEN,
        agents,
        timeoutMs: 5000,
        headers: () => ({ 'x-correlation-id': 'corr-1' }),
      });
      right(await raw.getPayment(REF, 'o1', 'p1')());
      right(await raw.createPayment(REF, 'o1', { adapterId: ADAPTER_ID, name: 'Qliro Checkout', type: 'default', currency: 'SEK', amount: 1, state: 'intent' })());
      const [read, write] = seen;
      expect(read!.headers).to.include({ authorization: `Bearer ${TOKEN}`, 'x-merchant': REF.merchant, 'x-channel': REF.channel, 'x-correlation-id': 'corr-1' });
      expect(read!.headers).to.not.have.property('x-adapterid');
      expect(write!.headers).to.include({
        authorization: `Bearer ${TOKEN}`,
        'x-merchant': REF.merchant,
        'x-channel': REF.channel,
        'x-adapterid': ADAPTER_ID,
        'content-type': 'application/json',
      });
      expect(JSON.parse(write!.body)).to.include({ adapterId: ADAPTER_ID, amount: 1, state: 'intent' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe('error mapping', () => {
    it('401 (wrong token) → order-error, not transient, not retried', async () => {
      const wrong = repository({ apiToken: 'wrong' });
      const before = requestsTo(`/api/v0/checkout/orders/${orderId}`).length;
      const error = leftOf(await wrong.getOrder(REF, orderId)());
      expect(error.code).to.equal('order-error');
      expect(error.message).to.contain("refused the adapter's API token (HTTP 401)");
      expect(error.message).to.not.contain('wrong');
      expect(error.transient).to.not.equal(true);
      expect(requestsTo(`/api/v0/checkout/orders/${orderId}`).length - before).to.equal(1);
    });

    it('403 → order-error, not transient', async () => {
      simulator.failNext({ method: 'PUT', path: '/state', status: 403, body: { code: 'forbidden', message: 'no' } });
      const error = leftOf(await repo.putState(REF, orderId, 'processing')());
      expect(error).to.include({ code: 'order-error' });
      expect(error.transient).to.not.equal(true);
    });

    it('404 of the order → order-not-found; of a payment → payment-not-found; of a shipping → shipping-not-found', async () => {
      expect(leftOf(await repo.getOrder(REF, 'oMissing')())).to.deep.equal({
        code: 'order-not-found',
        message: 'Order oMissing was not found in Norce Checkout',
      });
      expect(leftOf(await repo.getPayment(REF, orderId, 'pMissing')()).code).to.equal('payment-not-found');
      expect(leftOf(await repo.getPayment(REF, 'oMissing', 'pMissing')()).code).to.equal('order-not-found');
      const shipping = { id: 's_missing', total: { includingVat: 1, excludingVat: 0.8 }, vatRate: 0.25 };
      expect(leftOf(await repo.updateShipping(REF, orderId, shipping)()).code).to.equal('shipping-not-found');
    });

    it('a 404 without a Norce error body → the resource the call addressed', async () => {
      simulator.failNext({ path: '/payments/', status: 404, body: 'Not Found' });
      expect(leftOf(await repo.getPayment(REF, orderId, 'p1')()).code).to.equal('payment-not-found');
      simulator.failNext({ method: 'GET', status: 404, body: '' });
      expect(leftOf(await repo.getOrder(REF, orderId)()).code).to.equal('order-not-found');
    });

    it('409 → order-conflict, transient, a write not retried', async () => {
      // One scripted 409: a retry would reach the simulator and succeed.
      simulator.failNext({ method: 'POST', path: '/payments', status: 409, body: { code: 'order-conflict', message: 'Conflict' } });
      const before = requestsTo(`/api/v0/checkout/orders/${orderId}/payments`).length;
      const error = leftOf(
        await repo.createPayment(REF, orderId, { adapterId: ADAPTER_ID, name: 'Qliro Checkout', type: 'default', currency: 'SEK', amount: 1, state: 'intent' })(),
      );
      expect(error).to.include({ code: 'order-conflict', transient: true });
      expect(requestsTo(`/api/v0/checkout/orders/${orderId}/payments`).length - before).to.equal(1);
    });

    it("400 → order-bad-request carrying Norce's message without personal data", async () => {
      const error = leftOf(
        await repo.createShipping(REF, orderId, { adapterId: ADAPTER_ID, name: 'x', reference: 'x', state: 'intent', total: { includingVat: 1, excludingVat: 0.8 }, vatRate: 25 })(),
      );
      expect(error.code).to.equal('order-bad-request');
      expect(error.message).to.equal(`Norce Checkout rejected createShipping for order ${orderId}: shipping.vatRate is required: a fraction (0.25 = 25 %)`);
      expect(error.transient).to.not.equal(true);

      simulator.failNext({ method: 'PUT', status: 400, body: { code: 'bad-request', message: 'Invalid email test@example.com for 790625-5307' } });
      const scrubbed = leftOf(await repo.putCustomerBilling(REF, orderId, { email: 'test@example.com' })());
      expect(scrubbed.code).to.equal('order-bad-request');
      expect(scrubbed.message).to.contain('Invalid email [email] for [number]');
      expect(scrubbed.message).to.not.contain('test@example.com');
    });

    it('5xx on a read → retried once; a second 5xx → order-error, transient', async () => {
      const path = `/api/v0/checkout/orders/${orderId}`;
      simulator.failNext({ method: 'GET', path, status: 503 });
      let before = requestsTo(path).length;
      expect(right(await repo.getOrder(REF, orderId)()).id).to.equal(orderId);
      expect(requestsTo(path).length - before).to.equal(2);

      simulator.failNext({ method: 'GET', path, status: 500, times: 2 });
      before = requestsTo(path).length;
      const error = leftOf(await repo.getOrder(REF, orderId)());
      expect(error).to.include({ code: 'order-error', transient: true });
      expect(error.message).to.equal(`Norce Checkout answered HTTP 500 on getOrder for order ${orderId}`);
      expect(requestsTo(path).length - before).to.equal(2);
    });

    it('5xx on a write → order-error, transient, not retried', async () => {
      const path = `/api/v0/checkout/orders/${orderId}/state`;
      simulator.failNext({ method: 'PUT', path, status: 502 });
      const before = requestsTo(path).length;
      expect(leftOf(await repo.putState(REF, orderId, 'processing')())).to.include({ code: 'order-error', transient: true });
      expect(requestsTo(path).length - before).to.equal(1);
      expect(simulator.store.order(orderId)?.state.currentStatus).to.equal('checkout');
    });

    it('timeout → order-error, transient (a read tried twice)', async () => {
      const quick = repository({ timeoutMs: 100 });
      simulator.failNext({ method: 'GET', path: `/api/v0/checkout/orders/${orderId}`, hang: true, times: 2 });
      const error = leftOf(await quick.getOrder(REF, orderId)());
      expect(error).to.include({ code: 'order-error', transient: true });
      expect(error.message).to.equal(`Norce Checkout did not answer getOrder for order ${orderId}: no answer within 100 ms`);
    });

    it('network failure → order-error, transient', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const unreachable = new HttpNorceOrderRepository({ baseUrl: `http://127.0.0.1:${port}`, apiToken: TOKEN, agents, timeoutMs: 2000, retryDelayMs: 0 });
      const error = leftOf(await unreachable.getOrder(REF, 'o1')());
      expect(error).to.include({ code: 'order-error', transient: true });
      expect(error.message).to.match(/^Could not reach Norce Checkout for getOrder of order o1 \(ECONNREFUSED\)$/);
    });

    it('a 2xx body that does not decode → order-error, transient, naming the field', async () => {
      simulator.failNext({ method: 'GET', path: `/api/v0/checkout/orders/${orderId}`, status: 200, body: { id: orderId, country: 'SE' }, times: 2 });
      const error = leftOf(await repo.getOrder(REF, orderId)());
      expect(error).to.include({ code: 'order-error', transient: true });
      expect(error.message).to.contain(`Norce Checkout answered getOrder for order ${orderId} with a body the adapter cannot read: `);
      expect(error.message).to.contain('currency: required string');

      simulator.failNext({ method: 'POST', path: '/hooks', status: 200, body: '' });
      const noId = leftOf(await repo.addHook(REF, orderId, { adapterId: ADAPTER_ID, subscribeTo: '/state', invoke: 'https://a.example', version: 'v0' })());
      expect(noId).to.include({ code: 'order-error', transient: true });
    });
  });

  it('updatePayment returns the payment Norce stored', async () => {
    const order = simulator.store.order(orderId)!;
    const payment = order.payments[0] as unknown as NorcePayment;
    const updated = right(await repo.updatePayment(REF, orderId, { ...payment, amount: 10, state: 'processing' })());
    expect(updated).to.include({ id: payment.id, amount: 10, state: 'processing', orderId });
  });

  it('reports every attempt to the observer', async () => {
    const seen: UpstreamCallObservation[] = [];
    const observed = repository({ observe: (o) => seen.push(o) });
    simulator.failNext({ method: 'GET', path: `/api/v0/checkout/orders/${orderId}`, status: 500 });
    right(await observed.getOrder(REF, orderId)());
    leftOf(await observed.getOrder(REF, 'oMissing')());
    expect(seen.map((o) => `${o.operation}:${o.outcome}`)).to.deep.equal(['getOrder:server-error', 'getOrder:success', 'getOrder:client-error']);
    expect(seen.every((o) => o.upstream === 'norce-order-api' && o.seconds >= 0)).to.equal(true);
  });

  it('scrubPersonalData removes e-mail addresses and long numbers and caps the length', () => {
    expect(scrubPersonalData('mail a.b@c.se or +46 70 000 00 00, order 12345')).to.equal('mail [email] or [number], order 12345');
    expect(scrubPersonalData('x'.repeat(400))).to.have.length(300);
  });
});
