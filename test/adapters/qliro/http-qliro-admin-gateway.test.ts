import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import type { AdapterError } from '../../../src/domain/errors';
import type { QliroCredentials } from '../../../src/domain/qliro-order';
import type { QliroAdminItem } from '../../../src/domain/qliro-admin';
import { KeepAliveAgents } from '../../../src/adapters/outbound/http-call';
import { HttpQliroAdminGateway } from '../../../src/adapters/qliro/http-qliro-admin-gateway';
import { HttpQliroGateway } from '../../../src/adapters/qliro/http-qliro-gateway';
import { QliroAdminOrderCodec, QliroPaymentTransactionCodec, QliroStartedTransactionsCodec } from '../../../src/adapters/qliro/admin-codecs';
import { decodeWith } from '../../../src/adapters/qliro/codecs';
import type { QliroCallObservation } from '../../../src/adapters/qliro/qliro-http';
import { qliroAuthorization } from '../../../src/adapters/qliro/signing';
import { refundableItems, unshippedItems } from '../../../src/domain/order-management';
import { startQliroSimulator, type RunningQliroSimulator } from '../../../sandbox/qliro-simulator';
import { loadFixture } from '../../support/fixtures';

const MERCHANT = { apiKey: 'ADMINGWKEY', secret: 'admin-gateway-secret' };
let refCounter = 0;

const LINES = [
  { MerchantReference: 'SKU-1', Description: 'Kaffe', Type: 'Product' as const, Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 },
  { MerchantReference: 'SHIP-1', Description: 'Frakt', Type: 'Shipping' as const, Quantity: 1, PricePerItemIncVat: 49, PricePerItemExVat: 39.2, VatRate: 25 },
];
const ITEMS: QliroAdminItem[] = LINES.map((l) => ({ MerchantReference: l.MerchantReference, Type: l.Type, Quantity: l.Quantity, PricePerItemIncVat: l.PricePerItemIncVat }));

function expectLeft<A>(result: Either<AdapterError, A>): AdapterError {
  if (isRight(result)) expect.fail('expected an AdapterError, got success');
  return result.left;
}
function expectRight<A>(result: Either<AdapterError, A>): A {
  if (isLeft(result)) expect.fail(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

describe('HttpQliroAdminGateway against the Qliro simulator', () => {
  let simulator: RunningQliroSimulator;
  let agents: KeepAliveAgents;
  let gateway: HttpQliroAdminGateway;
  /** Gives up after 200 ms: only for calls the simulator is told to delay far longer. */
  let impatient: HttpQliroAdminGateway;
  let credentials: QliroCredentials;
  const observations: QliroCallObservation[] = [];

  before(async () => {
    simulator = await startQliroSimulator({ port: 0, merchants: [MERCHANT], adminOutcomeDelayMs: 0 });
    agents = new KeepAliveAgents();
    gateway = new HttpQliroAdminGateway({ agents, timeoutMs: 5000, observe: (o) => observations.push(o) });
    impatient = new HttpQliroAdminGateway({ agents, timeoutMs: 200 });
    credentials = { apiUrl: simulator.url, merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret };
  });
  after(async () => {
    agents.destroy();
    await simulator.close();
  });
  afterEach(async () => {
    await simulator.idle();
    simulator.reset();
    observations.length = 0;
  });

  /** A Qliro order the customer completed (no callback URLs: nothing is pushed). */
  async function completedOrder(): Promise<{ orderId: number; preauthorizationId: number }> {
    const created = await new HttpQliroGateway({ agents, timeoutMs: 5000 }).createOrder(credentials, {
      MerchantReference: `agw${Date.now().toString(36)}${refCounter++}`,
      Currency: 'SEK',
      Country: 'SE',
      Language: 'sv-se',
      MerchantTermsUrl: 'https://shop.example.com/terms',
      MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
      OrderItems: LINES,
    } as never)();
    const orderId = expectRight(created).OrderId;
    const completed = await simulator.complete(orderId, { outcome: 'Completed' });
    if (!completed.ok || !('paymentTransactionId' in completed.value)) expect.fail(JSON.stringify(completed));
    return { orderId, preauthorizationId: completed.value.paymentTransactionId };
  }

  const requestsOf = (op: string) => simulator.store.requests.filter((r) => r.op === op);
  const shipAll = (orderId: number, preauthorizationId: number) =>
    ({ RequestId: randomUUID(), OrderId: orderId, Currency: 'SEK', Shipments: [{ PaymentTransactionId: preauthorizationId, OrderItems: ITEMS }] }) as const;

  describe('requests', () => {
    it('GETs /checkout/adminapi/v2/orders/{id} signed over the empty string, and decodes the ledger', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const order = expectRight(await gateway.getOrder(credentials, orderId)());
      expect(order.OrderId).to.equal(orderId);
      expect(order.OrderItemActions.map((a) => [a.ActionType, a.MerchantReference, a.PaymentTransactionId])).to.deep.equal([
        ['Reserve', 'SKU-1', preauthorizationId],
        ['Reserve', 'SHIP-1', preauthorizationId],
      ]);
      const sent = requestsOf('adminGetOrder')[0]!;
      expect([sent.method, sent.path, sent.rawBody]).to.deep.equal(['GET', `/checkout/adminapi/v2/orders/${orderId}`, '']);
      expect(sent.authorization).to.equal(qliroAuthorization('', MERCHANT.secret));
    });

    it('POSTs /v2/MarkItemsAsShipped as {MerchantApiKey, ...request}, signed over exactly the bytes sent', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const request = shipAll(orderId, preauthorizationId);
      const started = expectRight(await gateway.markItemsAsShipped(credentials, request)());
      expect(started.PaymentTransactions).to.have.length(1);
      expect(started.PaymentTransactions[0]!.Status).to.equal('Created');
      const sent = requestsOf('markItemsAsShipped')[0]!;
      expect([sent.method, sent.path]).to.deep.equal(['POST', '/checkout/adminapi/v2/MarkItemsAsShipped']);
      expect(sent.rawBody).to.equal(JSON.stringify({ MerchantApiKey: MERCHANT.apiKey, ...request }));
      expect(sent.authorization).to.equal(qliroAuthorization(sent.rawBody, MERCHANT.secret));
    });

    it('POSTs /v2/ReturnItems and /v2/cancelOrder the same way, and GETs /v2/paymentTransactions/{id}', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const captureId = expectRight(await gateway.markItemsAsShipped(credentials, shipAll(orderId, preauthorizationId))()).PaymentTransactions[0]!.PaymentTransactionId;
      await simulator.whenPushesSettled(orderId);
      const capture = expectRight(await gateway.getPaymentTransaction(credentials, captureId)());
      expect([capture.PaymentTransactionId, capture.Type, capture.Status, capture.Amount, capture.OriginalPaymentTransactionId]).to.deep.equal([
        captureId, 'Capture', 'Success', 228.8, preauthorizationId,
      ]);
      expect(requestsOf('getPaymentTransaction')[0]!.path).to.equal(`/checkout/adminapi/v2/paymentTransactions/${captureId}`);

      const refund = { RequestId: randomUUID(), OrderId: orderId, Currency: 'SEK', Returns: [{ PaymentTransactionId: captureId, OrderItems: [{ ...ITEMS[0]!, Quantity: 1 }] }] } as const;
      expectRight(await gateway.returnItems(credentials, refund)());
      const sentRefund = requestsOf('returnItems')[0]!;
      expect(sentRefund.path).to.equal('/checkout/adminapi/v2/ReturnItems');
      expect(sentRefund.rawBody).to.equal(JSON.stringify({ MerchantApiKey: MERCHANT.apiKey, ...refund }));
      expect(sentRefund.authorization).to.equal(qliroAuthorization(sentRefund.rawBody, MERCHANT.secret));
      await simulator.whenPushesSettled(orderId);

      const other = await completedOrder();
      const cancel = { RequestId: randomUUID(), OrderId: other.orderId } as const;
      expectRight(await gateway.cancelOrder(credentials, cancel)());
      const sentCancel = requestsOf('cancelOrder')[0]!;
      expect(sentCancel.path).to.equal('/checkout/adminapi/v2/cancelOrder');
      expect(sentCancel.rawBody).to.equal(JSON.stringify({ MerchantApiKey: MERCHANT.apiKey, ...cancel }));
      expect(sentCancel.authorization).to.equal(qliroAuthorization(sentCancel.rawBody, MERCHANT.secret));
    });

    it('reports every attempt to `observe` under the Admin operation names', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      await gateway.getOrder(credentials, orderId)();
      await gateway.markItemsAsShipped(credentials, shipAll(orderId, preauthorizationId))();
      await gateway.cancelOrder(credentials, { RequestId: randomUUID(), OrderId: 1 })();
      expect(observations.map((o) => [o.upstream, o.operation, o.outcome])).to.deep.equal([
        ['qliro', 'adminGetOrder', 'success'],
        ['qliro', 'markItemsAsShipped', 'success'],
        ['qliro', 'cancelOrder', 'client-error'],
      ]);
    });

    it('tolerates a trailing slash in apiUrl', async () => {
      const { orderId } = await completedOrder();
      expect(isRight(await gateway.getOrder({ ...credentials, apiUrl: `${simulator.url}/` }, orderId)())).to.equal(true);
    });
  });

  describe('error mapping', () => {
    it('a ledger refusal → qliro-bad-request carrying Qliro’s body as qliroError, not transient', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const request = { ...shipAll(orderId, preauthorizationId), Shipments: [{ PaymentTransactionId: preauthorizationId, OrderItems: [{ ...ITEMS[0]!, Quantity: 3 }] }] };
      const error = expectLeft(await gateway.markItemsAsShipped(credentials, request)());
      expect(error.code).to.equal('qliro-bad-request');
      expect(error.transient ?? false).to.equal(false);
      expect(error.qliroError?.ErrorCode).to.equal('EXCEEDING_QUANTITY');
      expect(error.qliroError?.ErrorReference).to.match(/^[0-9a-f-]{36}$/);
      expect(error.message).to.contain('markItemsAsShipped').and.to.contain('EXCEEDING_QUANTITY');
    });

    it('INVALID_INPUT (no valid RequestId) → qliro-validation; unknown order or transaction → qliro-order-not-found', async () => {
      const invalid = expectLeft(await gateway.cancelOrder(credentials, { RequestId: 'nope' as never, OrderId: 1 })());
      expect(invalid.code).to.equal('qliro-validation');
      expect(invalid.qliroError?.ErrorCode).to.equal('INVALID_INPUT');
      expect(expectLeft(await gateway.getOrder(credentials, 42)()).code).to.equal('qliro-order-not-found');
      expect(expectLeft(await gateway.getPaymentTransaction(credentials, 42)()).code).to.equal('qliro-order-not-found');
      expect(expectLeft(await gateway.cancelOrder(credentials, { RequestId: randomUUID(), OrderId: 42 })()).code).to.equal('qliro-order-not-found');
    });

    it('500 → transient qliro-error with Qliro’s body; a POST is not retried', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      simulator.failNext({ op: 'markItemsAsShipped', status: 500 });
      const error = expectLeft(await gateway.markItemsAsShipped(credentials, shipAll(orderId, preauthorizationId))());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.qliroError?.ErrorCode).to.equal('SYSTEM_ERROR');
      expect(requestsOf('markItemsAsShipped')).to.have.length(1);
      simulator.failNext({ op: 'returnItems', status: 503, body: '' });
      expect(expectLeft(await gateway.returnItems(credentials, { RequestId: randomUUID(), OrderId: orderId, Currency: 'SEK', Returns: [{ PaymentTransactionId: 1, OrderItems: ITEMS }] })()).transient).to.equal(true);
      simulator.failNext({ op: 'cancelOrder', status: 502 });
      expect(expectLeft(await gateway.cancelOrder(credentials, { RequestId: randomUUID(), OrderId: orderId })()).transient).to.equal(true);
      expect([requestsOf('returnItems').length, requestsOf('cancelOrder').length]).to.deep.equal([1, 1]);
    });

    it('a GET is retried once after a transient failure, not after a permanent one', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      simulator.failNext({ op: 'adminGetOrder', status: 502 });
      expect(expectRight(await gateway.getOrder(credentials, orderId)()).OrderId).to.equal(orderId);
      expect(requestsOf('adminGetOrder')).to.have.length(2);

      simulator.failNext({ op: 'getPaymentTransaction', status: 500 });
      expect(expectRight(await gateway.getPaymentTransaction(credentials, preauthorizationId)()).Type).to.equal('Preauthorization');
      expect(requestsOf('getPaymentTransaction')).to.have.length(2);

      expectLeft(await gateway.getOrder(credentials, 43)());
      expect(requestsOf('adminGetOrder')).to.have.length(3);
    });

    it('a GET failing twice gives a transient qliro-error after two attempts', async () => {
      simulator.failNext({ op: 'adminGetOrder', status: 500, times: 2 });
      expect(expectLeft(await gateway.getOrder(credentials, 4950001)())).to.deep.include({ code: 'qliro-error', transient: true });
      expect(requestsOf('adminGetOrder')).to.have.length(2);
    });

    it('timeout → transient qliro-error; a POST that timed out is not sent again', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      simulator.failNext({ op: 'markItemsAsShipped', delayMs: 10_000 });
      const error = expectLeft(await impatient.markItemsAsShipped(credentials, shipAll(orderId, preauthorizationId))());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.message).to.contain('timed out');
      expect(requestsOf('markItemsAsShipped')).to.have.length(1);

      simulator.failNext({ op: 'adminGetOrder', delayMs: 10_000, times: 2 });
      expect(expectLeft(await impatient.getOrder(credentials, orderId)())).to.deep.include({ code: 'qliro-error', transient: true });
      expect(requestsOf('adminGetOrder')).to.have.length(2);
    });

    it('401 with a wrong secret → qliro-error, not transient, without the secret in the message', async () => {
      const wrong = { ...credentials, merchantApiSecret: 'not-the-secret' };
      for (const result of [await gateway.getOrder(wrong, 1)(), await gateway.cancelOrder(wrong, { RequestId: randomUUID(), OrderId: 1 })()]) {
        const error = expectLeft(result);
        expect(error.code).to.equal('qliro-error');
        expect(error.transient ?? false).to.equal(false);
        expect(error.message).to.match(/credentials|signature/);
        expect(error.message).not.to.contain('not-the-secret');
      }
    });

    it('a 200 whose body does not decode → transient qliro-error naming the path, not the content', async () => {
      simulator.failNext({ op: 'adminGetOrder', status: 200, body: { OrderId: 1, Customer: { Email: 'person@example.com' } } });
      const error = expectLeft(await gateway.getOrder(credentials, 1)());
      expect(error).to.deep.include({ code: 'qliro-error', transient: true });
      expect(error.message).to.contain('does not decode').and.to.contain('Currency');
      expect(error.message).not.to.contain('person@example.com');

      simulator.failNext({ op: 'cancelOrder', status: 200, body: '<html>proxy</html>' });
      const html = expectLeft(await gateway.cancelOrder(credentials, { RequestId: randomUUID(), OrderId: 1 })());
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

describe('HttpQliroAdminGateway against a stub server', () => {
  it('adds the extra headers (e.g. x-correlation-id) to every call and keeps its own Authorization', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ PaymentTransactions: [{ PaymentTransactionId: 7, Status: 'Created' }] })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agents = new KeepAliveAgents();
    try {
      const gateway = new HttpQliroAdminGateway({ agents, timeoutMs: 2000, headers: () => ({ 'x-correlation-id': 'corr-1', Authorization: 'spoofed' }) });
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const started = expectRight(await gateway.cancelOrder({ apiUrl, merchantApiKey: 'K', merchantApiSecret: 'S' }, { RequestId: randomUUID(), OrderId: 5 })());
      expect(started).to.deep.equal({ PaymentTransactions: [{ PaymentTransactionId: 7, Status: 'Created' }] });
      expect(seen[0]!['x-correlation-id']).to.equal('corr-1');
      expect(seen[0]!['authorization']).to.match(/^Qliro [A-Za-z0-9+/]{43}=$/);
      expect(seen[0]!['content-type']).to.equal('application/json');
    } finally {
      agents.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('Admin API codecs', () => {
  const decode = <A>(codec: Parameters<typeof decodeWith<A>>[0], u: unknown): A => {
    const decoded = decodeWith(codec, u);
    if (isLeft(decoded)) expect.fail(decoded.left);
    return decoded.right;
  };

  it('decodes the fixture Admin GetOrder (13 item actions with MetaData, 5 transactions) into the ledger the domain reads', () => {
    const order = decode(QliroAdminOrderCodec, loadFixture('qliro', 'admin-api', 'get-order.response.with-transactions.norce-order-3.json'));
    expect([order.OrderId, order.MerchantReference, order.Currency]).to.deep.equal([4951876, 'oTerFglJ-2', 'SEK']);
    expect(order.OrderItemActions).to.have.length(13);
    expect(order.OrderItemActions[0]).to.deep.equal({
      MerchantReference: 'JKT-30112-S',
      Description: 'Regnjacka Dam, S',
      Type: 'Product',
      Quantity: 1,
      PricePerItemIncVat: 1299,
      PricePerItemExVat: 1039.2,
      VatRate: 25,
      ActionType: 'Reserve',
      PaymentTransactionId: 3294101,
    });
    expect(order.PaymentTransactions.map((t) => [t.PaymentTransactionId, t.Type, t.Status, t.Amount, t.OriginalPaymentTransactionId])).to.deep.equal([
      [3294101, 'Preauthorization', 'Success', 976.8, null],
      [3294188, 'Capture', 'Error', 797, 3294101],
      [3294190, 'Capture', 'Success', 797, 3294101],
      [3294203, 'Reversal', 'Success', 179.8, 3294101],
      [3294377, 'Refund', 'Success', 149, 3294190],
    ]);
    expect(order.PaymentTransactions[0]!.PaymentMethodName).to.equal('QLIRO_INVOICE');
    // Shipped 797 (one capture), released the coffee, returned the book.
    expect(unshippedItems(order)).to.deep.equal([]);
    expect(refundableItems(order)[0]!.items.map((i) => i.MerchantReference)).to.deep.equal([
      'JKT-30112-S',
      'JACKA200',
      'e8ed2091-c34c-4837-a3a8-bc827b0dc183',
      'pkhmiywFDzZZMpmCHPyPEFqBhPD',
    ]);
  });

  it('decodes the fixture MarkItemsAsShipped answer', () => {
    expect(decode(QliroStartedTransactionsCodec, loadFixture('qliro', 'admin-api', 'mark-items-as-shipped.response.json'))).to.deep.equal({
      PaymentTransactions: [{ PaymentTransactionId: 3293033, Status: 'Created' }],
    });
  });

  it('reads any casing (camelCase, UPPER), both MetaData spellings, and nulls where Qliro leaves things out', () => {
    const order = decode(QliroAdminOrderCodec, {
      orderid: '4951876',
      currency: 'SEK',
      merchantReference: null,
      ORDERITEMACTIONS: [
        { merchantReference: 'X', quantity: 1, pricePerItemIncVat: '10.5', actionType: 'Reserve', paymentTransactionId: 5, metadata: { HeaderLines: [] }, type: null, vatRate: null },
        { MerchantReference: 'Y', Quantity: 1, PricePerItemIncVat: 1, ActionType: 'Create', PaymentTransactionId: null, MetaData: null },
      ],
      paymentTransactions: [{ paymentTransactionId: 5, type: 'Preauthorization', status: 'Success', amount: 10.5, originalPaymentTransactionId: 0, errorCode: null }],
    });
    expect(order.MerchantReference).to.equal('');
    expect(order.OrderItemActions.map((a) => [a.MerchantReference, a.Type, a.PricePerItemIncVat, a.PaymentTransactionId, a.VatRate])).to.deep.equal([
      ['X', 'Product', 10.5, 5, null],
      ['Y', 'Product', 1, 0, null],
    ]);
    expect(order.PaymentTransactions[0]!.OriginalPaymentTransactionId).to.equal(null);
    expect(decode(QliroAdminOrderCodec, { OrderId: 1, Currency: 'SEK', OrderItemActions: null, PaymentTransactions: null })).to.deep.include({
      OrderItemActions: [],
      PaymentTransactions: [],
    });
  });

  it('decodes a single transaction (GET paymentTransactions/{id}) and refuses one without id, type, status or amount', () => {
    const fixture = loadFixture<{ PaymentTransactions: unknown[] }>('qliro', 'admin-api', 'get-order.response.with-transactions.norce-order-3.json');
    expect(decode(QliroPaymentTransactionCodec, fixture.PaymentTransactions[1])).to.deep.include({ PaymentTransactionId: 3294188, Type: 'Capture', Status: 'Error' });
    const broken = decodeWith(QliroPaymentTransactionCodec, { PaymentTransactionId: 1, Type: 'Capture' });
    expect(isLeft(broken) && broken.left).to.contain('Status').and.to.contain('Amount');
  });
});
