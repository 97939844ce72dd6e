import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import fetch from 'node-fetch';
import { qliroAuthorization } from '../../../src/adapters/qliro/signing';
import { startQliroSimulator, type RunningQliroSimulator } from '../../../sandbox/qliro-simulator';
import { hasAtMostTwoDecimals, totalPriceOf } from '../../../sandbox/qliro-simulator/rules';

const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/qliro');
const MERCHANT = { apiKey: 'SIMKEY', secret: 'sim-secret' };
const OTHER = { apiKey: 'OTHERKEY', secret: 'other-secret' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let refCounter = 0;
const uniqueRef = () => `sim${Date.now().toString(36)}${refCounter++}`;

const item = (overrides: Record<string, unknown> = {}) => ({
  MerchantReference: 'SKU-1',
  Description: 'Product',
  Type: 'Product',
  Quantity: 1,
  PricePerItemIncVat: 125,
  PricePerItemExVat: 100,
  VatRate: 25,
  ...overrides,
});

const createBody = (overrides: Record<string, unknown> = {}, merchant = MERCHANT): Record<string, unknown> => ({
  MerchantApiKey: merchant.apiKey,
  MerchantReference: uniqueRef(),
  Currency: 'SEK',
  Country: 'SE',
  Language: 'sv-se',
  MerchantTermsUrl: 'https://shop.example.com/terms',
  MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
  MerchantCheckoutStatusPushUrl: 'https://adapter.example.com/push?token=t',
  MerchantOrderManagementStatusPushUrl: 'https://adapter.example.com/om?token=t',
  MerchantOrderValidationUrl: 'https://adapter.example.com/validate?token=t',
  OrderItems: [item()],
  ...overrides,
});

interface Answer {
  status: number;
  text: string;
  json: any;
  headers: Record<string, string>;
}

describe('Qliro simulator', () => {
  let sim: RunningQliroSimulator;

  before(async () => {
    sim = await startQliroSimulator({ port: 0, merchants: [MERCHANT, OTHER] });
  });
  after(async () => {
    await sim.close();
  });

  async function send(
    method: 'GET' | 'POST' | 'PUT',
    urlPath: string,
    options: { raw?: string; body?: unknown; secret?: string; authorization?: string | null } = {},
  ): Promise<Answer> {
    const raw = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = {};
    if (raw !== undefined) headers['Content-Type'] = 'application/json';
    const authorization =
      options.authorization === undefined ? qliroAuthorization(raw ?? '', options.secret ?? MERCHANT.secret) : options.authorization;
    if (authorization !== null) headers['Authorization'] = authorization;
    const response = await fetch(`${sim.url}${urlPath}`, { method, headers, ...(raw !== undefined ? { body: raw } : {}) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    return { status: response.status, text, json, headers: out };
  }

  const create = (body: Record<string, unknown>, secret?: string) =>
    send('POST', '/checkout/merchantapi/Orders', { body, ...(secret ? { secret } : {}) });
  const createOk = async (overrides: Record<string, unknown> = {}): Promise<number> => {
    const answer = await create(createBody(overrides));
    expect(answer.status, answer.text).to.equal(201);
    return answer.json.OrderId as number;
  };
  const getOrder = (orderId: number, secret?: string) =>
    send('GET', `/checkout/merchantapi/Orders/${orderId}`, secret ? { secret } : {});

  function expectQliroError(answer: Answer, status: number, errorCode: string, message?: string | RegExp): void {
    expect(answer.status, answer.text).to.equal(status);
    expect(answer.json.ErrorCode, answer.text).to.equal(errorCode);
    expect(answer.json.ErrorReference).to.match(UUID);
    if (typeof message === 'string') expect(answer.json.ErrorMessage).to.equal(message);
    else if (message) expect(answer.json.ErrorMessage).to.match(message);
  }

  describe('create and read', () => {
    it('creates an order: 201, Location, {OrderId, PaymentLink}, incrementing ids from 4950001', async () => {
      const first = await create(createBody());
      const second = await create(createBody());
      expect(first.status).to.equal(201);
      expect(first.json.OrderId).to.be.at.least(4950001);
      expect(second.json.OrderId).to.equal(first.json.OrderId + 1);
      expect(first.headers['location']).to.equal(`${sim.url}/checkout/merchantapi/Orders/${first.json.OrderId}`);
      expect(first.json.PaymentLink).to.equal(`${sim.url}/checkout/paymentlink/${first.json.OrderId}`);
    });

    it('answers GetOrder in PascalCase with the fields of Qliro’s GetOrderResponse', async () => {
      const orderId = await createOk({
        OrderItems: [item({ Quantity: 3, PricePerItemIncVat: 19.99, PricePerItemExVat: 15.99 }), item({ MerchantReference: 'SKU-2', PricePerItemIncVat: 0.1, PricePerItemExVat: 0.08, Quantity: 3 })],
        MerchantProvidedMetadata: [{ Key: 'norceOrderId', Value: 'o1' }],
      });
      const answer = await getOrder(orderId);
      expect(answer.status).to.equal(200);
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'merchant-api/get-order.response.inprocess.norce-order-3.json'), 'utf8'));
      expect(answer.json).to.include.all.keys(Object.keys(fixture));
      expect(answer.json).to.deep.include({
        OrderId: orderId,
        Currency: 'SEK',
        Country: 'SE',
        Language: 'sv-se',
        CustomerCheckoutStatus: 'InProcess',
        TotalPrice: 60.27,
        Customer: null,
        BillingAddress: null,
        ShippingAddress: null,
        PaymentMethod: null,
        MerchantProvidedMetadata: [{ Key: 'norceOrderId', Value: 'o1' }],
      });
      expect(answer.json.OrderItems[0]).to.deep.equal({
        MerchantReference: 'SKU-1',
        Description: 'Product',
        Type: 'Product',
        Quantity: 3,
        PricePerItemIncVat: 19.99,
        PricePerItemExVat: 15.99,
      });
    });

    it('keeps the callback URLs and the raw signed request on the order (GET /sandbox/orders/{id})', async () => {
      const body = createBody();
      const raw = JSON.stringify(body, null, 2);
      const created = await send('POST', '/checkout/merchantapi/Orders', { raw });
      const view = await send('GET', `/sandbox/orders/${created.json.OrderId}`, { authorization: null });
      expect(view.status).to.equal(200);
      expect(view.json.urls).to.deep.include({
        terms: body['MerchantTermsUrl'],
        confirmation: body['MerchantConfirmationUrl'],
        checkoutStatusPush: body['MerchantCheckoutStatusPushUrl'],
        orderManagementStatusPush: body['MerchantOrderManagementStatusPushUrl'],
        orderValidation: body['MerchantOrderValidationUrl'],
      });
      expect(view.json.status).to.equal('InProcess');
      expect(view.json.requests[0].rawBody).to.equal(raw);
      expect(view.json.requests[0].authorization).to.equal(qliroAuthorization(raw, MERCHANT.secret));
      expect(sim.store.get(created.json.OrderId)!.createRequest['MerchantReference']).to.equal(body['MerchantReference']);
    });

    it('finds an order by merchantReference (GET /Orders?merchantReference=)', async () => {
      const body = createBody();
      const orderId = (await create(body)).json.OrderId;
      const found = await send('GET', `/checkout/merchantapi/Orders?merchantReference=${body['MerchantReference']}`);
      expect(found.status).to.equal(200);
      expect(found.json.OrderId).to.equal(orderId);
      expectQliroError(await send('GET', '/checkout/merchantapi/Orders?merchantReference=nope'), 404, 'ORDER_NOT_FOUND');
      expectQliroError(await send('GET', '/checkout/merchantapi/Orders?merchantReference=' + body['MerchantReference'], { secret: OTHER.secret }), 404, 'ORDER_NOT_FOUND');
    });

    it('routes case-insensitively and accepts camelCase property names', async () => {
      const body = createBody();
      const camel = Object.fromEntries(Object.entries(body).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));
      const created = await send('POST', '/checkout/merchantapi/orders', { body: camel });
      expect(created.status, created.text).to.equal(201);
      for (const p of ['/checkout/merchantapi/Orders/', '/checkout/merchantapi/orders/', '/Checkout/MerchantApi/ORDERS/']) {
        expect((await send('GET', `${p}${created.json.OrderId}`)).status, p).to.equal(200);
      }
      const update = await send('PUT', `/checkout/merchantapi/orders/${created.json.OrderId}`, { body: { merchantApiKey: MERCHANT.apiKey, orderItems: [item({ Quantity: 2 })] } });
      expect(update.status, update.text).to.equal(200);
    });

    it('answers 404 ORDER_NOT_FOUND for unknown orders, and MERCHANT_MISMATCH for another merchant’s', async () => {
      expectQliroError(await getOrder(1), 404, 'ORDER_NOT_FOUND', 'Order not found');
      expectQliroError(await send('GET', '/checkout/merchantapi/Orders/abc'), 404, 'ORDER_NOT_FOUND');
      expectQliroError(await send('PUT', '/checkout/merchantapi/Orders/1', { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item()] } }), 404, 'ORDER_NOT_FOUND');
      const orderId = await createOk();
      expectQliroError(await getOrder(orderId, OTHER.secret), 400, 'MERCHANT_MISMATCH');
    });
  });

  describe('signature', () => {
    it('refuses a POST without Authorization, with a wrong secret, or with an unknown key: 401, empty body', async () => {
      for (const answer of [
        await send('POST', '/checkout/merchantapi/Orders', { body: createBody(), authorization: null }),
        await create(createBody(), 'wrong-secret'),
        await create(createBody({ MerchantApiKey: 'UNKNOWN' })),
        await send('POST', '/checkout/merchantapi/Orders', { body: createBody(), authorization: 'Bearer x' }),
      ]) {
        expect(answer.status).to.equal(401);
        expect(answer.text).to.equal('');
      }
    });

    it('checks the raw bytes: a signature over a re-serialised body is refused, one over the exact bytes accepted', async () => {
      const body = createBody();
      const raw = `{ "MerchantApiKey" : "${MERCHANT.apiKey}",\n${JSON.stringify(body).slice(1)}`;
      const reserialised = await send('POST', '/checkout/merchantapi/Orders', {
        raw,
        authorization: qliroAuthorization(JSON.stringify(JSON.parse(raw)), MERCHANT.secret),
      });
      expect(reserialised.status).to.equal(401);
      expect((await send('POST', '/checkout/merchantapi/Orders', { raw })).status).to.equal(201);
    });

    it('accepts a key/secret pair only together: the other merchant’s secret does not sign for this key', async () => {
      expect((await create(createBody(), OTHER.secret)).status).to.equal(401);
      expect((await create(createBody({}, OTHER), OTHER.secret)).status).to.equal(201);
    });

    it('identifies the merchant of a GET by its token and refuses any other token (401, empty)', async () => {
      const orderId = await createOk();
      const wrong = await getOrder(orderId, 'wrong-secret');
      expect(wrong.status).to.equal(401);
      expect(wrong.text).to.equal('');
      expect((await send('GET', `/checkout/merchantapi/Orders/${orderId}`, { authorization: null })).status).to.equal(401);
    });

    it('refuses a PUT signed with the wrong secret', async () => {
      const orderId = await createOk();
      const answer = await send('PUT', `/checkout/merchantapi/Orders/${orderId}`, { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item()] }, secret: 'x' });
      expect(answer.status).to.equal(401);
    });

    it('asks for MerchantApiKey when the body has none (INVALID_INPUT)', async () => {
      const body = createBody();
      delete body['MerchantApiKey'];
      expectQliroError(await create(body), 400, 'INVALID_INPUT', 'Property: MerchantApiKey, Message: The MerchantApiKey field is required.');
    });
  });

  describe('field rules', () => {
    for (const field of ['MerchantReference', 'Currency', 'Country', 'Language', 'MerchantTermsUrl', 'MerchantConfirmationUrl', 'OrderItems']) {
      it(`requires ${field}`, async () => {
        const body = createBody();
        delete body[field];
        expectQliroError(await create(body), 400, 'INVALID_INPUT', `Property: ${field}, Message: The ${field} field is required.`);
      });
    }

    const invalidInput: [string, Record<string, unknown>, RegExp][] = [
      ['a MerchantReference with a space', { MerchantReference: 'has space' }, /^Property: MerchantReference, /],
      ['a 26-character MerchantReference', { MerchantReference: 'a'.repeat(26) }, /^Property: MerchantReference, /],
      ['an unsupported Language', { Language: 'xx-yy' }, /^Property: Language, /],
      ['a relative MerchantTermsUrl', { MerchantTermsUrl: '/terms' }, /^Property: MerchantTermsUrl, /],
      ['an item MerchantReference with forbidden characters', { OrderItems: [item({ MerchantReference: 'a<b>' })] }, /^Property: OrderItems\[0\]\.MerchantReference, /],
      ['an item MerchantReference over 200 characters', { OrderItems: [item({ MerchantReference: 'a'.repeat(201) })] }, /OrderItems\[0\]\.MerchantReference/],
      ['an item without MerchantReference', { OrderItems: [item({ MerchantReference: undefined })] }, /The MerchantReference field is required/],
      ['a Description over 4000 characters', { OrderItems: [item({ Description: 'd'.repeat(4001) })] }, /OrderItems\[0\]\.Description/],
      ['Quantity 0', { OrderItems: [item({ Quantity: 0 })] }, /OrderItems\[0\]\.Quantity/],
      ['a fractional Quantity', { OrderItems: [item({ Quantity: 1.5 })] }, /OrderItems\[0\]\.Quantity/],
      ['an item without PricePerItemIncVat', { OrderItems: [item({ PricePerItemIncVat: undefined })] }, /The PricePerItemIncVat field is required/],
      ['PricePerItemIncVat below PricePerItemExVat', { OrderItems: [item({ PricePerItemIncVat: 99, PricePerItemExVat: 100 })] }, /greater than or equal to PricePerItemExVat/],
      ['a Discount whose |IncVat| is below |ExVat|', { OrderItems: [item(), item({ Type: 'Discount', PricePerItemIncVat: -80, PricePerItemExVat: -100 })] }, /OrderItems\[1\]\.PricePerItemIncVat/],
      ['a negative Product', { OrderItems: [item({ PricePerItemIncVat: -1, PricePerItemExVat: -0.8 })] }, /type Product must have a price greater than or equal to 0/],
      ['a negative Fee', { OrderItems: [item({ Type: 'Fee', PricePerItemIncVat: -1, PricePerItemExVat: -0.8 })] }, /type Fee/],
      ['a negative Shipping', { OrderItems: [item({ Type: 'Shipping', PricePerItemIncVat: -1, PricePerItemExVat: -0.8 })] }, /type Shipping/],
      ['a positive Discount', { OrderItems: [item({ Type: 'Discount', PricePerItemIncVat: 10, PricePerItemExVat: 8 })] }, /type Discount must have a price less than or equal to 0/],
      ['an unknown item Type', { OrderItems: [item({ Type: 'Gift' })] }, /OrderItems\[0\]\.Type/],
      ['201 items', { OrderItems: Array.from({ length: 201 }, (_, i) => item({ MerchantReference: `SKU-${i}` })) }, /^Property: OrderItems, .*200/],
    ];
    for (const [what, overrides, message] of invalidInput) {
      it(`refuses ${what} (INVALID_INPUT)`, async () => {
        expectQliroError(await create(createBody(overrides)), 400, 'INVALID_INPUT', message);
      });
    }

    for (const [what, overrides] of [
      ['PricePerItemIncVat', { PricePerItemIncVat: 10.005 }],
      ['PricePerItemExVat', { PricePerItemExVat: 0.1 + 0.2 }],
      ['VatRate', { VatRate: 24.137931034483 }],
      ['a VatRate string', { VatRate: '25.001' }],
    ] as const) {
      it(`refuses more than two decimals in ${what} (SYSTEM_ERROR, as Qliro)`, async () => {
        expectQliroError(await create(createBody({ OrderItems: [item(overrides)] })), 400, 'SYSTEM_ERROR', 'Input must have no more than two decimal places');
      });
    }

    for (const [currency, country] of [['USD', 'US'], ['SEK', 'NO'], ['EUR', 'SE']]) {
      it(`refuses ${currency}/${country} (PAYMENT_METHOD_NOT_CONFIGURED)`, async () => {
        expectQliroError(await create(createBody({ Currency: currency, Country: country })), 400, 'PAYMENT_METHOD_NOT_CONFIGURED');
      });
    }

    it('accepts every configured market, 200 items, a negative Discount, a missing Type, a "25.00" VatRate', async () => {
      for (const [Currency, Country, Language] of [['SEK', 'SE', 'sv-se'], ['NOK', 'NO', 'nb-no'], ['EUR', 'FI', 'fi-fi'], ['DKK', 'DK', 'da-dk']]) {
        expect((await create(createBody({ Currency, Country, Language }))).status).to.equal(201);
      }
      const many = Array.from({ length: 200 }, (_, i) => item({ MerchantReference: `SKU-${i}` }));
      expect((await create(createBody({ OrderItems: many }))).status).to.equal(201);
      const mixed = [item(), item({ Type: 'Discount', PricePerItemIncVat: -100, PricePerItemExVat: -80 }), item({ Type: undefined, VatRate: '25.00' })];
      const orderId = (await create(createBody({ OrderItems: mixed }))).json.OrderId;
      const order = (await getOrder(orderId)).json;
      expect(order.TotalPrice).to.equal(150);
      expect(order.OrderItems[2].Type).to.equal('Product');
    });

    it('refuses a reused MerchantReference of the same merchant (ORDER_ALREADY_EXISTS), not of another', async () => {
      const body = createBody();
      expect((await create(body)).status).to.equal(201);
      expectQliroError(await create({ ...body }), 400, 'ORDER_ALREADY_EXISTS');
      expect((await create({ ...body, MerchantApiKey: OTHER.apiKey }, OTHER.secret)).status).to.equal(201);
    });

    it('accepts a positive Discount when strictDiscountSign is off', async () => {
      const lenient = await startQliroSimulator({ port: 0, merchants: [MERCHANT], strictDiscountSign: false });
      try {
        const raw = JSON.stringify(createBody({ OrderItems: [item(), item({ Type: 'Discount', PricePerItemIncVat: 10, PricePerItemExVat: 8 })] }));
        const answer = await fetch(`${lenient.url}/checkout/merchantapi/Orders`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: qliroAuthorization(raw, MERCHANT.secret) },
          body: raw,
        });
        expect(answer.status).to.equal(201);
      } finally {
        await lenient.close();
      }
    });
  });

  describe('update', () => {
    it('replaces the items (200, empty body) and re-totals', async () => {
      const orderId = await createOk({ OrderItems: [item(), item({ MerchantReference: 'SKU-2' })] });
      const answer = await send('PUT', `/checkout/merchantapi/Orders/${orderId}`, {
        body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item({ MerchantReference: 'SKU-3', Quantity: 2, PricePerItemIncVat: 333.33, PricePerItemExVat: 266.66 })], MerchantUpdateVersion: 'v2' },
      });
      expect(answer.status).to.equal(200);
      expect(answer.text).to.equal('');
      const order = (await getOrder(orderId)).json;
      expect(order.OrderItems.map((i: { MerchantReference: string }) => i.MerchantReference)).to.deep.equal(['SKU-3']);
      expect(order.TotalPrice).to.equal(666.66);
      expect(sim.store.get(orderId)!.merchantUpdateVersion).to.equal('v2');
    });

    it('applies the item rules to updates', async () => {
      const orderId = await createOk();
      const answer = await send('PUT', `/checkout/merchantapi/Orders/${orderId}`, { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item({ PricePerItemIncVat: 1.234 })] } });
      expectQliroError(answer, 400, 'SYSTEM_ERROR');
      expect((await getOrder(orderId)).json.TotalPrice).to.equal(125);
    });

    it('refuses updates once the order left InProcess, and after expiry (ORDER_EXPIRED)', async () => {
      const done = await createOk();
      sim.setStatus(done, 'Completed');
      expectQliroError(await send('PUT', `/checkout/merchantapi/Orders/${done}`, { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item()] } }), 400, 'OPERATION_NOT_SUPPORTED');

      const old = await createOk();
      sim.expireOrder(old);
      expectQliroError(
        await send('PUT', `/checkout/merchantapi/Orders/${old}`, { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item()] } }),
        400,
        'ORDER_EXPIRED',
        'Unable to update as too much time has passed after order creation time',
      );
    });

    it('refuses an update of another merchant’s order (MERCHANT_MISMATCH)', async () => {
      const orderId = await createOk();
      const answer = await send('PUT', `/checkout/merchantapi/Orders/${orderId}`, { body: { MerchantApiKey: OTHER.apiKey, OrderItems: [item()] }, secret: OTHER.secret });
      expectQliroError(answer, 400, 'MERCHANT_MISMATCH');
    });
  });

  describe('snippet and web app', () => {
    it('gives a Qliro-shaped snippet pointing at the simulator, naming the order and its status', async () => {
      const orderId = await createOk();
      const snippet: string = (await getOrder(orderId)).json.OrderHtmlSnippet;
      expect(snippet).to.match(/^<script type="text\/javascript">\(function\(w, g\) \{ w\[g\] = \{/);
      expect(snippet).to.contain(`(window, 'qcoGlobal');</script>`);
      expect(snippet).to.contain(`checkoutWebAppBaseUrl: "${sim.url}/checkout/webapp/"`);
      expect(snippet).to.contain(`orderId: "${orderId}"`);
      expect(snippet).to.contain('customerCheckoutStatus: "InProcess"');
      expect(snippet).to.contain('merchantConfirmationUrl: "https://shop.example.com/confirmation"');
      expect(snippet).to.contain('<div id="qliro-root"');
      expect(snippet).to.contain(`<script src="${sim.url}/checkout/webapp/bootstrap.js?v=`);

      sim.setStatus(orderId, 'Completed');
      const thankYou: string = (await getOrder(orderId)).json.OrderHtmlSnippet;
      expect(thankYou).to.contain('customerCheckoutStatus: "Completed"').and.to.contain('view: "thankyou"');
    });

    it('escapes merchant URLs inside the script', async () => {
      const orderId = await createOk({ MerchantConfirmationUrl: 'https://shop.example.com/c?x=</script><script>alert(1)</script>' });
      const snippet: string = (await getOrder(orderId)).json.OrderHtmlSnippet;
      expect(snippet).not.to.contain('</script><script>alert');
    });

    it('serves bootstrap.js, the checkout page and the payment link', async () => {
      const orderId = await createOk();
      const js = await send('GET', '/checkout/webapp/bootstrap.js', { authorization: null });
      expect(js.status).to.equal(200);
      expect(js.headers['content-type']).to.contain('javascript');
      const page = await send('GET', `/checkout/webapp/orders/${orderId}`, { authorization: null });
      expect(page.status).to.equal(200);
      expect(page.text).to.contain(`data-qliro-order-id="${orderId}"`);
      const link = await send('GET', `/checkout/paymentlink/${orderId}`, { authorization: null });
      expect(link.text).to.contain('qcoGlobal');
    });
  });

  describe('fault injection', () => {
    it('answers the injected status and body once, then behaves again (in-process control)', async () => {
      const orderId = await createOk();
      sim.failNext({ op: 'getOrder', status: 500 });
      expectQliroError(await getOrder(orderId), 500, 'SYSTEM_ERROR');
      expect((await getOrder(orderId)).status).to.equal(200);

      sim.failNext({ op: 'createOrder', status: 400, body: { ErrorCode: 'INVALID_REQUEST', ErrorMessage: 'custom' } });
      expectQliroError(await create(createBody()), 400, 'INVALID_REQUEST', 'custom');
      sim.failNext({ op: 'updateOrder', status: 200, body: 'not json' });
      expect((await send('PUT', `/checkout/merchantapi/Orders/${orderId}`, { body: { MerchantApiKey: MERCHANT.apiKey, OrderItems: [item()] } })).text).to.equal('not json');
    });

    it('is also controlled over HTTP (POST /sandbox/fail-next) and validates the request', async () => {
      const orderId = await createOk();
      const accepted = await send('POST', '/sandbox/fail-next', { body: { op: 'getOrder', status: 503 }, authorization: null });
      expect(accepted.status).to.equal(204);
      expect((await getOrder(orderId)).status).to.equal(503);
      expect((await getOrder(orderId)).status).to.equal(200);
      expect((await send('POST', '/sandbox/fail-next', { body: { op: 'deleteEverything', status: 500 }, authorization: null })).status).to.equal(400);
      expect((await send('POST', '/sandbox/fail-next', { body: { op: 'getOrder' }, authorization: null })).status).to.equal(400);
    });

    it('offers status and expiry controls over HTTP', async () => {
      const orderId = await createOk();
      const moved = await send('POST', `/sandbox/orders/${orderId}/status`, { body: { status: 'OnHold' }, authorization: null });
      expect(moved.json.status).to.equal('OnHold');
      const expired = await send('POST', `/sandbox/orders/${orderId}/expire`, { authorization: null });
      expect(expired.json.expired).to.equal(true);
      expect((await send('GET', '/sandbox/orders/1', { authorization: null })).status).to.equal(404);
    });
  });

  describe('rules (pure)', () => {
    it('judges decimals on the number as sent', () => {
      expect([1039.2, 89.9, -200, 0, 0.01, 25.5].every(hasAtMostTwoDecimals)).to.equal(true);
      expect([0.1 + 0.2, 10.005, 24.137931034483, Number.NaN, Infinity].some(hasAtMostTwoDecimals)).to.equal(false);
    });

    it('totals in minor units', () => {
      expect(totalPriceOf([
        { MerchantReference: 'a', Type: 'Product', Quantity: 3, PricePerItemIncVat: 0.1 },
        { MerchantReference: 'b', Type: 'Product', Quantity: 3, PricePerItemIncVat: 19.99 },
        { MerchantReference: 'c', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -10 },
      ])).to.equal(50.27);
    });
  });
});
