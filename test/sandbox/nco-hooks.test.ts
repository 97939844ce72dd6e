// The NCO simulator calls the orders' hooks as NCO does: synchronously before a change, proposed order in the body,
// 200 + JSON Patch approves and patches, anything else denies and nothing is stored; the writer's own hooks are skipped.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fetch from 'node-fetch';
import { startNcoSimulator, type RunningNcoSimulator } from '../../sandbox/nco-simulator';
import { applyPatch, parsePatch } from '../../sandbox/nco-simulator/json-patch';

const TOKEN = 'hook-test-token';
const ORDERS = '/api/v0/checkout/orders';
const QLIRO = 'qliro_checkout_adapter';

interface Hit {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
  readonly at: number;
}
interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly delayMs?: number;
}

/** A merchant-side server on port 0 that records every request and answers what `reply` says for its path. */
async function startStub() {
  const hits: Hit[] = [];
  let reply: (hit: Hit) => Reply = () => ({ status: 200, body: [] });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const hit: Hit = { path: req.url ?? '', headers: req.headers, body: text === '' ? undefined : JSON.parse(text), at: Date.now() };
      hits.push(hit);
      const answer = reply(hit);
      setTimeout(() => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    answer: (fn: (hit: Hit) => Reply) => {
      reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sandbox: NCO simulator calls hooks', () => {
  let nco: RunningNcoSimulator;
  let stub: Awaited<ReturnType<typeof startStub>>;

  async function call(path: string, method: string, body?: unknown, adapterId?: string) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${TOKEN}`,
      'x-merchant': 'acme',
      'x-channel': 'se',
      'content-type': 'application/json',
    };
    if (adapterId) headers['x-adapterid'] = adapterId;
    const response = await fetch(`${nco.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  const cart = (price: number) => ({
    reference: 'cart-1',
    items: [{ reference: 'SKU-1', name: 'Jacka', quantity: 2, vatRate: 0.25, price: { includingVat: price, excludingVat: price * 0.8 } }],
  });

  /** An order with a Qliro payment and the given hooks (registered through POST …/hooks, as adapters do). */
  async function orderWithHooks(hooks: Record<string, unknown>[]): Promise<string> {
    const created = await call(ORDERS, 'POST', { currency: 'SEK', country: 'SE', cart: cart(100) });
    expect(created.status).to.equal(201);
    const id: string = created.body.id;
    const payment = await call(`${ORDERS}/${id}/payments`, 'POST', { adapterId: QLIRO, name: 'Qliro Checkout', type: 'default', amount: 200 }, QLIRO);
    expect(payment.status).to.equal(201);
    for (const hook of hooks) expect((await call(`${ORDERS}/${id}/hooks`, 'POST', { version: 'v0', ...hook }, QLIRO)).status).to.equal(200);
    return id;
  }

  const cartHook = (overrides: Record<string, unknown> = {}) => ({
    adapterId: QLIRO,
    subscribeTo: '/cart',
    target: '/payments',
    invoke: `${stub.url}/orders/{order_id}/cart-changed`,
    ...overrides,
  });

  before(async () => {
    stub = await startStub();
    nco = await startNcoSimulator({ port: 0, apiToken: TOKEN, hookTimeoutMs: 300 });
  });
  after(async () => {
    await nco.close();
    await stub.close();
  });
  beforeEach(() => {
    stub.hits.length = 0;
    stub.answer(() => ({ status: 200, body: [] }));
  });

  it('POSTs the proposed order to the hook with content-type, x-merchant, x-channel and the Bearer token', async () => {
    const id = await orderWithHooks([cartHook()]);
    const put = await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150), 'norce_adapter');
    expect(put.status).to.equal(200);
    expect(stub.hits).to.have.length(1);
    const hit = stub.hits[0]!;
    expect(hit.path).to.equal(`/orders/${id}/cart-changed`);
    expect(hit.headers['content-type']).to.contain('application/json');
    expect(hit.headers['x-merchant']).to.equal('acme');
    expect(hit.headers['x-channel']).to.equal('se');
    expect(hit.headers['authorization']).to.equal(`Bearer ${TOKEN}`);
    // The proposal: the new cart and its total, not yet stored.
    expect(hit.body.id).to.equal(id);
    expect(hit.body.cart.items[0].price.includingVat).to.equal(150);
    expect(hit.body.total.includingVat).to.equal(300);
    expect(hit.body.payments[0].amount).to.equal(200);
    expect(nco.store.order(id)!.total.includingVat).to.equal(300);
    const logged = nco.store.hookCalls.filter((c) => c.orderId === id);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ subject: '/cart', adapterId: QLIRO, invoke: `${stub.url}/orders/${id}/cart-changed`, status: 200, outcome: 'approved' });
    expect(logged[0]!.durationMs).to.be.a('number');
  });

  it('applies the JSON Patch the hook answers, and stores the patched order', async () => {
    const id = await orderWithHooks([cartHook()]);
    stub.answer(() => ({ status: 200, body: [{ op: 'replace', path: '/payments/0/amount', value: 300 }] }));
    expect((await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150))).status).to.equal(200);
    const stored = nco.store.order(id)!;
    expect(stored.payments[0]!['amount']).to.equal(300);
    expect(stored.cart.items[0]!['price']).to.deep.equal({ includingVat: 150, excludingVat: 120 });
    expect(nco.store.hookCalls.find((c) => c.orderId === id)!.patch).to.deep.equal([{ op: 'replace', path: '/payments/0/amount', value: 300 }]);
  });

  it('a 400 from the hook blocks the change: 400 order-hook-failed with the hook’s answer, nothing stored', async () => {
    const id = await orderWithHooks([cartHook()]);
    const before = nco.store.order(id);
    stub.answer(() => ({ status: 400, body: { code: 'payment-conflict', message: 'The purchase is already completed' } }));
    const put = await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150));
    expect(put.status).to.equal(400);
    expect(put.body.code).to.equal('order-hook-failed');
    expect(put.body.message).to.contain(QLIRO).and.to.contain('400');
    expect(put.body.hookResponse).to.deep.equal({ code: 'payment-conflict', message: 'The purchase is already completed' });
    expect(nco.store.order(id)).to.deep.equal(before);
  });

  it('a hook that does not answer in time blocks the change (hookTimeoutMs)', async () => {
    const id = await orderWithHooks([cartHook()]);
    const before = nco.store.order(id);
    stub.answer(() => ({ status: 200, body: [], delayMs: 1000 }));
    const put = await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150));
    expect(put.status).to.equal(400);
    expect(put.body.code).to.equal('order-hook-failed');
    expect(put.body.message).to.contain('did not answer within 300 ms');
    expect(nco.store.order(id)).to.deep.equal(before);
    expect(nco.store.hookCalls.filter((c) => c.orderId === id).map((c) => c.status)).to.deep.equal(['timeout']);
  });

  it('an unreachable hook blocks the change', async () => {
    const id = await orderWithHooks([cartHook({ invoke: 'http://127.0.0.1:9/unreachable/{order_id}' })]);
    const put = await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150));
    expect(put.status).to.equal(400);
    expect(put.body.code).to.equal('order-hook-failed');
    expect(nco.store.order(id)!.cart.items[0]!['price']).to.deep.equal({ includingVat: 100, excludingVat: 80 });
  });

  it('a patch that does not apply, or a 2xx body that is not a patch, denies the change', async () => {
    const id = await orderWithHooks([cartHook()]);
    stub.answer(() => ({ status: 200, body: [{ op: 'replace', path: '/payments/5/amount', value: 1 }] }));
    const bad = await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150));
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('order-hook-failed');
    expect(bad.body.message).to.contain('/payments/5/amount');
    stub.answer(() => ({ status: 200, body: { ok: true } }));
    expect((await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150))).status).to.equal(400);
    expect(nco.store.order(id)!.total.includingVat).to.equal(200);
  });

  it('does not call the hooks of the adapter named by x-adapterid', async () => {
    const id = await orderWithHooks([cartHook()]);
    expect((await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150), QLIRO)).status).to.equal(200);
    expect(stub.hits).to.have.length(0);
    expect(nco.store.order(id)!.total.includingVat).to.equal(300);
  });

  it('calls only the hooks subscribed to the part that changes', async () => {
    const id = await orderWithHooks([
      cartHook(),
      { adapterId: QLIRO, subscribeTo: '/state', invoke: `${stub.url}/orders/{order_id}/state-changed` },
      { adapterId: 'other_adapter', subscribeTo: '/customer', invoke: `${stub.url}/orders/{order_id}/customer-changed` },
    ]);
    expect((await call(`${ORDERS}/${id}/state`, 'PUT', { currentStatus: 'processing' })).status).to.equal(200);
    expect(stub.hits.map((h) => h.path)).to.deep.equal([`/orders/${id}/state-changed`]);
    expect(stub.hits[0]!.body.state.currentStatus).to.equal('processing');
    stub.hits.length = 0;
    expect((await call(`${ORDERS}/${id}/customer/billing`, 'PUT', { postalCode: '11122' })).status).to.equal(200);
    expect(stub.hits.map((h) => h.path)).to.deep.equal([`/orders/${id}/customer-changed`]);
    stub.hits.length = 0;
    const payment = nco.store.order(id)!.payments[0]!;
    expect((await call(`${ORDERS}/${id}/payments/${payment['id']}`, 'PUT', { ...payment, state: 'processing' })).status).to.equal(200);
    expect(stub.hits).to.have.length(0);
  });

  it('calls hooks with a target first, each seeing the proposal as patched by the hooks before it', async () => {
    const id = await orderWithHooks([
      { adapterId: 'norce_adapter', subscribeTo: '/cart', invoke: `${stub.url}/orders/{order_id}/untargeted` },
      cartHook(),
    ]);
    stub.answer((hit) =>
      hit.path.endsWith('/cart-changed') ? { status: 200, body: [{ op: 'replace', path: '/payments/0/amount', value: 300 }] } : { status: 200, body: [] },
    );
    expect((await call(`${ORDERS}/${id}/cart`, 'PUT', cart(150))).status).to.equal(200);
    expect(stub.hits.map((h) => h.path)).to.deep.equal([`/orders/${id}/cart-changed`, `/orders/${id}/untargeted`]);
    expect(stub.hits[1]!.body.payments[0].amount).to.equal(300);
  });

  it('holds later writes to the same order while a hook is running', async () => {
    const id = await orderWithHooks([cartHook(), { adapterId: QLIRO, subscribeTo: '/state', invoke: `${stub.url}/orders/{order_id}/state-changed` }]);
    stub.answer((hit) => ({ status: 200, body: [], delayMs: hit.path.endsWith('/cart-changed') ? 150 : 0 }));
    const cartWrite = call(`${ORDERS}/${id}/cart`, 'PUT', cart(150));
    // Send the state write only once the cart write is inside its hook.
    while (stub.hits.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const stateWrite = await call(`${ORDERS}/${id}/state`, 'PUT', { currentStatus: 'processing' });
    expect((await cartWrite).status).to.equal(200);
    expect(stateWrite.status).to.equal(200);
    // The state change was proposed on top of the committed cart change: it waited for the cart hook.
    expect(stub.hits.map((h) => h.path)).to.deep.equal([`/orders/${id}/cart-changed`, `/orders/${id}/state-changed`]);
    expect(stub.hits[1]!.body.cart.items[0].price.includingVat).to.equal(150);
  });

  it('calls the hooks registered through the API by default; hooks that came inside an order body only with callHooks: all', async () => {
    const body = {
      currency: 'SEK',
      cart: cart(100),
      hooks: [{ adapterId: 'norce_adapter', subscribeTo: '/state', invoke: `${stub.url}/orders/{order_id}/from-body`, version: 'v0' }],
    };
    const created = await call(ORDERS, 'POST', body);
    expect((await call(`${ORDERS}/${created.body.id}/state`, 'PUT', { currentStatus: 'processing' })).status).to.equal(200);
    expect(stub.hits).to.have.length(0);

    const all = await startNcoSimulator({ port: 0, apiToken: TOKEN, callHooks: 'all', hookToken: 'hook-secret' });
    try {
      const response = await fetch(`${all.url}${ORDERS}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'x-merchant': 'acme', 'x-channel': 'se', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const { id } = (await response.json()) as { id: string };
      const put = await fetch(`${all.url}${ORDERS}/${id}/state`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'x-merchant': 'acme', 'x-channel': 'se', 'content-type': 'application/json' },
        body: JSON.stringify({ currentStatus: 'processing' }),
      });
      expect(put.status).to.equal(200);
      expect(stub.hits.map((h) => [h.path, h.headers['authorization']])).to.deep.equal([[`/orders/${id}/from-body`, 'Bearer hook-secret']]);
    } finally {
      await all.close();
    }
  });
});

describe('sandbox: JSON Patch of hook answers', () => {
  const order = { payments: [{ amount: 1, state: 'intent' }], cart: { 'a/b': 1, 'c~d': 2 } };

  it('replaces, adds and removes on JSON Pointer paths, leaving the input untouched', () => {
    const result = applyPatch(order, [
      { op: 'replace', path: '/payments/0/amount', value: 5 },
      { op: 'add', path: '/payments/-', value: { amount: 2 } },
      { op: 'add', path: '/payments/0/attributes', value: { x: 1 } },
      { op: 'remove', path: '/cart/a~1b' },
      { op: 'test', path: '/cart/c~0d', value: 2 },
    ]);
    expect(result).to.deep.equal({
      ok: true,
      value: { payments: [{ amount: 5, state: 'intent', attributes: { x: 1 } }, { amount: 2 }], cart: { 'c~d': 2 } },
    });
    expect(order.payments[0]!.amount).to.equal(1);
  });

  it('refuses the whole patch when one operation does not apply', () => {
    for (const op of [
      { op: 'replace', path: '/payments/1/amount', value: 1 },
      { op: 'remove', path: '/nothing' },
      { op: 'replace', path: 'payments/0/amount', value: 1 },
      { op: 'test', path: '/payments/0/state', value: 'reserved' },
      { op: 'add', path: '/payments/7', value: {} },
    ]) {
      expect(applyPatch(order, [{ op: 'replace', path: '/payments/0/amount', value: 9 }, op]).ok, JSON.stringify(op)).to.equal(false);
    }
  });

  it('reads only arrays of {op, path, value} with a supported op', () => {
    expect(parsePatch([]).ok).to.equal(true);
    expect(parsePatch({}).ok).to.equal(false);
    expect(parsePatch([{ op: 'move', from: '/a', path: '/b' }]).ok).to.equal(false);
    expect(parsePatch([{ op: 'replace', path: '/a' }]).ok).to.equal(false);
  });
});
