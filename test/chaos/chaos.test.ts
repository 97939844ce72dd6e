// The chaos run, short: the same engine as `npm run chaos` (two adapter replicas behind the round-robin proxy, faults
// from a fixed seed), here with the replicas in this process and 8 orders; zero violations expected. Also: the
// simulators' `reset` and late-handling faults the run relies on, that the invariant checker does catch a Norce state
// Qliro does not back, and the adapter bugs earlier chaos runs found, each replayed deterministically.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import fetch from 'node-fetch';
import { qliroAuthorization } from '../../src/adapters/qliro/signing';
import { SANDBOX } from '../../src/infrastructure/sandbox';
import { runChaos } from '../../chaos/engine';
import { formatReport } from '../../chaos/report';
import { checkInvariants, expectedNorceState } from '../../chaos/invariants';
import { routeKind } from '../../chaos/proxy';
import { createRng } from '../../chaos/rng';
import { planOrder } from '../../chaos/plan';
import { startNcoSimulator } from '../../sandbox/nco-simulator';
import { startQliroSimulator } from '../../sandbox/qliro-simulator';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from '../e2e/sandbox-client';

describe('chaos: a short seeded run through two replicas behind the proxy', function () {
  this.timeout(45_000);

  it('8 orders, seed 20240607: every invariant holds', async () => {
    const result = await runChaos({ seed: 20240607, orders: 8, concurrency: 4, durationMs: 40_000, replicaMode: 'in-process' });
    const report = formatReport(result);
    expect(result.records, report).to.have.length(8);
    expect(result.violations, report).to.equal(0);
    // The run did exercise what it is about: faults were injected and both replicas served requests.
    const faults = Object.values(result.counters.faults).reduce((s, n) => s + n, 0);
    expect(faults, report).to.be.greaterThan(5);
    expect(new Set(result.requests.map((r) => r.replica)), report).to.deep.equal(new Set([0, 1]));
    for (const inv of result.invariants) expect(inv.checked, `${inv.name}\n${report}`).to.be.greaterThan(0);
  });
});

describe('chaos: building blocks', () => {
  it('the plan of an order depends only on the seed and its index', () => {
    const a = planOrder(7, createRng(42).fork('order-7'));
    const b = planOrder(7, createRng(42).fork('order-7'));
    const c = planOrder(7, createRng(43).fork('order-7'));
    expect(a).to.deep.equal(b);
    expect(JSON.stringify(a)).to.not.equal(JSON.stringify(c));
  });

  it('the proxy tells Norce-facing routes from Qliro-facing ones', () => {
    const cb = '/api/checkout/v1/callback/orders/o1/payments/p1';
    expect(routeKind('POST', '/api/checkout/v1/orders/o1/payments')).to.equal('create-payment');
    expect(routeKind('POST', `${cb}/push`)).to.equal('push');
    expect(routeKind('POST', `${cb}/status`)).to.equal('status');
    expect(routeKind('POST', `${cb}/update-payment`)).to.equal('cart-changed');
    expect(routeKind('POST', '/api/order/v1/orders/o1/payments/p1/capture')).to.equal('capture');
    expect(routeKind('GET', '/health/ready')).to.equal('other');
  });

  it('the expected Norce state follows Qliro: reserved, captured, refunded, pending, declined', () => {
    const base = { qliroOrderId: 1, norceOrderId: 'o', norcePaymentId: 'p', reserved: 100, successfulCaptures: 0, successfulRefunds: 0, reservedItems: 100, shippedItems: 0, returnedItems: 0 };
    expect(expectedNorceState({ ...base, status: 'Completed', captured: 0, refunded: 0 })).to.equal('reserved');
    expect(expectedNorceState({ ...base, status: 'Completed', captured: 100, refunded: 0 })).to.equal('captured');
    expect(expectedNorceState({ ...base, status: 'Completed', captured: 100, refunded: 100 })).to.equal('refunded');
    expect(expectedNorceState({ ...base, status: 'OnHold', captured: 0, refunded: 0 })).to.equal('pending');
    expect(expectedNorceState({ ...base, status: 'Refused', captured: 0, refunded: 0 })).to.equal('declined');
    expect(expectedNorceState({ ...base, status: 'InProcess', captured: 0, refunded: 0 })).to.equal(undefined);
  });
});

describe('chaos: simulator faults', () => {
  it('Qliro simulator: failNext {reset: true} destroys the connection without handling the call', async () => {
    const qliro = await startQliroSimulator({ merchants: [{ apiKey: 'k', secret: 'secret-of-the-merchant' }] });
    try {
      const control = await fetch(`${qliro.url}/sandbox/fail-next`, { method: 'POST', body: JSON.stringify({ op: 'getOrder', reset: true }), headers: { 'content-type': 'application/json' } });
      expect(control.status).to.equal(204);
      const error = await fetch(`${qliro.url}/checkout/merchantapi/orders/1`).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(error?.code).to.match(/ECONNRESET|socket hang up/i);
      expect((await fetch(`${qliro.url}/checkout/merchantapi/orders/1`)).status).to.equal(401); // the next call is handled
      const refused = await fetch(`${qliro.url}/sandbox/fail-next`, { method: 'POST', body: JSON.stringify({ op: 'getOrder', reset: 'yes' }), headers: { 'content-type': 'application/json' } });
      expect(refused.status).to.equal(400);
    } finally {
      await qliro.close();
    }
  });

  it('NCO simulator: failNext {reset} resets; {delayMs} handles the write late, after the client gave up', async () => {
    const nco = await startNcoSimulator({ apiToken: 'nco-token-1', callHooks: 'none' });
    try {
      const headers = { authorization: 'Bearer nco-token-1', 'x-merchant': 'sandbox', 'x-channel': 'se', 'content-type': 'application/json' };
      const orders = `${nco.url}/api/v0/checkout/orders`;
      nco.failNext({ method: 'POST', path: '/api/v0/checkout/orders', reset: true });
      const reset = await fetch(orders, { method: 'POST', headers, body: JSON.stringify(sandboxDemoOrder('se')) }).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(reset?.code).to.match(/ECONNRESET|socket hang up/i);
      expect(nco.store.orderIds()).to.have.length(0);

      nco.failNext({ method: 'POST', path: '/api/v0/checkout/orders', delayMs: 300 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const gaveUp = await fetch(orders, { method: 'POST', headers, body: JSON.stringify(sandboxDemoOrder('se')), signal: controller.signal as never }).then(
        () => 'answered',
        () => 'aborted',
      );
      expect(gaveUp).to.equal('aborted');
      expect(nco.store.orderIds()).to.have.length(0);
      for (let i = 0; i < 50 && nco.store.orderIds().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(nco.store.orderIds()).to.have.length(1); // the write landed late
    } finally {
      await nco.close();
    }
  });
});

describe('chaos: the invariant checker catches a Norce state Qliro does not back', function () {
  this.timeout(20_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('a payment marked captured in Norce while Qliro only reserved, and a 500 on capture, are violations', async () => {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
    const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
    const payment = (sandbox.nco.store.order(orderId) as any).payments.find((p: any) => p.id === created.body.paymentId);
    await call(`${sandbox.qliroUrl}/sandbox/orders/${payment.reference}/complete`, { method: 'POST', body: { outcome: 'Completed' } });
    await sandbox.qliro.whenPushesSettled(Number(payment.reference));
    const clean = checkInvariants({ nco: sandbox.nco, qliro: sandbox.qliro, requests: [], replicas: [] });
    expect(clean.flatMap((i) => i.violations)).to.deep.equal([]);

    const reserved = (sandbox.nco.store.order(orderId) as any).payments.find((p: any) => p.id === payment.id);
    const scope = { merchant: 'sandbox', channel: 'se' };
    await sandbox.nco.store.updatePayment(scope, orderId, payment.id, { ...reserved, state: 'captured' });
    const requests = [{ kind: 'capture' as const, path: `/api/order/v1/orders/${orderId}/payments/${payment.id}/capture`, replica: 1, at: Date.now(), status: 500, ms: 3 }];
    const broken = checkInvariants({ nco: sandbox.nco, qliro: sandbox.qliro, requests, replicas: [{ index: 0, alive: () => false, exitInfo: () => 'exit code 1' }] });
    const failed = Object.fromEntries(broken.map((i) => [i.name, i.violations.length]));
    expect(failed).to.deep.equal({
      'qliro-and-norce-agree': 1,
      'money-moves-once': 0,
      'no-order-stuck-in-processing': 0,
      'norce-not-ahead-of-qliro': 1,
      'no-500-on-norce-facing-routes': 1,
      'no-caller-stuck': 0,
      'replicas-alive': 1,
    });
  });
});

describe('chaos findings: adapter bugs the chaos run found, replayed', function () {
  this.timeout(20_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  const paymentOf = (orderId: string, paymentId: string) => (sandbox.nco.store.order(orderId) as any).payments.find((p: any) => p.id === paymentId);
  const markItemsAsShipped = (qliroOrderId: number) =>
    sandbox.qliro.store.requests.filter((r) => r.op === 'markItemsAsShipped' && (JSON.parse(r.rawBody || '{}') as { OrderId?: number }).OrderId === qliroOrderId);

  async function purchase() {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
    const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
    const paymentId = created.body.paymentId as string;
    const qliroOrderId = Number(paymentOf(orderId, paymentId).reference);
    await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: { outcome: 'Completed' } });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    const om = `${sandbox.adapter.url}/api/order/v1/orders/${orderId}/payments/${paymentId}`;
    const op = (name: string) => call(`${om}/${name}`, { method: 'POST', headers: norceHeaders() });
    const settle = () => sandbox.qliro.whenPushesSettled(qliroOrderId);
    return { orderId, paymentId, qliroOrderId, op, settle };
  }

  it('create after two attempts whose Norce write failed is a 409 (retry), not a 400; the retry gets a checkout', async () => {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
    // Qliro creates the order each time; recording it on the Norce payment fails twice.
    sandbox.nco.failNext({ method: 'PUT', path: new RegExp(`/orders/${orderId}/payments/[^/]+$`), status: 500, times: 2 });
    const create = () => call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
    expect((await create()).status).to.equal(502);
    expect((await create()).status).to.equal(502);
    const third = await create();
    expect(third.status, JSON.stringify(third.body)).to.equal(409); // both references it may try are taken
    expect(third.body.qliroError).to.include({ ErrorCode: 'ORDER_ALREADY_EXISTS' });
    const fourth = await create();
    expect(fourth.status, JSON.stringify(fourth.body)).to.equal(200);
    expect(paymentOf(orderId, fourth.body.paymentId).state).to.equal('intent');
  });

  it('a refund retried after Qliro took the first one (answer lost, push lost) answers 200, not 409', async () => {
    const p = await purchase();
    await p.op('capture');
    await p.settle();
    expect(paymentOf(p.orderId, p.paymentId).state).to.equal('captured');
    // ReturnItems is handled after the adapter's timeout (1000 ms in the test sandbox); its Success push is lost.
    sandbox.qliro.failNext({ op: 'returnItems', delayMs: 1600 });
    sandbox.qliro.dropNextPush(p.qliroOrderId);
    expect((await p.op('refund')).status).to.equal(502);
    // Wait (bounded) until Qliro has handled the late ReturnItems, then for its outcome.
    const handled = () => sandbox.qliro.store.requests.some((r) => r.op === 'returnItems' && r.status === 200);
    for (let i = 0; i < 100 && !handled(); i++) await new Promise((r) => setTimeout(r, 25));
    await p.settle();
    const retried = await p.op('refund');
    expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
    const refreshed = await p.op('refresh');
    expect(refreshed.body.state).to.equal('refunded');
  });

  it('a capture retried after its first attempt ended in Error unrecorded (Norce write failed, push lost) starts a new attempt', async () => {
    const p = await purchase();
    sandbox.qliro.failNextOutcome(p.qliroOrderId, { type: 'Capture', errorCode: 'PROVIDER_ERROR' });
    sandbox.qliro.dropNextPush(p.qliroOrderId);
    // Qliro accepts the MarkItemsAsShipped; recording it on the Norce payment fails.
    sandbox.nco.failNext({ method: 'PUT', path: new RegExp(`/orders/${p.orderId}/payments/[^/]+$`), status: 500 });
    expect((await p.op('capture')).status).to.equal(502);
    await p.settle();
    const retried = await p.op('capture');
    expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId, p.paymentId).state).to.equal('captured');
    const ids = markItemsAsShipped(p.qliroOrderId).map((r) => JSON.parse(r.rawBody).RequestId);
    expect(new Set(ids).size).to.equal(2);
  });

  it('refresh brings a payment two steps behind (reserved, while Qliro captured and refunded) to refunded', async () => {
    const p = await purchase();
    sandbox.qliro.dropNextPush(p.qliroOrderId);
    await p.op('capture');
    await p.settle();
    expect(paymentOf(p.orderId, p.paymentId).state).to.equal('reserved'); // the capture's push was lost
    // The merchant refunds in Qliro's portal (an Admin ReturnItems this adapter did not make); its push is lost too.
    const ledger = sandbox.qliro.adminOrder(p.qliroOrderId)!;
    const capture = (ledger['PaymentTransactions'] as any[]).find((t) => t.Type === 'Capture' && t.Status === 'Success');
    const shipped = (ledger['OrderItemActions'] as any[]).filter((a) => a.ActionType === 'Ship' && a.PaymentTransactionId === capture.PaymentTransactionId);
    sandbox.qliro.dropNextPush(p.qliroOrderId);
    const body = JSON.stringify({
      MerchantApiKey: SANDBOX.qliroApiKey,
      RequestId: randomUUID(),
      OrderId: p.qliroOrderId,
      Currency: 'SEK',
      Returns: [{ PaymentTransactionId: capture.PaymentTransactionId, OrderItems: shipped.map((a) => ({ MerchantReference: a.MerchantReference, Type: a.Type, Quantity: a.Quantity, PricePerItemIncVat: a.PricePerItemIncVat })) }],
    });
    const returned = await fetch(`${sandbox.qliroUrl}/checkout/adminapi/v2/ReturnItems`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: qliroAuthorization(body, SANDBOX.qliroApiSecret) },
      body,
    });
    expect(returned.status, await returned.text()).to.equal(200);
    await p.settle();
    const refreshed = await p.op('refresh');
    expect(refreshed.body.state).to.equal('refunded');
    const events = (sandbox.nco.store.transactionsOf(p.orderId, p.paymentId) as any[]).map((t) => `${t.event}/${t.pspStatus}`);
    expect(events).to.include.members(['capture/Success', 'refund/Success']);
  });
});
