// JSON logs: one line per request with correlation id, route template, status and duration; the correlation id
// echoed and forwarded to Norce and Qliro; personal data and secrets never written, whatever route is called.
import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { startSandbox, SANDBOX, type RunningSandbox } from '../../src/infrastructure/sandbox';
import { CallbackTokens } from '../../src/application/callback-urls';
import { loadFixture } from '../support/fixtures';
import { call, createNorceOrder, norceHeaders, paymentsUrl } from '../e2e/sandbox-client';
import { servedRoutes } from '../support/served-routes';

type Line = Record<string, unknown>;

/** A sandbox on ephemeral ports that logs at debug into memory. */
async function startLoggedSandbox(): Promise<{ sandbox: RunningSandbox; output: () => string; lines: () => Line[] }> {
  const chunks: string[] = [];
  const sandbox = await startSandbox(
    { PORT: '0', SANDBOX_NORCE_PORT: '0', SANDBOX_QLIRO_PORT: '0', LOG_LEVEL: 'debug' },
    { qliroTimeoutMs: 400 },
    { logDestination: { write: (chunk: string) => void chunks.push(chunk) } },
  );
  const output = () => chunks.join('');
  const lines = () =>
    output()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  return { sandbox, output, lines };
}

/** Records the x-correlation-id of every outbound HTTP request of this process, by target port. */
function recordOutbound(): { calls: { port: string; correlationId: string | undefined; path: string }[]; stop: () => void } {
  const calls: { port: string; correlationId: string | undefined; path: string }[] = [];
  const onStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    // node-fetch hands header values over as arrays.
    const correlationId = ([] as unknown[]).concat(request.getHeader('x-correlation-id') ?? [])[0] as string | undefined;
    calls.push({ port: host.split(':').pop() ?? '', correlationId, path: request.path });
  };
  diagnostics.subscribe('http.client.request.start', onStart);
  return { calls, stop: () => diagnostics.unsubscribe('http.client.request.start', onStart) };
}

describe('operations: logs and correlation ids', function () {
  this.timeout(20000);
  let sandbox: RunningSandbox;
  let output: () => string;
  let lines: () => Line[];
  before(async () => {
    ({ sandbox, output, lines } = await startLoggedSandbox());
  });
  after(async () => {
    await sandbox.stop();
  });

  const newOrder = () => createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'));

  it('echoes a sane x-correlation-id, replaces one that is not, and makes one when absent', async () => {
    const given = await call(`${sandbox.adapter.url}/health/live`, { headers: { 'x-correlation-id': 'shop-7f3a.2_b-1' } });
    expect(given.headers['x-correlation-id']).to.equal('shop-7f3a.2_b-1');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const insane of ['x'.repeat(101), 'has space', 'new\u00e9line', '<script>', 'a,b']) {
      const answer = await call(`${sandbox.adapter.url}/health/live`, { headers: { 'x-correlation-id': insane } });
      expect(answer.headers['x-correlation-id'], insane).to.match(uuid);
    }
    const made = await call(`${sandbox.adapter.url}/health/live`);
    expect(made.headers['x-correlation-id']).to.match(uuid);
    expect(output()).to.not.contain('x'.repeat(101)).and.not.contain('has space');
  });

  it('writes one line per request: correlation id, route template, status, duration', async () => {
    const orderId = await newOrder();
    const answer = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: { ...norceHeaders(), 'x-correlation-id': 'req-line-test' } });
    expect(answer.status).to.equal(200);
    const mine = lines().filter((l) => l['correlationId'] === 'req-line-test');
    const requestLines = mine.filter((l) => l['msg'] === 'request');
    expect(requestLines).to.have.length(1);
    expect(requestLines[0]).to.include({ level: 'info', method: 'POST', route: '/api/checkout/v1/orders/:order_id/payments', status: 200 });
    expect(requestLines[0]!['durationMs']).to.be.a('number');
    expect(JSON.stringify(requestLines[0])).to.not.contain(orderId);

    // Upstream calls made for it: debug lines with upstream, operation, outcome, duration — no URL.
    const upstream = mine.filter((l) => l['msg'] === 'upstream call');
    expect(upstream.map((l) => `${l['upstream']}:${l['operation']}:${l['outcome']}`)).to.include.members([
      'norce:getConfiguration:success',
      'norce:getOrder:success',
      'qliro:createOrder:success',
    ]);
    for (const line of upstream) {
      expect(line['level']).to.equal('debug');
      expect(line['durationMs']).to.be.a('number');
      expect(Object.keys(line)).to.not.include.members(['url', 'path', 'body']);
      expect(JSON.stringify(line)).to.not.contain(orderId);
    }
  });

  it('logs a request that an error answered, too (before any handler ran)', async () => {
    const answer = await call(paymentsUrl(sandbox, 'oAny'), { method: 'POST', headers: { authorization: `Bearer ${SANDBOX.token}`, 'x-correlation-id': 'no-channel-header' } });
    expect(answer.status).to.equal(400);
    const line = lines().find((l) => l['correlationId'] === 'no-channel-header' && l['msg'] === 'request');
    expect(line).to.include({ status: 400, route: '/api/checkout/v1/orders/:order_id/payments' });
  });

  it('forwards the correlation id to Norce and Qliro on every call made for the request, and keeps concurrent requests apart', async () => {
    const [first, second] = [await newOrder(), await newOrder()];
    const recorder = recordOutbound();
    try {
      const answers = await Promise.all([
        call(paymentsUrl(sandbox, first), { method: 'POST', headers: { ...norceHeaders(), 'x-correlation-id': 'corr-first' } }),
        call(paymentsUrl(sandbox, second), { method: 'POST', headers: { ...norceHeaders(), 'x-correlation-id': 'corr-second' } }),
      ]);
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200]);
    } finally {
      recorder.stop();
    }
    const norcePort = String(sandbox.nco.port);
    const qliroPort = String(sandbox.qliro.port);
    const upstreamCalls = recorder.calls.filter((c) => c.port === norcePort || c.port === qliroPort);
    expect(upstreamCalls.filter((c) => c.port === norcePort).length).to.be.greaterThan(4);
    expect(upstreamCalls.filter((c) => c.port === qliroPort).length).to.be.at.least(4);
    for (const c of upstreamCalls) {
      const expected = c.path.includes(first) ? 'corr-first' : c.path.includes(second) ? 'corr-second' : undefined;
      expect(c.correlationId, c.path).to.be.oneOf(['corr-first', 'corr-second']);
      if (expected) expect(c.correlationId, c.path).to.equal(expected);
    }
  });

  describe('personal data and secrets', () => {
    // Values that must never reach a log line, whatever route receives them.
    const PERSONAL = {
      givenName: 'Ingegerd',
      familyName: 'Privatsdotter',
      careOf: 'c/o Hemligsson',
      street: 'Lönnvägen 13',
      street2: 'Lgh 1402 Hemlig',
      email: 'ingegerd.privat@mail.example.org',
      phone: '+46709876543',
      personalNumber: '19121212-1212',
      organisationNumber: '556677-8899',
      snippet: '<div id="personal-snippet-9f2">',
      token: 'PersonalCallbackToken0123456789',
      bearer: 'PersonalBearerValue0123456789',
      secret: 'PersonalMerchantApiSecret0123',
    };
    const address = {
      type: 'person',
      givenName: PERSONAL.givenName,
      familyName: PERSONAL.familyName,
      careOf: PERSONAL.careOf,
      streetAddress: PERSONAL.street,
      streetAddress2: PERSONAL.street2,
      postalCode: '11122',
      city: 'Stockholm',
      country: 'SE',
      phone: PERSONAL.phone,
      email: PERSONAL.email,
      nationalIdentificationNumber: PERSONAL.personalNumber,
      organizationIdentificationNumber: PERSONAL.organisationNumber,
    };
    const qliroAddress = {
      FirstName: PERSONAL.givenName,
      LastName: PERSONAL.familyName,
      CareOf: PERSONAL.careOf,
      Street: PERSONAL.street,
      Street2: PERSONAL.street2,
      PostalCode: '11122',
      City: 'Stockholm',
      CountryCode: 'SE',
    };

    it('never writes them, through every registered route, with valid and with wrong credentials', async function () {
      this.timeout(30000);
      const orderId = await newOrder();
      for (const part of ['billing', 'shipping']) {
        const put = await call(`${sandbox.norceUrl}/api/v0/checkout/orders/${orderId}/customer/${part}`, { method: 'PUT', headers: norceHeaders(), body: address });
        expect(put.status, `PUT customer/${part}`).to.be.within(200, 299);
      }
      const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
      expect(created.status).to.equal(200);
      const paymentId = created.body.paymentId as string;
      const order = sandbox.nco.store.order(orderId) as unknown as Record<string, unknown> & { payments: { id: string; reference: string }[] };
      const qliroOrderId = Number(order.payments.find((p) => p.id === paymentId)!.reference);
      const callbackToken = new CallbackTokens(SANDBOX.callbackSigningSecret).sign({ orderId, paymentId, merchant: SANDBOX.merchant, channel: 'se' });

      // One body that every endpoint can read a part of: the Norce order, Qliro's order and push, a shipping choice.
      const payload = {
        ...order,
        customer: { type: 'person', billing: address, shipping: address },
        OrderId: qliroOrderId,
        MerchantReference: orderId,
        Currency: 'SEK',
        Status: 'Completed',
        Customer: { Email: PERSONAL.email, MobileNumber: PERSONAL.phone, PersonalNumber: PERSONAL.personalNumber, FirstName: PERSONAL.givenName, LastName: PERSONAL.familyName },
        BillingAddress: qliroAddress,
        ShippingAddress: qliroAddress,
        OrderItems: [{ MerchantReference: 'cart-item-reference-1', Description: PERSONAL.familyName, Type: 'Product', Quantity: 1, PricePerItemIncVat: 12.5, PricePerItemExVat: 10 }],
        OrderHtmlSnippet: PERSONAL.snippet,
        htmlSnippet: PERSONAL.snippet,
        merchantApiSecret: PERSONAL.secret,
        token: PERSONAL.token,
        method: 'pn-mypack-collect',
        methodName: `${PERSONAL.givenName} ${PERSONAL.familyName}`,
        pickupLocation: { name: PERSONAL.careOf, description: [PERSONAL.street, PERSONAL.phone] },
        price: 49,
        priceExVat: 39.2,
        totalShippingPrice: 49,
        totalShippingPriceExVat: 39.2,
      };

      const routes = servedRoutes(sandbox.adapter.app);
      expect(routes.length).to.be.greaterThan(10);
      // Reads first, removal last, so that the other endpoints find the payment.
      const rank = (r: { method: string; path: string }) => (r.method === 'GET' ? 0 : r.path.endsWith('/remove') ? 2 : 1);
      const ordered = [...routes].sort((a, b) => rank(a) - rank(b));
      const urlOf = (template: string, token: string) => {
        const filled = template.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (name === 'order_id' ? orderId : name === 'payment_id' ? paymentId : 'x1'));
        return `${sandbox.adapter.url}${filled}?merchant=${SANDBOX.merchant}&channel=se&token=${encodeURIComponent(token)}`;
      };
      const statuses: string[] = [];
      for (const credentials of [
        { bearer: SANDBOX.token, token: callbackToken },
        { bearer: PERSONAL.bearer, token: PERSONAL.token },
      ]) {
        for (const route of ordered) {
          const answer = await call(urlOf(route.path, credentials.token), {
            method: route.method,
            headers: { ...norceHeaders(), authorization: `Bearer ${credentials.bearer}`, 'x-correlation-id': 'personal-data-sweep' },
            ...(route.method === 'GET' ? {} : { body: payload }),
          });
          statuses.push(`${route.method} ${route.path} ${answer.status}`);
        }
      }

      const text = output();
      const requestLines = lines().filter((l) => l['correlationId'] === 'personal-data-sweep' && l['msg'] === 'request');
      expect(requestLines.length, 'every call was logged (a redirect twice)').to.be.at.least(statuses.length);
      expect(lines().some((l) => l['correlationId'] === 'personal-data-sweep' && l['msg'] === 'upstream call'), 'the calls reached the upstreams').to.equal(true);
      expect(statuses.filter((s) => / 2\d\d$/.test(s)).length, `some calls succeeded: ${statuses.join(', ')}`).to.be.greaterThan(5);

      const forbidden = [
        ...Object.values(PERSONAL),
        callbackToken,
        `Bearer ${SANDBOX.token}`,
        SANDBOX.token,
        SANDBOX.qliroApiSecret,
        SANDBOX.callbackSigningSecret,
        'Lönnvägen',
        '<script',
      ];
      const leaks = forbidden.filter((value) => text.includes(value));
      expect(leaks, 'values found in the log').to.deep.equal([]);
    });
  });
});
