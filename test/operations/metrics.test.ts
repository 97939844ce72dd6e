// GET /metrics: own registry, route templates (never raw paths), upstream calls by outcome, callback and
// transition counters through the CheckoutTelemetry port; and the health endpoints.
import { expect } from 'chai';
import { register as globalRegistry } from 'prom-client';
import { createMetrics } from '../../src/infrastructure/metrics';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { loadFixture } from '../support/fixtures';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from '../e2e/sandbox-client';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text format → samples (enough of it for our own metrics). */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, k, v] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const find = (samples: Sample[], name: string, labels: Record<string, string>): Sample | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('operations: metrics', () => {
  describe('createMetrics', () => {
    it('registers on its own registry, never on the global one, and two instances do not collide', async () => {
      const first = createMetrics();
      const second = createMetrics();
      first.observeHttpRequest('GET', '/health/live', 200, 0.01);
      expect(await globalRegistry.getSingleMetric('http_request_duration_seconds')).to.equal(undefined);
      const one = parseMetrics(await first.registry.metrics());
      const two = parseMetrics(await second.registry.metrics());
      expect(find(one, 'http_request_duration_seconds_count', { route: '/health/live' })?.value).to.equal(1);
      expect(find(two, 'http_request_duration_seconds_count', { route: '/health/live' })).to.equal(undefined);
      expect(find(one, 'process_cpu_user_seconds_total', {}), 'default process metrics').to.not.equal(undefined);
    });

    it('counts callbacks and payment transitions told through the CheckoutTelemetry port', async () => {
      const metrics = createMetrics();
      metrics.telemetry.callbackHandled('push', 'applied');
      metrics.telemetry.callbackHandled('push', 'applied');
      metrics.telemetry.callbackHandled('validate', 'declined');
      metrics.telemetry.paymentTransition('intent', 'processing');
      const samples = parseMetrics(await metrics.registry.metrics());
      expect(find(samples, 'qliro_callbacks_total', { type: 'push', outcome: 'applied' })?.value).to.equal(2);
      expect(find(samples, 'qliro_callbacks_total', { type: 'validate', outcome: 'declined' })?.value).to.equal(1);
      expect(find(samples, 'payment_transitions_total', { from: 'intent', to: 'processing' })?.value).to.equal(1);
    });
  });

  describe('GET /metrics on the running adapter', function () {
    this.timeout(15000);
    let sandbox: RunningSandbox;
    before(async () => {
      sandbox = await startTestSandbox();
    });
    after(async () => {
      await sandbox.stop();
    });

    const scrape = async (): Promise<{ text: string; samples: Sample[]; contentType: string }> => {
      const answer = await call(`${sandbox.adapter.url}/metrics`);
      expect(answer.status).to.equal(200);
      return { text: answer.body as string, samples: parseMetrics(answer.body as string), contentType: answer.headers['content-type']! };
    };

    it('shows request durations by route template, upstream calls by outcome, callbacks, and default metrics — no ids in any label', async () => {
      const orderId = await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'));
      const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
      expect(created.status).to.equal(200);
      const paymentId = created.body.paymentId as string;
      await call(`${paymentsUrl(sandbox, orderId)}/${paymentId}`, { headers: norceHeaders() });
      await call(`${sandbox.adapter.url}/no/such/path/${orderId}`);
      // A Qliro callback with a wrong token: counted as an unauthorized validate.
      await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${orderId}/payments/${paymentId}/validate?merchant=sandbox&channel=se&token=wrong`, {
        method: 'POST',
        body: {},
      });
      // Qliro fails once, then does not answer in time (the test sandbox waits 400 ms).
      sandbox.qliro.failNext({ op: 'createOrder', status: 500 });
      await call(paymentsUrl(sandbox, await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'))), { method: 'POST', headers: norceHeaders() });
      sandbox.qliro.failNext({ op: 'createOrder', delayMs: 1500 });
      await call(paymentsUrl(sandbox, await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'))), { method: 'POST', headers: norceHeaders() });

      const { text, samples, contentType } = await scrape();
      expect(contentType).to.match(/^text\/plain/);

      const http = 'http_request_duration_seconds_count';
      expect(find(samples, http, { method: 'POST', route: '/api/checkout/v1/orders/:order_id/payments', status_code: '200' })?.value).to.be.at.least(1);
      expect(find(samples, http, { method: 'GET', route: '/api/checkout/v1/orders/:order_id/payments/:payment_id', status_code: '200' })?.value).to.equal(1);
      expect(find(samples, http, { method: 'GET', route: 'unmatched', status_code: '404' })?.value).to.equal(1);
      expect(find(samples, http, { method: 'POST', route: '/api/checkout/v1/callback/orders/:order_id/payments/:payment_id/validate', status_code: '401' })?.value).to.equal(1);
      expect(text).to.contain('http_request_duration_seconds_bucket{');

      const upstream = 'upstream_request_duration_seconds_count';
      expect(find(samples, upstream, { upstream: 'norce', operation: 'getOrder', outcome: 'success' })?.value).to.be.at.least(1);
      expect(find(samples, upstream, { upstream: 'norce', operation: 'getConfiguration', outcome: 'success' })?.value).to.be.at.least(1);
      expect(find(samples, upstream, { upstream: 'qliro', operation: 'createOrder', outcome: 'success' })?.value).to.be.at.least(1);
      expect(find(samples, upstream, { upstream: 'qliro', operation: 'createOrder', outcome: 'server-error' })?.value).to.equal(1);
      expect(find(samples, upstream, { upstream: 'qliro', operation: 'createOrder', outcome: 'timeout' })?.value).to.equal(1);
      expect(find(samples, upstream, { upstream: 'qliro', operation: 'getOrder', outcome: 'success' })?.value).to.be.at.least(1);

      expect(find(samples, 'qliro_callbacks_total', { type: 'validate', outcome: 'unauthorized' })?.value).to.equal(1);
      expect(text).to.contain('# TYPE payment_transitions_total counter');
      expect(find(samples, 'process_resident_memory_bytes', {})).to.not.equal(undefined);
      expect(find(samples, 'nodejs_eventloop_lag_seconds', {})).to.not.equal(undefined);

      // Bounded labels only: no order, payment or Qliro ids, no raw paths.
      const qliroOrderId = (sandbox.nco.store.order(orderId) as unknown as { payments: { id: string; reference: string }[] }).payments.find((p) => p.id === paymentId)!.reference;
      for (const id of [orderId, paymentId, qliroOrderId]) expect(text).to.not.contain(id);
      expect(text).to.not.contain('/no/such/path');
      const routes = new Set(samples.filter((s) => s.name === http).map((s) => s.labels['route']!));
      for (const route of routes) expect(route === 'unmatched' || /^\/[a-z0-9/_:.-]*$/.test(route), route).to.equal(true);
      const outcomes = new Set(samples.filter((s) => s.name === upstream).map((s) => s.labels['outcome']));
      for (const outcome of outcomes) expect(['success', 'client-error', 'server-error', 'timeout', 'network', 'undecodable']).to.include(outcome);
    });

    it('answers /health/live and /health/ready without calling an upstream', async () => {
      const before = parseMetrics((await call(`${sandbox.adapter.url}/metrics`)).body as string).filter((s) => s.name === 'upstream_request_duration_seconds_count');
      const live = await call(`${sandbox.adapter.url}/health/live`);
      const ready = await call(`${sandbox.adapter.url}/health/ready`);
      expect([live.status, live.body]).to.deep.equal([200, { status: 'ok' }]);
      expect([ready.status, ready.body]).to.deep.equal([200, { status: 'ready' }]);
      const after = parseMetrics((await call(`${sandbox.adapter.url}/metrics`)).body as string).filter((s) => s.name === 'upstream_request_duration_seconds_count');
      expect(after).to.deep.equal(before);
    });
  });
});
