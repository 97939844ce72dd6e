import { expect } from 'chai';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import type { AdapterError } from '../../../src/domain/errors';
import type { QliroCreateOrderRequest, QliroCredentials } from '../../../src/domain/qliro-order';
import { KeepAliveAgents } from '../../../src/adapters/outbound/http-call';
import {
  HttpQliroGateway,
  isOrderAlreadyExists,
  qliroErrorToAdapterError,
} from '../../../src/adapters/qliro/http-qliro-gateway';
import { qliroAuthorization } from '../../../src/adapters/qliro/signing';
import { startQliroSimulator, type RunningQliroSimulator } from '../../../sandbox/qliro-simulator';

const MERCHANT = { apiKey: 'GATEWAYKEY', secret: 'gateway-secret' };
let refCounter = 0;

const request = (overrides: Partial<QliroCreateOrderRequest> = {}): QliroCreateOrderRequest => ({
  MerchantReference: `gw${Date.now().toString(36)}${refCounter++}`,
  Currency: 'SEK',
  Country: 'SE',
  Language: 'sv-se',
  MerchantTermsUrl: 'https://shop.example.com/terms',
  MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
  MerchantCheckoutStatusPushUrl: 'https://adapter.example.com/push?token=t',
  MerchantOrderManagementStatusPushUrl: 'https://adapter.example.com/om?token=t',
  MerchantOrderValidationUrl: 'https://adapter.example.com/validate?token=t',
  OrderItems: [
    { MerchantReference: 'SKU-1', Description: 'Kaffe – 500 g', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 },
  ],
  ...overrides,
});

function expectLeft<A>(result: Either<AdapterError, A>): AdapterError {
  if (isRight(result)) expect.fail('expected an AdapterError, got success');
  return result.left;
}
function expectRight<A>(result: Either<AdapterError, A>): A {
  if (isLeft(result)) expect.fail(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

describe('HttpQliroGateway against the Qliro simulator', () => {
  let simulator: RunningQliroSimulator;
  let agents: KeepAliveAgents;
  let gateway: HttpQliroGateway;
  /** Gives up after 200 ms: only for calls the simulator is told to delay far longer. */
  let impatient: HttpQliroGateway;
  let credentials: QliroCredentials;

  before(async () => {
    simulator = await startQliroSimulator({ port: 0, merchants: [MERCHANT] });
    agents = new KeepAliveAgents();
    gateway = new HttpQliroGateway({ agents, timeoutMs: 5000 });
    impatient = new HttpQliroGateway({ agents, timeoutMs: 200 });
    credentials = { apiUrl: simulator.url, merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret };
  });
  after(async () => {
    agents.destroy();
    await simulator.close();
  });
  afterEach(() => simulator.reset());

  const countOf = (op: string) => simulator.store.requests.filter((r) => r.op === op).length;

  describe('requests', () => {
    it('POSTs {MerchantApiKey, ...request} and signs exactly the bytes it sends', async () => {
      const body = request();
      const { OrderId } = expectRight(await gateway.createOrder(credentials, body)());
      const sent = simulator.store.get(OrderId)!.requests[0]!;
      expect(sent.method).to.equal('POST');
      expect(sent.path).to.equal('/checkout/merchantapi/Orders');
      expect(sent.rawBody).to.equal(JSON.stringify({ MerchantApiKey: MERCHANT.apiKey, ...body }));
      expect(sent.authorization).to.equal(qliroAuthorization(sent.rawBody, MERCHANT.secret));
    });

    it('GETs /Orders/{id} signed over the empty string', async () => {
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      const order = expectRight(await gateway.getOrder(credentials, OrderId)());
      expect(order.OrderId).to.equal(OrderId);
      const sent = simulator.store.requests.find((r) => r.op === 'getOrder')!;
      expect(sent.path).to.equal(`/checkout/merchantapi/Orders/${OrderId}`);
      expect(sent.rawBody).to.equal('');
      expect(sent.authorization).to.equal(qliroAuthorization('', MERCHANT.secret));
    });

    it('PUTs /Orders/{id} with the key in the body and no OrderId in it', async () => {
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      const update = { OrderItems: [{ ...request().OrderItems[0]!, Quantity: 3 }] };
      expect(expectRight(await gateway.updateOrder(credentials, OrderId, update)())).to.equal(undefined);
      const sent = simulator.store.requests.find((r) => r.op === 'updateOrder')!;
      expect(sent.method).to.equal('PUT');
      expect(JSON.parse(sent.rawBody)).to.deep.equal({ MerchantApiKey: MERCHANT.apiKey, ...update });
      expect(sent.authorization).to.equal(qliroAuthorization(sent.rawBody, MERCHANT.secret));
    });

    it('tolerates a trailing slash in apiUrl', async () => {
      const result = await gateway.createOrder({ ...credentials, apiUrl: `${simulator.url}/` }, request())();
      expect(isRight(result)).to.equal(true);
    });
  });

  describe('error mapping', () => {
    it('400 → qliro-validation / qliro-bad-request with Qliro’s body as qliroError', async () => {
      const invalid = expectLeft(await gateway.createOrder(credentials, request({ MerchantReference: 'not valid!' }))());
      expect(invalid.code).to.equal('qliro-validation');
      expect(invalid.qliroError?.ErrorCode).to.equal('INVALID_INPUT');
      expect(invalid.qliroError?.ErrorReference).to.match(/^[0-9a-f-]{36}$/);
      expect(invalid.transient ?? false).to.equal(false);

      const market = expectLeft(await gateway.createOrder(credentials, request({ Currency: 'NOK', Country: 'SE' }))());
      expect(market.code).to.equal('qliro-bad-request');
      expect(market.qliroError?.ErrorCode).to.equal('PAYMENT_METHOD_NOT_CONFIGURED');
    });

    it('ORDER_ALREADY_EXISTS is recognisable with isOrderAlreadyExists', async () => {
      const body = request();
      expectRight(await gateway.createOrder(credentials, body)());
      const duplicate = expectLeft(await gateway.createOrder(credentials, body)());
      expect(isOrderAlreadyExists(duplicate)).to.equal(true);
      expect(duplicate.code).to.equal('qliro-bad-request');
    });

    it('404 → qliro-order-not-found; ORDER_EXPIRED → qliro-order-expired', async () => {
      expect(expectLeft(await gateway.getOrder(credentials, 123)()).code).to.equal('qliro-order-not-found');
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      simulator.expireOrder(OrderId);
      const expired = expectLeft(await gateway.updateOrder(credentials, OrderId, { OrderItems: request().OrderItems })());
      expect(expired.code).to.equal('qliro-order-expired');
      expect(expired.qliroError?.ErrorMessage).to.equal('Unable to update as too much time has passed after order creation time');
    });

    it('500 → transient qliro-error with Qliro’s body; a POST is not retried', async () => {
      simulator.failNext({ op: 'createOrder', status: 500 });
      const error = expectLeft(await gateway.createOrder(credentials, request())());
      expect(error.code).to.equal('qliro-error');
      expect(error.transient).to.equal(true);
      expect(error.qliroError?.ErrorCode).to.equal('SYSTEM_ERROR');
      expect(countOf('createOrder')).to.equal(1);
    });

    it('a PUT is not retried either', async () => {
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      simulator.failNext({ op: 'updateOrder', status: 503, body: '' });
      const error = expectLeft(await gateway.updateOrder(credentials, OrderId, { OrderItems: request().OrderItems })());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(countOf('updateOrder')).to.equal(1);
    });

    it('a GET is retried once after a transient failure', async () => {
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      simulator.failNext({ op: 'getOrder', status: 502 });
      expect(expectRight(await gateway.getOrder(credentials, OrderId)()).OrderId).to.equal(OrderId);
      expect(countOf('getOrder')).to.equal(2);
    });

    it('a GET failing twice gives a transient qliro-error after two attempts', async () => {
      simulator.failNext({ op: 'getOrder', status: 500, times: 2 });
      const error = expectLeft(await gateway.getOrder(credentials, 4950001)())!;
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(countOf('getOrder')).to.equal(2);
    });

    it('a GET is not retried after a permanent failure', async () => {
      expectLeft(await gateway.getOrder(credentials, 42)());
      expect(countOf('getOrder')).to.equal(1);
    });

    it('timeout (simulator slower than the 200 ms limit) → transient qliro-error', async () => {
      simulator.failNext({ op: 'createOrder', delayMs: 10_000 });
      const error = expectLeft(await impatient.createOrder(credentials, request())());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.message).to.contain('timed out');
      expect(countOf('createOrder')).to.equal(1);
    });

    it('a GET that times out on both attempts → transient qliro-error', async () => {
      simulator.failNext({ op: 'getOrder', delayMs: 10_000, times: 2 });
      const error = expectLeft(await impatient.getOrder(credentials, 4950001)());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(countOf('getOrder')).to.equal(2);
    });

    it('a GET that times out once is answered by its retry', async () => {
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request())());
      const patientEnough = new HttpQliroGateway({ agents, timeoutMs: 1000 });
      simulator.failNext({ op: 'getOrder', delayMs: 10_000 });
      expect(expectRight(await patientEnough.getOrder(credentials, OrderId)()).OrderId).to.equal(OrderId);
      expect(countOf('getOrder')).to.equal(2);
    });

    it('401 with a wrong secret → qliro-error, not transient, saying the credentials were refused, without the secret', async () => {
      const wrong = { ...credentials, merchantApiSecret: 'not-the-secret' };
      for (const result of [await gateway.createOrder(wrong, request())(), await gateway.getOrder(wrong, 4950001)()]) {
        const error = expectLeft(result);
        expect(error.code).to.equal('qliro-error');
        expect(error.transient ?? false).to.equal(false);
        expect(error.message).to.match(/credentials|signature/);
        expect(error.message).not.to.contain('not-the-secret');
      }
      expect(countOf('getOrder')).to.equal(1);
    });

    it('a 200 whose body does not decode → transient qliro-error naming the problem, not the content', async () => {
      simulator.failNext({ op: 'getOrder', status: 200, body: { OrderId: 1, Customer: { Email: 'person@example.com' } } });
      const error = expectLeft(await gateway.getOrder(credentials, 1)());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.message).to.contain('does not decode').and.to.contain('MerchantReference');
      expect(error.message).not.to.contain('person@example.com');

      simulator.failNext({ op: 'createOrder', status: 201, body: '<html>gateway</html>' });
      const html = expectLeft(await gateway.createOrder(credentials, request())());
      expect(html).to.deep.include({ code: 'qliro-error', transient: true });
      expect(html.message).not.to.contain('<html>');
    });

    it('network error (nothing listening) → transient qliro-error', async () => {
      const error = expectLeft(await gateway.getOrder({ ...credentials, apiUrl: 'http://127.0.0.1:1' }, 1)());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.message).to.contain('could not be reached');
    });
  });
});

describe('qliroErrorToAdapterError', () => {
  const body = (ErrorCode: string, ErrorMessage = 'm') => ({ ErrorCode, ErrorMessage, ErrorReference: 'r' });
  const table: [number, ReturnType<typeof body> | undefined, string, boolean][] = [
    [400, body('INVALID_INPUT'), 'qliro-validation', false],
    [400, body('SYSTEM_ERROR', 'Input must have no more than two decimal places'), 'qliro-validation', false],
    [400, body('ORDER_ALREADY_EXISTS'), 'qliro-bad-request', false],
    [400, body('PAYMENT_METHOD_NOT_CONFIGURED'), 'qliro-bad-request', false],
    [400, body('OPERATION_NOT_SUPPORTED'), 'qliro-bad-request', false],
    [400, undefined, 'qliro-bad-request', false],
    [400, body('ORDER_EXPIRED'), 'qliro-order-expired', false],
    [400, body('ORDER_NOT_FOUND'), 'qliro-order-not-found', false],
    [404, undefined, 'qliro-order-not-found', false],
    [401, undefined, 'qliro-error', false],
    [403, undefined, 'qliro-error', false],
    [500, body('SYSTEM_ERROR'), 'qliro-error', true],
    [503, undefined, 'qliro-error', true],
    [429, undefined, 'qliro-error', true],
    [408, undefined, 'qliro-error', true],
    [302, undefined, 'qliro-error', false],
  ];
  for (const [status, qliroBody, code, transient] of table) {
    it(`${status} ${qliroBody?.ErrorCode ?? '(no body)'} → ${code}${transient ? ', transient' : ''}`, () => {
      const error = qliroErrorToAdapterError('createOrder', status, qliroBody);
      expect(error.code).to.equal(code);
      expect(error.transient ?? false).to.equal(transient);
      if (qliroBody) expect(error.qliroError).to.deep.equal(qliroBody);
    });
  }

  it('keeps Qliro’s message short and masks e-mail addresses in it', () => {
    const error = qliroErrorToAdapterError('createOrder', 400, body('INVALID_INPUT', `Property: Email, Message: 'person@example.com' is invalid ${'x'.repeat(400)}`));
    expect(error.message).not.to.contain('person@example.com');
    expect(error.message.length).to.be.lessThan(300);
  });

  it('isOrderAlreadyExists looks at Qliro’s ErrorCode only', () => {
    expect(isOrderAlreadyExists(qliroErrorToAdapterError('createOrder', 400, body('ORDER_ALREADY_EXISTS')))).to.equal(true);
    expect(isOrderAlreadyExists(qliroErrorToAdapterError('createOrder', 400, body('INVALID_INPUT')))).to.equal(false);
    expect(isOrderAlreadyExists({ code: 'qliro-bad-request', message: 'ORDER_ALREADY_EXISTS' })).to.equal(false);
  });
});
