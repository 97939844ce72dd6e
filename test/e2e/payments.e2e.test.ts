// The Payments endpoints over HTTP: adapter + NCO simulator + Qliro simulator, as `npm start` runs them.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { toMinor } from '../../src/domain/money';
import { loadFixture } from '../support/fixtures';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from './sandbox-client';

describe('e2e: Payments endpoints against the simulators', function () {
  this.timeout(15000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  const norceOrder = (id: string) => sandbox.nco.store.order(id) as any;
  const create = (orderId: string, headers = norceHeaders()) => call(paymentsUrl(sandbox, orderId), { method: 'POST', headers });

  describe('create', () => {
    it('creates a Norce order and a Qliro checkout for it, signed, with lines summing to the Norce total', async () => {
      const orderId = await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'));
      const answer = await create(orderId);
      expect(answer.status).to.equal(200);
      expect(answer.body.paymentId).to.be.a('string');
      expect(answer.body.htmlSnippet).to.be.a('string').and.match(/<script/);

      const payment = norceOrder(orderId).payments.find((p: any) => p.id === answer.body.paymentId);
      expect(payment.state).to.equal('intent');
      const qliroOrder = sandbox.qliro.store.get(Number(payment.reference))!;
      expect(qliroOrder).to.not.equal(undefined);
      expect(toMinor(sandbox.qliro.store.totalPrice(qliroOrder), 'SEK')).to.equal(toMinor(norceOrder(orderId).total.includingVat, 'SEK'));

      const [createRequest] = qliroOrder.requests;
      const expected = createHash('sha256').update(createRequest!.rawBody + 'sandbox-secret', 'utf8').digest('base64');
      expect(createRequest!.authorization).to.equal(`Qliro ${expected}`);
      expect(JSON.parse(createRequest!.rawBody).MerchantApiKey).to.equal('sandbox-key');
    });

    it('sends x-adapterid on every write to Norce', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      await create(orderId);
      const writes = sandbox.nco.store.writes.filter((w) => w.path.includes(orderId));
      expect(writes.length).to.be.greaterThan(3);
      expect(writes.every((w) => w.adapterId === 'qliro_checkout_adapter'), JSON.stringify(writes)).to.equal(true);
    });

    it('works in every sandbox channel (SEK, NOK, EUR, DKK)', async () => {
      for (const channel of ['se', 'no', 'fi', 'dk'] as const) {
        const orderId = await createNorceOrder(sandbox, sandboxDemoOrder(channel), channel);
        const answer = await create(orderId, norceHeaders(channel));
        expect(answer.status, `${channel}: ${JSON.stringify(answer.body)}`).to.equal(200);
        const payment = norceOrder(orderId).payments[0];
        const qliroOrder = sandbox.qliro.store.get(Number(payment.reference))!;
        expect(qliroOrder.currency).to.equal(norceOrder(orderId).currency);
        expect(toMinor(sandbox.qliro.store.totalPrice(qliroOrder))).to.equal(toMinor(norceOrder(orderId).total.includingVat));
      }
    });

    it('is idempotent over HTTP: the same payment and one Qliro order for a repeated create', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      const first = await create(orderId);
      const second = await create(orderId);
      expect(second.status).to.equal(200);
      expect(second.body.paymentId).to.equal(first.body.paymentId);
      expect(sandbox.qliro.store.list().filter((o) => o.merchantReference.startsWith(orderId))).to.have.length(1);
    });

    it('answers 404 order-not-found for an unknown order', async () => {
      const answer = await create('oDoesNotExist');
      expect(answer.status).to.equal(404);
      expect(answer.body).to.include({ code: 'order-not-found' });
      expect(answer.body.message).to.be.a('string').and.not.equal('');
    });

    it('answers 409 when the order is not in checkout, creating nothing', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      await call(`${sandbox.norceUrl}/api/v0/checkout/orders/${orderId}/state`, { method: 'PUT', headers: norceHeaders(), body: { currentStatus: 'processing' } });
      const answer = await create(orderId);
      expect(answer.status).to.equal(409);
      expect(answer.body.code).to.equal('order-conflict');
      expect(norceOrder(orderId).payments).to.deep.equal([]);
    });

    it('answers 400 configuration-not-found for a channel with no configuration', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'), 'nowhere');
      const answer = await create(orderId, norceHeaders('nowhere'));
      expect(answer.status).to.equal(400);
      expect(answer.body.code).to.equal('configuration-not-found');
    });

    it('answers 400 qliro-* with qliroError when Qliro refuses, leaving the payment failed', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      sandbox.qliro.failNext({ op: 'createOrder', status: 400, body: { ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Property: Country, Message: not allowed', ErrorReference: 'abc' } });
      const answer = await create(orderId);
      expect(answer.status).to.equal(400);
      expect(answer.body.code).to.match(/^qliro-/);
      expect(answer.body.qliroError).to.include({ ErrorCode: 'INVALID_INPUT' });
      const [payment] = norceOrder(orderId).payments;
      expect(payment.state).to.equal('failed');
      expect(norceOrder(orderId).hooks).to.deep.equal([]);
    });

    it('answers 502 qliro-error (retryable) on a Qliro 500, leaving the payment failed, and a retry succeeds', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      sandbox.qliro.failNext({ op: 'createOrder', status: 500 });
      const answer = await create(orderId);
      expect(answer.status).to.equal(502);
      expect(answer.body.code).to.equal('qliro-error');
      expect(answer.headers['retry-after']).to.equal('1');
      expect(norceOrder(orderId).payments.map((p: any) => p.state)).to.deep.equal(['failed']);
      const retry = await create(orderId);
      expect(retry.status).to.equal(200);
      expect(norceOrder(orderId).payments.map((p: any) => p.state)).to.deep.equal(['failed', 'intent']);
    });

    it('answers 502 qliro-error when Qliro does not answer in time, leaving the payment failed', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      sandbox.qliro.failNext({ op: 'createOrder', status: 500, delayMs: 3000 });
      const answer = await create(orderId);
      expect(answer.status).to.equal(502);
      expect(answer.body.code).to.equal('qliro-error');
      expect(answer.body.message).to.match(/1000 ms|time/i);
      expect(norceOrder(orderId).payments.map((p: any) => p.state)).to.deep.equal(['failed']);
    });
  });

  describe('bad requests', () => {
    it('answers 401 unauthorized for a missing or wrong bearer token, touching nothing', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      for (const authorization of [undefined, 'Bearer wrong-token', 'Basic c2FuZGJveA==']) {
        const headers: Record<string, string> = { 'x-merchant': 'sandbox', 'x-channel': 'se', ...(authorization ? { authorization } : {}) };
        const answer = await create(orderId, headers);
        expect(answer.status).to.equal(401);
        expect(answer.body).to.include({ code: 'unauthorized' });
      }
      expect(norceOrder(orderId).payments).to.deep.equal([]);
    });

    it('answers 400 order-bad-request when x-merchant or x-channel is missing', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      for (const drop of ['x-merchant', 'x-channel']) {
        const headers = norceHeaders();
        delete headers[drop];
        const answer = await create(orderId, headers);
        expect(answer.status).to.equal(400);
        expect(answer.body.code).to.equal('order-bad-request');
        expect(answer.body.message).to.contain(drop);
      }
      expect(norceOrder(orderId).payments).to.deep.equal([]);
    });

    it('answers 400 order-bad-request for a malformed JSON body', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      const answer = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders(), body: '{"items": [' });
      expect(answer.status).to.equal(400);
      expect(answer.body).to.deep.equal({ code: 'order-bad-request', message: 'request body is not valid JSON' });
      expect(norceOrder(orderId).payments).to.deep.equal([]);
    });

    it('answers 400 for path ids that cannot be Norce ids', async () => {
      const answer = await call(`${sandbox.adapter.url}/api/checkout/v1/orders/${encodeURIComponent('o..%2F..')}/payments`, { method: 'POST', headers: norceHeaders() });
      expect(answer.status).to.equal(400);
      expect(answer.body.code).to.equal('order-bad-request');
    });
  });

  describe('get and remove', () => {
    it('gets the snippet again, and 404 for an unknown payment', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      const created = await create(orderId);
      const got = await call(`${paymentsUrl(sandbox, orderId)}/${created.body.paymentId}`, { headers: norceHeaders() });
      expect(got.status).to.equal(200);
      expect(got.body).to.deep.equal(created.body);
      const missing = await call(`${paymentsUrl(sandbox, orderId)}/pUnknown`, { headers: norceHeaders() });
      expect(missing.status).to.equal(404);
      expect(missing.body.code).to.equal('payment-not-found');
    });

    it('removes the payment and its hooks; a new create then makes a new Qliro order with a new reference', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      const created = await create(orderId);
      const removed = await call(`${paymentsUrl(sandbox, orderId)}/${created.body.paymentId}/remove`, { method: 'POST', headers: norceHeaders() });
      expect(removed.status).to.equal(200);
      expect(norceOrder(orderId).payments[0].state).to.equal('removed');
      expect(norceOrder(orderId).hooks).to.deep.equal([]);
      const again = await create(orderId);
      expect(again.status).to.equal(200);
      expect(again.body.paymentId).to.not.equal(created.body.paymentId);
      const references = sandbox.qliro.store.list().filter((o) => o.merchantReference.startsWith(orderId)).map((o) => o.merchantReference);
      expect(references).to.deep.equal([orderId, `${orderId}-2`]);
    });

    it('refuses to remove a payment with money reserved (409 payment-conflict)', async () => {
      const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
      const created = await create(orderId);
      const payment = norceOrder(orderId).payments[0];
      await call(`${sandbox.norceUrl}/api/v0/checkout/orders/${orderId}/payments/${payment.id}`, { method: 'PUT', headers: norceHeaders(), body: { ...payment, state: 'reserved' } });
      const answer = await call(`${paymentsUrl(sandbox, orderId)}/${created.body.paymentId}/remove`, { method: 'POST', headers: norceHeaders() });
      expect(answer.status).to.equal(409);
      expect(answer.body.code).to.equal('payment-conflict');
      expect(norceOrder(orderId).payments[0].state).to.equal('reserved');
    });
  });

  it('answers unknown paths with a JSON 404, not an HTML page', async () => {
    const answer = await call(`${sandbox.adapter.url}/nothing-here`);
    expect(answer.status).to.equal(404);
    expect(answer.body.code).to.be.a('string');
  });
});
