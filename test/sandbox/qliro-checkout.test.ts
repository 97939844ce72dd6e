// The Qliro simulator's checkout: the shopper completes an order (validation callback, then Completed | OnHold |
// Refused with a Preauthorization), Qliro resolves OnHold, and checkout-status pushes are delivered with Qliro's
// retries, duplicates, drops and delays — against a stub merchant on port 0, settled without sleeping.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fetch from 'node-fetch';
import { qliroAuthorization } from '../../src/adapters/qliro/signing';
import { startQliroSimulator, type QliroSimulatorOptions, type RunningQliroSimulator } from '../../sandbox/qliro-simulator';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/qliro');
const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const MERCHANT = { apiKey: 'CHECKOUTKEY', secret: 'checkout-secret' };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/;
const RECEIVED = { callbackResponse: 'received' };

interface Hit {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}
interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly delayMs?: number;
}

/** The merchant: records every callback and answers what the test says, per path (/validate, /push). */
async function startMerchant() {
  const hits: Hit[] = [];
  const replies = new Map<string, (hit: Hit, nth: number) => Reply>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const hit: Hit = { path: (req.url ?? '').split('?')[0]!, headers: req.headers, body: text === '' ? undefined : JSON.parse(text) };
      hits.push(hit);
      const nth = hits.filter((h) => h.path === hit.path).length;
      const answer = replies.get(hit.path)?.(hit, nth) ?? { status: 200, body: hit.path === '/push' ? RECEIVED : undefined };
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    on: (p: '/validate' | '/push', reply: (hit: Hit, nth: number) => Reply) => {
      replies.set(p, reply);
    },
    received: (p: string) => hits.filter((h) => h.path === p),
    reset: () => {
      hits.length = 0;
      replies.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Merchant = Awaited<ReturnType<typeof startMerchant>>;

let refCounter = 0;

describe('sandbox: Qliro checkout, validation and pushes', () => {
  let merchant: Merchant;
  let sim: RunningQliroSimulator;
  const simulators: RunningQliroSimulator[] = [];

  async function startSim(options: Partial<QliroSimulatorOptions> = {}): Promise<RunningQliroSimulator> {
    const started = await startQliroSimulator({ port: 0, merchants: [MERCHANT], retryDelayScale: 0.001, validationTimeoutMs: 300, pushTimeoutMs: 500, ...options });
    simulators.push(started);
    return started;
  }

  async function signed(s: RunningQliroSimulator, method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: unknown) {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const response = await fetch(`${s.url}${urlPath}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: qliroAuthorization(raw, MERCHANT.secret) },
      ...(body === undefined ? {} : { body: raw }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  async function control(s: RunningQliroSimulator, method: 'GET' | 'POST', urlPath: string, body?: unknown) {
    const response = await fetch(`${s.url}/sandbox${urlPath}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  async function createOrder(s: RunningQliroSimulator = sim, overrides: Record<string, unknown> = {}): Promise<number> {
    const created = await signed(s, 'POST', '/checkout/merchantapi/Orders', {
      MerchantApiKey: MERCHANT.apiKey,
      MerchantReference: `chk${Date.now().toString(36)}${refCounter++}`,
      Currency: 'SEK',
      Country: 'SE',
      Language: 'sv-se',
      MerchantTermsUrl: 'https://shop.example.com/terms',
      MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
      MerchantCheckoutStatusPushUrl: `${merchant.url}/push?token=t`,
      MerchantOrderValidationUrl: `${merchant.url}/validate?token=t`,
      MerchantProvidedMetadata: [{ Key: 'norceOrderId', Value: 'oAbc' }, { Key: 'norcePaymentId', Value: 'pXyz' }],
      OrderItems: [
        { MerchantReference: 'JKT-1', Description: 'Regnjacka', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1299, PricePerItemExVat: 1039.2, VatRate: 25 },
        { MerchantReference: 'KAF-1', Description: 'Kaffe', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 },
      ],
      ...overrides,
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    return created.json.OrderId;
  }

  before(async () => {
    merchant = await startMerchant();
    sim = await startSim();
  });
  after(async () => {
    await Promise.all(simulators.map((s) => s.close()));
    await merchant.close();
  });
  beforeEach(() => merchant.reset());
  // No push of one test may land in the next one.
  afterEach(() => Promise.all(simulators.map((s) => s.idle())));

  describe('complete', () => {
    it('posts the validation request in Qliro’s shape, then answers {orderId, status, paymentTransactionId}', async () => {
      const orderId = await createOrder();
      const answer = await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'Completed' });
      expect(answer.status).to.equal(200);
      expect(answer.json).to.include({ orderId, status: 'Completed', validation: 200 });
      expect(answer.json.paymentTransactionId).to.be.a('number');

      const [validation] = merchant.received('/validate');
      const shape = fixture('callbacks/validate-order.request.norce-order-3.json');
      expect(validation!.headers['content-type']).to.contain('application/json');
      expect(validation!.body).to.have.all.keys(Object.keys(shape));
      expect(validation!.body).to.deep.include({
        OrderId: orderId,
        Currency: 'SEK',
        Customer: shape.Customer,
        ShippingAddress: shape.ShippingAddress,
        PaymentMethod: { PaymentMethodName: 'QLIRO_INVOICE', PaymentTypeCode: 'INVOICE' },
        SelectedShippingMethod: null,
        SelectedShippingSecondaryOption: null,
        IdentityVerification: { RequireIdentityVerification: false, IdentityVerified: null },
      });
      expect(validation!.body.OrderItems).to.deep.equal([
        { MerchantReference: 'JKT-1', Description: 'Regnjacka', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1299, PricePerItemExVat: 1039.2 },
        { MerchantReference: 'KAF-1', Description: 'Kaffe', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27 },
      ]);
      expect(sim.store.get(orderId)!.transactions).to.have.length(1);
      expect(sim.store.get(orderId)!.transactions[0]).to.include({
        PaymentTransactionId: answer.json.paymentTransactionId,
        Type: 'Preauthorization',
        Status: 'Success',
        Amount: 1478.8,
        Currency: 'SEK',
        PaymentMethodName: 'QLIRO_INVOICE',
      });
    });

    it('pushes the new status in Qliro’s shape, in the background, until the merchant answers received', async () => {
      const orderId = await createOrder();
      const answer = await sim.complete(orderId, { outcome: 'Completed', paymentMethod: 'CREDITCARDS' });
      expect(answer.ok).to.equal(true);
      await sim.whenPushesSettled(orderId);
      const pushes = merchant.received('/push');
      expect(pushes).to.have.length(1);
      const shape = fixture('callbacks/checkout-status-push.completed.norce-order-3.json');
      expect(pushes[0]!.body).to.have.all.keys(Object.keys(shape));
      expect(pushes[0]!.body).to.include({
        OrderId: orderId,
        MerchantReference: sim.store.get(orderId)!.merchantReference,
        Status: 'Completed',
        NotificationType: 'CustomerCheckoutStatus',
        PaymentTransactionId: answer.ok && 'paymentTransactionId' in answer.value ? answer.value.paymentTransactionId : -1,
      });
      expect(pushes[0]!.body.Timestamp).to.match(TIMESTAMP);
      expect(sim.pushesOf(orderId)).to.have.length(1);
      expect(sim.pushesOf(orderId)[0]).to.include({ status: 'Completed', attempt: 1, httpStatus: 200, outcome: 'delivered', copy: 0 });
      expect(sim.store.get(orderId)!.paymentMethod).to.deep.equal({ PaymentMethodName: 'CREDITCARDS', PaymentTypeCode: null });
    });

    it('shows the purchase in GetOrder: status, customer, addresses, method, shipping line, stamped lines, thank-you snippet', async () => {
      const orderId = await createOrder();
      const done = await sim.complete(orderId, {
        outcome: 'Completed',
        customer: { FirstName: 'Anna', Email: 'anna@example.com' },
        shippingMethod: { MerchantReference: 'pn-mypack-home', DisplayName: 'PostNord MyPack Home', PriceIncVat: 49, PriceExVat: 39.2, VatRate: 25 },
      });
      if (!done.ok || !('paymentTransactionId' in done.value)) throw new Error(JSON.stringify(done));
      const id = done.value.paymentTransactionId;
      const got = await signed(sim, 'GET', `/checkout/merchantapi/Orders/${orderId}`);
      const shape = fixture('merchant-api/get-order.response.completed.norce-order-3.json');
      expect(got.json.CustomerCheckoutStatus).to.equal('Completed');
      expect(got.json.Customer).to.have.all.keys(Object.keys(shape.Customer));
      expect(got.json.Customer).to.include({ FirstName: 'Anna', LastName: 'Person', Email: 'anna@example.com', PersonalNumber: '790625-5307' });
      expect(got.json.BillingAddress).to.have.all.keys(Object.keys(shape.BillingAddress));
      expect(got.json.BillingAddress).to.include({ FirstName: 'Anna', Street: 'Testgatan 1', PostalCode: '11122', City: 'Stockholm', CountryCode: 'SE' });
      expect(got.json.ShippingAddress).to.deep.equal(got.json.BillingAddress);
      expect(got.json.PaymentMethod).to.deep.equal({ PaymentMethodName: 'QLIRO_INVOICE', PaymentTypeCode: 'INVOICE' });
      expect(got.json.SelectedShippingMethod).to.equal('pn-mypack-home');
      expect(got.json.TotalPrice).to.equal(1527.8);
      expect(got.json.OrderItems).to.have.length(3);
      expect(got.json.OrderItems.every((i: any) => i.PaymentTransactionId === id)).to.equal(true);
      expect(got.json.OrderItems[2]).to.deep.include({
        MerchantReference: 'pn-mypack-home',
        Description: 'PostNord MyPack Home',
        Type: 'Shipping',
        Quantity: 1,
        PricePerItemIncVat: 49,
        PricePerItemExVat: 39.2,
      });
      expect(got.json.MerchantProvidedMetadata).to.deep.equal([
        { Key: 'norceOrderId', Value: 'oAbc' },
        { Key: 'norcePaymentId', Value: 'pXyz' },
      ]);
      expect(got.json.OrderHtmlSnippet).to.contain('customerCheckoutStatus: "Completed"');
      // The validation request carried the shipping line and the pick as well.
      const validation = merchant.received('/validate')[0]!.body;
      expect(validation.OrderItems.map((i: any) => i.Type)).to.deep.equal(['Product', 'Product', 'Shipping']);
      expect(validation.SelectedShippingMethod).to.equal('pn-mypack-home');
      // UpdateOrder stays refused once the order left InProcess.
      const update = await signed(sim, 'PUT', `/checkout/merchantapi/Orders/${orderId}`, {
        MerchantApiKey: MERCHANT.apiKey,
        OrderItems: [{ MerchantReference: 'X', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1, PricePerItemExVat: 0.8 }],
      });
      expect(update.status).to.equal(400);
      expect(update.json.ErrorCode).to.equal('OPERATION_NOT_SUPPORTED');
    });

    it('takes a shipping method offered in AvailableShippingMethods by its reference alone', async () => {
      const orderId = await createOrder(sim, {
        AvailableShippingMethods: [{ MerchantReference: 'HOME', ShippingFeeMerchantReference: 'SHIPFEE', DisplayName: 'Hem', PriceIncVat: 59, PriceExVat: 47.2 }],
      });
      const done = await sim.complete(orderId, { outcome: 'OnHold', shippingMethod: { MerchantReference: 'HOME' } });
      expect(done.ok).to.equal(true);
      expect(sim.store.get(orderId)!.shippingLine).to.deep.include({ MerchantReference: 'SHIPFEE', Description: 'Hem', PricePerItemIncVat: 59, PricePerItemExVat: 47.2, Type: 'Shipping' });
      const unknown = await createOrder();
      const refused = await sim.complete(unknown, { outcome: 'Completed', shippingMethod: { MerchantReference: 'NOPE' } });
      expect(refused).to.deep.include({ ok: false, status: 400 });
      await sim.whenPushesSettled();
    });

    it('declines on 400 from the validation URL (reason read in any casing); the order stays InProcess and can complete later', async () => {
      const orderId = await createOrder();
      merchant.on('/validate', () => ({ status: 400, body: { declineReason: 'OutOfStock', declineReasonMessage: 'Kaffe är slut i lager.' } }));
      const declined = await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'Completed' });
      expect(declined.status).to.equal(200);
      expect(declined.json).to.include({ declined: true, declineReason: 'OutOfStock', declineReasonMessage: 'Kaffe är slut i lager.', status: 'InProcess', validation: 400 });
      await sim.whenPushesSettled(orderId);
      expect(sim.store.get(orderId)!.status).to.equal('InProcess');
      expect(sim.store.get(orderId)!.transactions).to.deep.equal([]);
      expect(merchant.received('/push')).to.deep.equal([]);

      merchant.on('/validate', () => ({ status: 200 }));
      const approved = await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'Completed' });
      expect(approved.json.status).to.equal('Completed');
    });

    it('declines as Other on another status, and ignores a message over 150 characters', async () => {
      const orderId = await createOrder();
      merchant.on('/validate', () => ({ status: 500, body: { message: 'boom' } }));
      expect(await sim.complete(orderId, { outcome: 'Completed' })).to.deep.equal({
        ok: true,
        value: { orderId, status: 'InProcess', declined: true, declineReason: 'Other', declineReasonMessage: null, validation: 500 },
      });
      merchant.on('/validate', () => ({ status: 400, body: { DeclineReason: 'PostalCodeIsNotSupported', DeclineReasonMessage: 'x'.repeat(151) } }));
      const long = await sim.complete(orderId, { outcome: 'Completed' });
      expect(long.ok && long.value).to.deep.include({ declineReason: 'PostalCodeIsNotSupported', declineReasonMessage: null });
    });

    it('approves when the validation URL does not answer in time or cannot be reached, as Qliro does', async () => {
      const slow = await createOrder();
      merchant.on('/validate', () => ({ status: 400, body: { DeclineReason: 'Other' }, delayMs: 1000 }));
      const timedOut = await sim.complete(slow, { outcome: 'Completed' });
      expect(timedOut.ok && timedOut.value).to.deep.include({ status: 'Completed', validation: 'timeout' });

      const unreachable = await createOrder(sim, { MerchantOrderValidationUrl: 'http://127.0.0.1:9/validate' });
      const answer = await sim.complete(unreachable, { outcome: 'OnHold' });
      expect(answer.ok && answer.value).to.deep.include({ status: 'OnHold', validation: 'unreachable' });
      await sim.whenPushesSettled();
    });

    it('declines on no answer in time when configured so (validationTimeoutOutcome: decline)', async () => {
      const strict = await startSim({ validationTimeoutOutcome: 'decline', validationTimeoutMs: 200 });
      const orderId = await createOrder(strict);
      merchant.on('/validate', () => ({ status: 200, delayMs: 1000 }));
      const answer = await strict.complete(orderId, { outcome: 'Completed' });
      expect(answer.ok && answer.value).to.deep.include({ declined: true, declineReason: 'Other', status: 'InProcess', validation: 'timeout' });
    });

    it('answers 409 unless the order is InProcess, 404 for an unknown order, 400 for a bad body', async () => {
      const orderId = await createOrder();
      expect((await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'OnHold' })).status).to.equal(200);
      const again = await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'Completed' });
      expect(again.status).to.equal(409);
      expect(again.json.error).to.contain('OnHold');
      expect((await control(sim, 'POST', '/orders/1/complete', { outcome: 'Completed' })).status).to.equal(404);
      const fresh = await createOrder();
      expect((await control(sim, 'POST', `/orders/${fresh}/complete`, { outcome: 'Paid' })).status).to.equal(400);
      expect((await control(sim, 'POST', `/orders/${fresh}/complete`, { outcome: 'Completed', push: { duplicates: -1 } })).status).to.equal(400);
      expect(sim.store.get(fresh)!.status).to.equal('InProcess');
      await sim.whenPushesSettled();
    });

    it('Refused at completion: an Error Preauthorization, lines not stamped, a Refused push', async () => {
      const orderId = await createOrder();
      const answer = await sim.complete(orderId, { outcome: 'Refused' });
      expect(answer.ok && answer.value).to.deep.include({ status: 'Refused' });
      await sim.whenPushesSettled(orderId);
      expect(sim.store.get(orderId)!.transactions.map((t) => t.Status)).to.deep.equal(['Error']);
      expect(sim.store.get(orderId)!.items.every((i) => i.PaymentTransactionId === undefined)).to.equal(true);
      expect(merchant.received('/push').map((h) => h.body.Status)).to.deep.equal(['Refused']);
    });
  });

  describe('resolve', () => {
    it('moves OnHold to Completed: the same Preauthorization becomes Success, and a Completed push follows the OnHold one', async () => {
      const orderId = await createOrder();
      const held = await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'OnHold' });
      expect(sim.store.get(orderId)!.transactions[0]).to.include({ Status: 'OnHold' });
      await sim.whenPushesSettled(orderId);
      const resolved = await control(sim, 'POST', `/orders/${orderId}/resolve`, { outcome: 'Completed' });
      expect(resolved.status).to.equal(200);
      expect(resolved.json).to.deep.equal({ orderId, status: 'Completed', paymentTransactionId: held.json.paymentTransactionId });
      await sim.whenPushesSettled(orderId);
      expect(sim.store.get(orderId)!.transactions.map((t) => [t.PaymentTransactionId, t.Status])).to.deep.equal([[held.json.paymentTransactionId, 'Success']]);
      expect(merchant.received('/push').map((h) => [h.body.Status, h.body.PaymentTransactionId])).to.deep.equal([
        ['OnHold', held.json.paymentTransactionId],
        ['Completed', held.json.paymentTransactionId],
      ]);
    });

    it('moves OnHold to Refused (Preauthorization Error), and refuses to resolve anything but OnHold (409)', async () => {
      const orderId = await createOrder();
      await sim.complete(orderId, { outcome: 'OnHold' });
      expect(sim.resolve(orderId, { outcome: 'Refused' })).to.deep.include({ ok: true });
      await sim.whenPushesSettled(orderId);
      expect(sim.store.get(orderId)!.status).to.equal('Refused');
      expect(sim.store.get(orderId)!.transactions.map((t) => t.Status)).to.deep.equal(['Error']);
      expect(merchant.received('/push').map((h) => h.body.Status)).to.deep.equal(['OnHold', 'Refused']);
      expect((await control(sim, 'POST', `/orders/${orderId}/resolve`, { outcome: 'Completed' })).status).to.equal(409);
      const inProcess = await createOrder();
      expect(sim.resolve(inProcess, { outcome: 'Completed' })).to.deep.include({ ok: false, status: 409 });
      expect((await control(sim, 'POST', `/orders/${inProcess}/resolve`, { outcome: 'OnHold' })).status).to.equal(400);
    });
  });

  describe('push delivery', () => {
    it('retries on anything but 200 {CallbackResponse: received} until the merchant acknowledges (compressed delays)', async () => {
      const orderId = await createOrder();
      const answers: Reply[] = [
        { status: 500, body: { CallbackResponse: 'Order not found' } },
        { status: 200, body: { CallbackResponse: 'Order creation pending' } },
        { status: 200, body: 'not json' },
        { status: 204 },
        { status: 200, body: { CallbackResponse: 'received' } },
      ];
      merchant.on('/push', (_hit, nth) => answers[nth - 1] ?? { status: 200, body: RECEIVED });
      await sim.complete(orderId, { outcome: 'Completed' });
      await sim.whenPushesSettled(orderId);
      const pushes = merchant.received('/push');
      expect(pushes).to.have.length(5);
      expect(new Set(pushes.map((p) => JSON.stringify(p.body))).size, 'every retry carries the same body').to.equal(1);
      const attempts = (await control(sim, 'GET', `/orders/${orderId}/pushes`)).json;
      expect(attempts.map((a: any) => [a.attempt, a.httpStatus, a.outcome])).to.deep.equal([
        [1, 500, 'failed'],
        [2, 200, 'failed'],
        [3, 200, 'failed'],
        [4, 204, 'failed'],
        [5, 200, 'delivered'],
      ]);
      expect(attempts[0].body).to.equal('{"CallbackResponse":"Order not found"}');
      expect(attempts.every((a: any) => a.status === 'Completed' && typeof a.at === 'string')).to.equal(true);
    });

    it('gives up after the last retry of the schedule, and counts a timeout as a failed attempt', async () => {
      const short = await startSim({ retryDelaysMs: [0, 5, 5], pushTimeoutMs: 100 });
      const orderId = await createOrder(short);
      merchant.on('/push', (_hit, nth) => (nth === 2 ? { status: 200, body: RECEIVED, delayMs: 500 } : { status: 503 }));
      await short.complete(orderId, { outcome: 'Completed' });
      await short.whenPushesSettled(orderId);
      expect(short.pushesOf(orderId).map((a) => [a.attempt, a.httpStatus, a.error ?? null, a.outcome])).to.deep.equal([
        [1, 503, null, 'failed'],
        [2, null, 'timeout', 'failed'],
        [3, 503, null, 'failed'],
        [4, 503, null, 'failed'],
      ]);
    });

    it('sends duplicates: n + 1 identical copies, each delivered', async () => {
      const orderId = await createOrder();
      await sim.complete(orderId, { outcome: 'Completed', push: { duplicates: 2 } });
      await sim.whenPushesSettled(orderId);
      const pushes = merchant.received('/push');
      expect(pushes).to.have.length(3);
      expect(new Set(pushes.map((p) => JSON.stringify(p.body))).size).to.equal(1);
      expect(sim.pushesOf(orderId).map((a) => a.copy).sort()).to.deep.equal([0, 1, 2]);
      expect(sim.pushesOf(orderId).every((a) => a.outcome === 'delivered')).to.equal(true);
    });

    it('drops a push on request: nothing is sent, the drop is logged', async () => {
      const orderId = await createOrder();
      await sim.complete(orderId, { outcome: 'Completed', push: { drop: true } });
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/push')).to.deep.equal([]);
      expect(sim.pushesOf(orderId)).to.have.length(1);
      expect(sim.pushesOf(orderId)[0]).to.include({ status: 'Completed', attempt: 0, httpStatus: null, outcome: 'dropped' });
    });

    it('delays a push so a later one overtakes it: Completed arrives before OnHold', async () => {
      const orderId = await createOrder();
      await sim.complete(orderId, { outcome: 'OnHold', push: { delayMs: 300 } });
      sim.resolve(orderId, { outcome: 'Completed' });
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/push').map((h) => h.body.Status)).to.deep.equal(['Completed', 'OnHold']);
    });

    it('takes a fault for the next push of an order over HTTP (POST /sandbox/push-faults)', async () => {
      const orderId = await createOrder();
      expect((await control(sim, 'POST', '/push-faults', { orderId, duplicates: 1 })).status).to.equal(204);
      expect((await control(sim, 'POST', '/push-faults', { orderId: 1, duplicates: 1 })).status).to.equal(400);
      expect((await control(sim, 'POST', '/push-faults', { orderId, drop: 'yes' })).status).to.equal(400);
      await control(sim, 'POST', `/orders/${orderId}/complete`, { outcome: 'OnHold' });
      await sim.whenPushesSettled(orderId);
      sim.resolve(orderId, { outcome: 'Completed' });
      await sim.idle();
      // The fault applied to the first push only.
      expect(merchant.received('/push').map((h) => h.body.Status)).to.deep.equal(['OnHold', 'OnHold', 'Completed']);
    });

    it('close() cancels scheduled retries and pending timers', async () => {
      const closing = await startSim({ retryDelayScale: 1 });
      const orderId = await createOrder(closing);
      merchant.on('/push', () => ({ status: 500 }));
      await closing.complete(orderId, { outcome: 'Completed' });
      // The first try and the immediate retry fail; the next retry is 2 s away.
      await closing.whenPushesSettled(orderId, { horizonMs: 500 });
      expect(closing.pushesOf(orderId).map((a) => a.attempt)).to.deep.equal([1, 2]);
      expect(closing.pendingPushes(orderId)).to.equal(1);
      await closing.close();
      expect(closing.pendingPushes()).to.equal(0);
      await closing.idle();
      expect(closing.pushesOf(orderId)).to.have.length(2);
    });
  });
});
