// Outbound efficiency (issue 6): keep-alive connections are reused under concurrent load, and each adapter request
// makes exactly the upstream calls it needs — no second read of what one read already gave.
// Counted by the simulators themselves: TCP connections their servers accept, and their request logs.
import { expect } from 'chai';
import http from 'node:http';
import { startNcoSimulator, sandboxConfigurations, sandboxDemoOrder, type RunningNcoSimulator } from '../../sandbox/nco-simulator';
import { startQliroSimulator, type RunningQliroSimulator } from '../../sandbox/qliro-simulator';
import { validationRequestOf } from '../../sandbox/qliro-simulator/validation-callback';
import { startAdapter, type RunningAdapter } from '../../src/infrastructure/server';
import { createLogger } from '../../src/infrastructure/logger';
import type { ProcessConfig } from '../../src/infrastructure/config';
import { SANDBOX } from '../../src/infrastructure/sandbox';
import { CallbackTokens } from '../../src/application/callback-urls';

/** `GET /orders/:id/payments/:id`, `config GET` …: one upstream call, ids left out. */
function ncoKind(r: { method: string; path: string }): string {
  if (r.path.startsWith('/api/v1/configuration/')) return 'config GET';
  const path = r.path
    .replace(/^\/api\/v0\/checkout\/orders\/[^/]+/, '/orders/:id')
    .replace(/\/(payments|hooks|shippings)\/[^/]+/g, '/$1/:id');
  return `${r.method} ${path}`;
}

/** How many of each kind, sorted by kind, for a readable deep-equal. */
const tally = (kinds: readonly string[]): Record<string, number> =>
  Object.fromEntries(
    [...kinds.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].sort(([a], [b]) => a.localeCompare(b)),
  );

describe('operations: outbound efficiency', function () {
  this.timeout(20000);
  let nco: RunningNcoSimulator;
  let qliro: RunningQliroSimulator;
  /** Production default: the channel configuration cached for 30 s. */
  let cached: RunningAdapter;
  /** CONFIG_CACHE_TTL_MS=0: every request reads the configuration (once). */
  let uncached: RunningAdapter;
  const tokens = new CallbackTokens(SANDBOX.callbackSigningSecret);
  const headers = { authorization: `Bearer ${SANDBOX.token}`, 'x-merchant': SANDBOX.merchant, 'x-channel': 'se' };
  // The test's own client: keep-alive too, so its connections do not disturb timing; it talks to the adapter only.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const adapterConfig = (configCacheTtlMs: number): ProcessConfig => ({
    port: 0,
    host: '127.0.0.1',
    norceOrderApiUrl: nco.url,
    configurationSource: { kind: 'api', url: nco.url },
    norceApiToken: SANDBOX.token,
    adapterApiTokens: [SANDBOX.token],
    callbackSigningSecret: SANDBOX.callbackSigningSecret,
    logLevel: 'silent',
    norceTimeoutMs: 5000,
    qliroTimeoutMs: 5000,
    configCacheTtlMs,
    validationBudgetMs: 3500,
  });

  before(async () => {
    nco = await startNcoSimulator({ apiToken: SANDBOX.token });
    qliro = await startQliroSimulator({ merchants: [{ apiKey: SANDBOX.qliroApiKey, secret: SANDBOX.qliroApiSecret }], retryDelayScale: 0.001 });
    cached = await startAdapter({ config: adapterConfig(30_000), logger: createLogger('silent') });
    uncached = await startAdapter({ config: adapterConfig(0), logger: createLogger('silent') });
    // One set of channel documents; Qliro's callbacks (during complete()) go to the cached adapter.
    for (const [merchant, channels] of Object.entries(sandboxConfigurations(qliro.url, cached.url))) {
      for (const [channel, documents] of Object.entries(channels)) {
        for (const [name, document] of Object.entries(documents)) nco.store.putConfiguration(merchant, channel, name, document);
      }
    }
  });
  after(async () => {
    agent.destroy();
    await Promise.all([cached.stop(1000), uncached.stop(1000)]);
    await Promise.all([nco.close(), qliro.close()]);
  });

  async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: any }> {
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        { method: init.method ?? 'GET', agent, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** The upstream calls made while `action` ran, by kind. */
  async function upstreamCallsOf<A>(action: () => Promise<A>): Promise<{ result: A; norce: Record<string, number>; qliro: Record<string, number> }> {
    const ncoBefore = nco.store.requests.length;
    const qliroBefore = qliro.store.requests.length;
    const result = await action();
    return {
      result,
      norce: tally(nco.store.requests.slice(ncoBefore).map(ncoKind)),
      qliro: tally(qliro.store.requests.slice(qliroBefore).map((r) => r.op)),
    };
  }

  async function newOrder(): Promise<string> {
    const created = await send(`${nco.url}/api/v0/checkout/orders`, { method: 'POST', headers, body: sandboxDemoOrder('se') });
    expect(created.status).to.equal(201);
    return created.body.id as string;
  }

  async function checkout(adapter: RunningAdapter): Promise<{ orderId: string; paymentId: string; qliroOrderId: number }> {
    const orderId = await newOrder();
    const created = await send(`${adapter.url}/api/checkout/v1/orders/${orderId}/payments`, { method: 'POST', headers });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    const payment = (nco.store.order(orderId)!.payments as any[]).find((p) => p.id === created.body.paymentId);
    return { orderId, paymentId: created.body.paymentId, qliroOrderId: Number(payment.reference) };
  }

  const callbackUrl = (adapter: RunningAdapter, c: { orderId: string; paymentId: string }, name: string) => {
    const query = new URLSearchParams({ merchant: SANDBOX.merchant, channel: 'se', token: tokens.sign({ merchant: SANDBOX.merchant, channel: 'se', ...c }) });
    return `${adapter.url}/api/checkout/v1/callback/orders/${c.orderId}/payments/${c.paymentId}/${name}?${query}`;
  };

  describe('connection reuse', () => {
    it('a burst of N concurrent requests, three times over, opens at most N connections to each upstream', async () => {
      const { orderId, paymentId } = await checkout(cached);
      const url = `${cached.url}/api/checkout/v1/orders/${orderId}/payments/${paymentId}`;
      await send(url, { headers }); // the configuration is cached from here on: one Norce call per request
      const accepted = { nco: 0, qliro: 0 };
      const onNco = () => accepted.nco++;
      const onQliro = () => accepted.qliro++;
      nco.server.on('connection', onNco);
      qliro.server.on('connection', onQliro);
      const concurrency = 20;
      try {
        const { norce, qliro: qliroCalls } = await upstreamCallsOf(async () => {
          for (let burst = 0; burst < 3; burst++) {
            const answers = await Promise.all(Array.from({ length: concurrency }, () => send(url, { headers })));
            expect(answers.map((a) => a.status)).to.deep.equal(Array(concurrency).fill(200));
          }
        });
        expect(norce).to.deep.equal({ 'GET /orders/:id': 3 * concurrency });
        expect(qliroCalls).to.deep.equal({ getOrder: 3 * concurrency });
      } finally {
        nco.server.off('connection', onNco);
        qliro.server.off('connection', onQliro);
      }
      // Keep-alive: sockets opened by the first burst serve the next ones; never more than the requests in flight.
      expect(accepted.nco, 'connections accepted by the NCO simulator').to.be.within(1, concurrency);
      expect(accepted.qliro, 'connections accepted by the Qliro simulator').to.be.within(1, concurrency);
    });
  });

  describe('upstream calls per adapter request', () => {
    it('create payment: one configuration read, one order read; the writes; Qliro CreateOrder and one GetOrder (the snippet)', async () => {
      const orderId = await newOrder();
      const { result, norce, qliro: q } = await upstreamCallsOf(() => send(`${uncached.url}/api/checkout/v1/orders/${orderId}/payments`, { method: 'POST', headers }));
      expect(result.status).to.equal(200);
      expect(norce).to.deep.equal({
        'config GET': 1,
        'GET /orders/:id': 1,
        'POST /orders/:id/hooks': 3, // cart, shippings, state
        'POST /orders/:id/payments': 1,
        'POST /orders/:id/payments/:id/transactions': 1,
        'PUT /orders/:id/payments/:id': 1, // reference and attributes
      });
      expect(q).to.deep.equal({ createOrder: 1, getOrder: 1 });
    });

    it('GET payment: one order read and one Qliro GetOrder; the configuration once, or not at all while cached', async () => {
      for (const [adapter, config] of [[uncached, { 'config GET': 1 }], [cached, {}]] as const) {
        const { orderId, paymentId } = await checkout(adapter);
        const { result, norce, qliro: q } = await upstreamCallsOf(() => send(`${adapter.url}/api/checkout/v1/orders/${orderId}/payments/${paymentId}`, { headers }));
        expect(result.status).to.equal(200);
        expect(norce).to.deep.equal({ ...config, 'GET /orders/:id': 1 });
        expect(q).to.deep.equal({ getOrder: 1 });
      }
    });

    it('cart-changed: no Norce read (the hook body is the order), one Qliro UpdateOrder', async () => {
      for (const [adapter, config] of [[uncached, { 'config GET': 1 }], [cached, {}]] as const) {
        const { orderId, paymentId } = await checkout(adapter);
        const proposed = nco.store.order(orderId);
        const { result, norce, qliro: q } = await upstreamCallsOf(() =>
          send(`${adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/cart-changed`, { method: 'POST', headers, body: proposed }),
        );
        expect(result.status, JSON.stringify(result.body)).to.equal(200);
        expect(norce).to.deep.equal(config);
        expect(q).to.deep.equal({ updateOrder: 1 });
      }
    });

    it('validate (approve): one order read, then billing, shipping, payment, its transaction and the order state; no Qliro call', async () => {
      const c = await checkout(uncached);
      const body = {
        ...validationRequestOf(qliro.store.get(c.qliroOrderId)!),
        Customer: { Email: 'test@example.com', MobileNumber: '0700000000', PersonalNumber: '790625-5307' },
        ShippingAddress: { PostalCode: '11122' },
      };
      const { result, norce, qliro: q } = await upstreamCallsOf(() => send(callbackUrl(uncached, c, 'validate'), { method: 'POST', body }));
      expect(result.status, JSON.stringify(result.body)).to.equal(200);
      expect(norce).to.deep.equal({
        'config GET': 1,
        'GET /orders/:id': 1,
        'POST /orders/:id/payments/:id/transactions': 1,
        'PUT /orders/:id/customer/billing': 1,
        'PUT /orders/:id/customer/shipping': 1,
        'PUT /orders/:id/payments/:id': 1,
        'PUT /orders/:id/state': 1,
      });
      expect(q).to.deep.equal({});
    });

    it('push: one order read and one Qliro GetOrder, then the writes; a duplicate push reads the same and writes nothing', async () => {
      const c = await checkout(uncached);
      const validated = await send(callbackUrl(uncached, c, 'validate'), { method: 'POST', body: validationRequestOf(qliro.store.get(c.qliroOrderId)!) });
      expect(validated.status, JSON.stringify(validated.body)).to.equal(200);
      qliro.setStatus(c.qliroOrderId, 'Completed'); // the purchase went through; its push is ours to send
      const push = { OrderId: c.qliroOrderId, Status: 'Completed' };
      const first = await upstreamCallsOf(() => send(callbackUrl(uncached, c, 'push'), { method: 'POST', body: push }));
      const duplicate = await upstreamCallsOf(() => send(callbackUrl(uncached, c, 'push'), { method: 'POST', body: push }));
      expect([first.result.status, duplicate.result.status]).to.deep.equal([200, 200]);
      expect(first.norce).to.deep.equal({
        'config GET': 1,
        'GET /orders/:id': 1,
        'POST /orders/:id/payments/:id/transactions': 1, // confirm
        'PUT /orders/:id/payments/:id': 1, // reserved
        'PUT /orders/:id/state': 2, // accepted, completed
      });
      expect(first.qliro).to.deep.equal({ getOrder: 1 });
      expect(duplicate.norce).to.deep.equal({ 'config GET': 1, 'GET /orders/:id': 1 });
      expect(duplicate.qliro).to.deep.equal({ getOrder: 1 });
    });
  });
});
