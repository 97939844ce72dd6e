// The Qliro simulator's Admin API: the ledger (Reserve / Ship / Release / Return per transaction), every refusal the
// reference lists, RequestId reuse denied, outcomes reached asynchronously with an order-management push delivered
// with Qliro's retries and faults, Error outcomes, and reversals Qliro makes on its own — against a stub merchant on
// port 0, settled with the simulator's helpers, never by sleeping.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import fetch from 'node-fetch';
import { qliroAuthorization } from '../../src/adapters/qliro/signing';
import { startQliroSimulator, type QliroSimulatorOptions, type RunningQliroSimulator } from '../../sandbox/qliro-simulator';
import { loadFixture } from '../support/fixtures';

const MERCHANT = { apiKey: 'ADMINKEY', secret: 'admin-secret' };
const OTHER = { apiKey: 'OTHERADMINKEY', secret: 'other-admin-secret' };
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/;
const ADMIN = '/checkout/adminapi/v2';

interface Hit {
  readonly path: string;
  readonly body: any;
}
interface Reply {
  readonly status?: number;
  readonly body?: unknown;
}

/** The merchant: records every callback; answers received unless told otherwise for the n-th hit of a path. */
async function startMerchant() {
  const hits: Hit[] = [];
  const replies = new Map<string, (nth: number) => Reply>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const hit: Hit = { path: (req.url ?? '').split('?')[0]!, body: text === '' ? undefined : JSON.parse(text) };
      hits.push(hit);
      const nth = hits.filter((h) => h.path === hit.path).length;
      const answer = replies.get(hit.path)?.(nth) ?? { status: 200, body: { CallbackResponse: 'received' } };
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    on: (p: string, reply: (nth: number) => Reply) => void replies.set(p, reply),
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

/** The fixture order (norce-order-3) as it was bought: 976.80 SEK. */
const FIXTURE_LINES = [
  { MerchantReference: 'JKT-30112-S', Description: 'Regnjacka Dam, S', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1299, PricePerItemExVat: 1039.2, VatRate: 25 },
  { MerchantReference: 'KAF-0500', Description: 'Kaffe Mellanrost 500 g', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 },
  { MerchantReference: 'BOK-0042', Description: 'Pocketbok: Testboken', Type: 'Product', Quantity: 1, PricePerItemIncVat: 149, PricePerItemExVat: 140.57, VatRate: 6 },
  { MerchantReference: 'JACKA200', Description: 'Kampanj regnjacka', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -200, PricePerItemExVat: -160, VatRate: 25 },
  { MerchantReference: 'e8ed2091-c34c-4837-a3a8-bc827b0dc183', Description: 'PostNord MyPack Collect', Type: 'Shipping', Quantity: 1, PricePerItemIncVat: 49, PricePerItemExVat: 39.2, VatRate: 25 },
  { MerchantReference: 'pkhmiywFDzZZMpmCHPyPEFqBhPD', Description: 'Presentkort', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -500, PricePerItemExVat: -500, VatRate: 0 },
];
type Line = (typeof FIXTURE_LINES)[number];
const item = (l: Line, quantity = l.Quantity) => ({ MerchantReference: l.MerchantReference, Type: l.Type, Quantity: quantity, PricePerItemIncVat: l.PricePerItemIncVat });
const [JACKET, COFFEE, BOOK, JACKET_DISCOUNT, SHIPPING, GIFT_CARD] = FIXTURE_LINES as unknown as [Line, Line, Line, Line, Line, Line];
/** The fixture's successful capture: everything but the coffee (797). */
const CAPTURE_797 = [JACKET, BOOK, JACKET_DISCOUNT, SHIPPING, GIFT_CARD].map((l) => item(l));

/** A fixture error's message with the ids made generic, to compare with ours. */
const shapeOf = (message: string): string =>
  message.replace(/'[^']*'/g, "'…'").replace(/\d+\.\d\d/g, '<price>').replace(/\d{5,}/g, '<id>');

let refCounter = 0;

describe('sandbox: Qliro Admin API and order management', () => {
  let merchant: Merchant;
  let sim: RunningQliroSimulator;
  /** Outcomes held until flushed: "in process" lasts as long as a test needs it. */
  let held: RunningQliroSimulator;
  const simulators: RunningQliroSimulator[] = [];

  async function startSim(options: Partial<QliroSimulatorOptions> = {}): Promise<RunningQliroSimulator> {
    const started = await startQliroSimulator({ port: 0, merchants: [MERCHANT, OTHER], retryDelayScale: 0.001, pushTimeoutMs: 500, ...options });
    simulators.push(started);
    return started;
  }

  async function signed(s: RunningQliroSimulator, method: 'GET' | 'POST', urlPath: string, body?: unknown, as = MERCHANT) {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const response = await fetch(`${s.url}${urlPath}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: qliroAuthorization(raw, as.secret) },
      ...(body === undefined ? {} : { body: raw }),
    });
    const text = await response.text();
    return { status: response.status, text, json: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  async function control(s: RunningQliroSimulator, method: 'GET' | 'POST', urlPath: string, body?: unknown) {
    const response = await fetch(`${s.url}/sandbox${urlPath}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as any) };
  }

  /** A completed Qliro order (Completed, or OnHold) with the OM push URL at the stub merchant. */
  async function completedOrder(
    s: RunningQliroSimulator = sim,
    options: { lines?: readonly Line[]; outcome?: 'Completed' | 'OnHold'; omPush?: boolean } = {},
  ): Promise<{ orderId: number; preauthorizationId: number; merchantReference: string }> {
    const merchantReference = `adm${Date.now().toString(36)}${refCounter++}`;
    const created = await signed(s, 'POST', '/checkout/merchantapi/Orders', {
      MerchantApiKey: MERCHANT.apiKey,
      MerchantReference: merchantReference,
      Currency: 'SEK',
      Country: 'SE',
      Language: 'sv-se',
      MerchantTermsUrl: 'https://shop.example.com/terms',
      MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
      MerchantCheckoutStatusPushUrl: `${merchant.url}/push`,
      ...(options.omPush === false ? {} : { MerchantOrderManagementStatusPushUrl: `${merchant.url}/om?token=t` }),
      OrderItems: options.lines ?? FIXTURE_LINES,
    });
    expect(created.status, created.text).to.equal(201);
    const orderId: number = created.json.OrderId;
    const completed = await s.complete(orderId, { outcome: options.outcome ?? 'Completed' });
    if (!completed.ok || !('paymentTransactionId' in completed.value)) expect.fail(JSON.stringify(completed));
    await s.whenPushesSettled(orderId);
    merchant.reset();
    return { orderId, preauthorizationId: completed.value.paymentTransactionId, merchantReference };
  }

  const ship = (orderId: number, paymentTransactionId: number | null, items: unknown[], extra: Record<string, unknown> = {}) => ({
    MerchantApiKey: MERCHANT.apiKey,
    RequestId: randomUUID(),
    OrderId: orderId,
    Currency: 'SEK',
    Shipments: [{ PaymentTransactionId: paymentTransactionId, OrderItems: items }],
    ...extra,
  });
  const giveBack = (orderId: number, captureId: number, items: unknown[], extra: Record<string, unknown> = {}) => ({
    MerchantApiKey: MERCHANT.apiKey,
    RequestId: randomUUID(),
    OrderId: orderId,
    Currency: 'SEK',
    Returns: [{ PaymentTransactionId: captureId, OrderItems: items, ...extra }],
  });
  const cancelOf = (orderId: number) => ({ MerchantApiKey: MERCHANT.apiKey, RequestId: randomUUID(), OrderId: orderId });

  const post = (s: RunningQliroSimulator, op: 'MarkItemsAsShipped' | 'ReturnItems' | 'cancelOrder', body: unknown, as = MERCHANT) =>
    signed(s, 'POST', `${ADMIN}/${op}`, body, as);
  const ledger = async (s: RunningQliroSimulator, orderId: number) => {
    const answer = await signed(s, 'GET', `${ADMIN}/orders/${orderId}`);
    expect(answer.status, answer.text).to.equal(200);
    return answer.json;
  };
  /** 200 with one transaction in Created; its id. */
  const startedId = (answer: { status: number; text: string; json: any }): number => {
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json.PaymentTransactions).to.have.length(1);
    expect(answer.json.PaymentTransactions[0].Status).to.equal('Created');
    return answer.json.PaymentTransactions[0].PaymentTransactionId;
  };
  const refusal = (answer: { status: number; text: string; json: any }, errorCode: string, status = 400) => {
    expect(answer.status, answer.text).to.equal(status);
    expect(answer.json.ErrorCode, answer.text).to.equal(errorCode);
    expect(answer.json.ErrorReference).to.match(/^[0-9a-f-]{36}$/);
    return answer.json.ErrorMessage as string;
  };
  const actionsOf = (order: any, type: string) =>
    order.OrderItemActions.filter((a: any) => a.ActionType === type).map((a: any) => [a.MerchantReference, a.Quantity, a.PaymentTransactionId]);

  before(async () => {
    merchant = await startMerchant();
    sim = await startSim();
    held = await startSim({ adminOutcomeDelayMs: 60_000 });
  });
  after(async () => {
    await Promise.all(simulators.map((s) => s.close()));
    await merchant.close();
  });
  beforeEach(() => merchant.reset());
  afterEach(async () => {
    held.flushAdminOutcomes();
    await Promise.all(simulators.map((s) => s.idle()));
  });

  describe('the ledger', () => {
    it('replays the fixture order: failed capture, capture, cancel of the rest, refund — same actions and transactions as Qliro’s', async () => {
      const fixture = loadFixture<any>('qliro', 'admin-api', 'get-order.response.with-transactions.norce-order-3.json');
      const { orderId, preauthorizationId } = await completedOrder();

      sim.failNextOutcome(orderId);
      const failed = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      const captured = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      const reversed = startedId(await post(sim, 'cancelOrder', cancelOf(orderId)));
      await sim.whenPushesSettled(orderId);
      const refunded = startedId(await post(sim, 'ReturnItems', giveBack(orderId, captured, [item(BOOK)])));
      await sim.whenPushesSettled(orderId);
      expect([failed, captured, reversed, refunded]).to.deep.equal([1, 2, 3, 4].map((n) => preauthorizationId + n));

      const order = await ledger(sim, orderId);
      expect(Object.keys(order)).to.have.members(Object.keys(fixture));
      expect(Object.keys(order.OrderItemActions[0])).to.have.members(Object.keys(fixture.OrderItemActions[0]));
      expect(Object.keys(order.PaymentTransactions[0])).to.have.members(Object.keys(fixture.PaymentTransactions[0]));

      // Ids aside, the ledger is the fixture's.
      const txIndex = new Map<number, number>(order.PaymentTransactions.map((t: any, i: number) => [t.PaymentTransactionId, i]));
      const fixtureTxIndex = new Map<number, number>(fixture.PaymentTransactions.map((t: any, i: number) => [t.PaymentTransactionId, i]));
      const actionRows = (o: any, index: Map<number, number>) =>
        o.OrderItemActions.map((a: any) => [a.ActionType, a.MerchantReference, a.Description, a.Type, a.Quantity, a.PricePerItemIncVat, a.PricePerItemExVat, a.VatRate, index.get(a.PaymentTransactionId)]);
      expect(actionRows(order, txIndex)).to.deep.equal(actionRows(fixture, fixtureTxIndex));
      const txRows = (o: any, index: Map<number, number>) =>
        o.PaymentTransactions.map((t: any) => [t.Type, t.Status, t.Amount, t.Currency, t.OriginalPaymentTransactionId === null ? null : index.get(t.OriginalPaymentTransactionId), t.PaymentMethodName, t.PaymentMethodSubtypeCode, t.ErrorCode]);
      expect(txRows(order, txIndex)).to.deep.equal(txRows(fixture, fixtureTxIndex));
      expect(order.OrderItemActions.map((a: any) => a.Id)).to.satisfy((ids: number[]) => ids.every((id, i) => i === 0 || id > ids[i - 1]!));
      expect(order.PaymentTransactions.every((t: any) => TIMESTAMP.test(t.Timestamp))).to.equal(true);
    });

    it('answers GetOrder by MerchantReference too, case-insensitive paths, and 404/MERCHANT_MISMATCH like the Merchant API', async () => {
      const { orderId, merchantReference } = await completedOrder();
      expect((await signed(sim, 'GET', `${ADMIN}/orders/${merchantReference}`)).json.OrderId).to.equal(orderId);
      expect((await signed(sim, 'GET', `/CHECKOUT/AdminApi/V2/Orders/${orderId}`)).json.OrderId).to.equal(orderId);
      expect(startedId(await signed(sim, 'POST', '/checkout/adminapi/v2/cancelorder', cancelOf(orderId)))).to.be.a('number');
      refusal(await signed(sim, 'GET', `${ADMIN}/orders/1`), 'ORDER_NOT_FOUND', 404);
      refusal(await signed(sim, 'GET', `${ADMIN}/orders/${orderId}`, undefined, OTHER), 'MERCHANT_MISMATCH');
      refusal(await post(sim, 'cancelOrder', { ...cancelOf(orderId), MerchantApiKey: OTHER.apiKey }, OTHER), 'MERCHANT_MISMATCH');
    });

    it('shows an InProcess order with no transactions and no actions; a capture then finds NO_PAYMENT_TRANSACTION', async () => {
      const created = await signed(sim, 'POST', '/checkout/merchantapi/Orders', {
        MerchantApiKey: MERCHANT.apiKey,
        MerchantReference: `adm${Date.now().toString(36)}${refCounter++}`,
        Currency: 'SEK',
        Country: 'SE',
        Language: 'sv-se',
        MerchantTermsUrl: 'https://shop.example.com/terms',
        MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
        OrderItems: [FIXTURE_LINES[0]],
      });
      const order = await ledger(sim, created.json.OrderId);
      expect([order.OrderItemActions, order.PaymentTransactions]).to.deep.equal([[], []]);
      refusal(await post(sim, 'MarkItemsAsShipped', ship(created.json.OrderId, null, [item(JACKET)])), 'NO_PAYMENT_TRANSACTION');
      expect((await control(sim, 'POST', `/orders/${created.json.OrderId}/reverse`, {})).status).to.equal(409);
    });

    it('takes the order’s Preauthorization when a shipment names none; ids come from the checkout’s counter', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const captureId = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, null, [item(JACKET)])));
      expect(captureId).to.equal(preauthorizationId + 1);
      await sim.whenPushesSettled(orderId);
      const capture = (await signed(sim, 'GET', `${ADMIN}/paymentTransactions/${captureId}`)).json;
      expect([capture.Type, capture.Status, capture.OriginalPaymentTransactionId, capture.Amount]).to.deep.equal(['Capture', 'Success', preauthorizationId, 1299]);
      refusal(await signed(sim, 'GET', `${ADMIN}/paymentTransactions/1`), 'NO_PAYMENT_TRANSACTION', 404);
    });
  });

  describe('refusals', () => {
    it('checks the signature like the Merchant API: 401 for a wrong secret or token, INVALID_INPUT without MerchantApiKey', async () => {
      const { orderId } = await completedOrder();
      const body = JSON.stringify(cancelOf(orderId));
      const wrong = await fetch(`${sim.url}${ADMIN}/cancelOrder`, { method: 'POST', body, headers: { authorization: qliroAuthorization(body, 'wrong') } });
      expect([wrong.status, await wrong.text()]).to.deep.equal([401, '']);
      const unsigned = await fetch(`${sim.url}${ADMIN}/orders/${orderId}`, { headers: { authorization: qliroAuthorization('', 'wrong') } });
      expect(unsigned.status).to.equal(401);
      const { MerchantApiKey: _key, ...keyless } = cancelOf(orderId);
      expect(refusal(await post(sim, 'cancelOrder', keyless), 'INVALID_INPUT')).to.equal('Property: MerchantApiKey, Message: The MerchantApiKey field is required.');
    });

    it('requires a GUID RequestId on every POST (INVALID_INPUT), and checks the fields of items (SYSTEM_ERROR for 3 decimals)', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const { RequestId: _id, ...withoutId } = ship(orderId, preauthorizationId, [item(JACKET)]);
      expect(refusal(await post(sim, 'MarkItemsAsShipped', withoutId), 'INVALID_INPUT')).to.equal('Property: RequestId, Message: The RequestId field is required.');
      refusal(await post(sim, 'cancelOrder', { ...cancelOf(orderId), RequestId: '12345' }), 'INVALID_INPUT');
      refusal(await post(sim, 'ReturnItems', { ...giveBack(orderId, 1, [item(BOOK)]), Returns: [] }), 'INVALID_INPUT');
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [{ ...item(JACKET), Quantity: 0 }])), 'INVALID_INPUT');
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [{ ...item(JACKET), PricePerItemIncVat: 1299.001 }])), 'SYSTEM_ERROR');
      refusal(await post(sim, 'MarkItemsAsShipped', { ...ship(orderId, preauthorizationId, [item(JACKET)]), Currency: 'EUR' }), 'CURRENCY_MISMATCH');
      // Any casing of the property names.
      const camel = { merchantApiKey: MERCHANT.apiKey, requestid: randomUUID(), ORDERID: orderId, currency: 'SEK', shipments: [{ paymentTransactionId: preauthorizationId, orderItems: [{ merchantReference: 'JKT-30112-S', quantity: 1, pricePerItemIncVat: 1299 }] }] };
      startedId(await post(sim, 'MarkItemsAsShipped', camel));
    });

    it('MarkItemsAsShipped: PAYMENT_REFERENCE_IS_INCORRECT, INVALID_ITEM, EXCEEDING_QUANTITY, NO_ITEMS_LEFT_IN_RESERVATION in Qliro’s words', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const fixtureMessage = (name: string) => shapeOf(loadFixture<any>('qliro', 'errors', name).ErrorMessage);

      const noReservation = refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, 3293033, [item(JACKET)])), 'PAYMENT_REFERENCE_IS_INCORRECT');
      expect(noReservation).to.equal('Payment references 3293033 does not connect to a success PreAuthrization or Debit');
      const notInOrder = refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [{ ...item(JACKET), MerchantReference: 'test-update-1', PricePerItemIncVat: 100 }])), 'INVALID_ITEM');
      expect(shapeOf(notInOrder)).to.equal(fixtureMessage('invalid-item.not-in-order.json'));
      expect(notInOrder).to.contain("'test-update-1' and PricePerItemIncludingVat 100.00 in the order");
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(COFFEE, 3)])), 'EXCEEDING_QUANTITY');

      const captureId = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, FIXTURE_LINES.map((l) => item(l)))));
      await sim.whenPushesSettled(orderId);
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, captureId, [item(JACKET)])), 'PAYMENT_REFERENCE_IS_INCORRECT');
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET)])), 'NO_ITEMS_LEFT_IN_RESERVATION');
      refusal(await post(sim, 'cancelOrder', cancelOf(orderId)), 'NO_ITEMS_TO_CANCEL');
    });

    it('ReturnItems: INVALID_PAYMENT_TYPE, INVALID_ITEM of the shipment, EXCEEDING_QUANTITY, INVALID_REQUEST_TOTAL_AMOUNT (fees count)', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const captureId = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      const fixtureMessage = (name: string) => shapeOf(loadFixture<any>('qliro', 'errors', name).ErrorMessage);

      const onPreauthorization = refusal(await post(sim, 'ReturnItems', giveBack(orderId, preauthorizationId, [item(BOOK)])), 'INVALID_PAYMENT_TYPE');
      expect(shapeOf(onPreauthorization)).to.equal(fixtureMessage('invalid-payment-type.expected-capture-got-preauthorization.json'));
      const notShipped = refusal(await post(sim, 'ReturnItems', giveBack(orderId, captureId, [item(COFFEE, 1)])), 'INVALID_ITEM');
      expect(shapeOf(notShipped)).to.equal(fixtureMessage('invalid-item.not-in-shipment.json'));
      refusal(await post(sim, 'ReturnItems', giveBack(orderId, captureId, [item(BOOK, 2)])), 'EXCEEDING_QUANTITY');
      const total = refusal(
        await post(sim, 'ReturnItems', giveBack(orderId, captureId, [item(BOOK)], { Fees: [{ MerchantReference: 'ReturnFee', Description: 'Return fee', PricePerItemIncVat: 200, PricePerItemExVat: 160 }] })),
        'INVALID_REQUEST_TOTAL_AMOUNT',
      );
      expect(total).to.equal("Item prices in the request should add up to a positive total amount in order to proceed. Actual Request Total '-51'");

      const refundId = startedId(
        await post(sim, 'ReturnItems', giveBack(orderId, captureId, [item(BOOK)], { Fees: [{ MerchantReference: 'ReturnFee', PricePerItemIncVat: 29, PricePerItemExVat: 23.2 }] })),
      );
      await sim.whenPushesSettled(orderId);
      const refund = (await signed(sim, 'GET', `${ADMIN}/paymentTransactions/${refundId}`)).json;
      expect([refund.Type, refund.Status, refund.Amount, refund.OriginalPaymentTransactionId]).to.deep.equal(['Refund', 'Success', 120, captureId]);
      const onRefund = refusal(await post(sim, 'ReturnItems', giveBack(orderId, refundId, [item(BOOK)])), 'INVALID_PAYMENT_TYPE');
      expect(shapeOf(onRefund)).to.equal(fixtureMessage('invalid-payment-type.expected-capture-got-refund.json'));
      refusal(await post(sim, 'ReturnItems', giveBack(orderId, captureId, [item(BOOK)])), 'EXCEEDING_QUANTITY');
    });

    it('ORDER_HAS_BEEN_CANCELLED after a cancel (message as the fixture); PAYMENT_ONHOLD while the payment is on hold', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      startedId(await post(sim, 'cancelOrder', cancelOf(orderId)));
      await sim.whenPushesSettled(orderId);
      const fixture = loadFixture<any>('qliro', 'errors', 'order-has-been-cancelled.json').ErrorMessage;
      expect(shapeOf(refusal(await post(sim, 'cancelOrder', cancelOf(orderId)), 'ORDER_HAS_BEEN_CANCELLED'))).to.equal(shapeOf(fixture));
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET)])), 'ORDER_HAS_BEEN_CANCELLED');

      const onHold = await completedOrder(sim, { outcome: 'OnHold' });
      refusal(await post(sim, 'MarkItemsAsShipped', ship(onHold.orderId, onHold.preauthorizationId, [item(JACKET)])), 'PAYMENT_ONHOLD');
      refusal(await post(sim, 'MarkItemsAsShipped', ship(onHold.orderId, null, [item(JACKET)])), 'PAYMENT_ONHOLD');
      refusal(await post(sim, 'cancelOrder', cancelOf(onHold.orderId)), 'PAYMENT_ONHOLD');
      expect(sim.resolve(onHold.orderId, { outcome: 'Completed' }).ok).to.equal(true);
      await sim.whenPushesSettled(onHold.orderId);
      startedId(await post(sim, 'MarkItemsAsShipped', ship(onHold.orderId, onHold.preauthorizationId, [item(JACKET)])));
    });

    it('OPERATION_NOT_SUPPORTED while another transaction is in process, for every write, until its outcome', async () => {
      const { orderId, preauthorizationId } = await completedOrder(held);
      const captureId = startedId(await post(held, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET), item(JACKET_DISCOUNT)])));
      expect(held.pendingAdminOutcomes(orderId)).to.equal(1);
      const fixture = loadFixture<any>('qliro', 'errors', 'operation-not-supported.transaction-in-process.json').ErrorMessage;
      expect(refusal(await post(held, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(BOOK)])), 'OPERATION_NOT_SUPPORTED')).to.equal(fixture);
      expect(refusal(await post(held, 'cancelOrder', cancelOf(orderId)), 'OPERATION_NOT_SUPPORTED')).to.equal(fixture);
      expect(refusal(await post(held, 'ReturnItems', giveBack(orderId, captureId, [item(JACKET)])), 'OPERATION_NOT_SUPPORTED')).to.equal(fixture);
      expect((await ledger(held, orderId)).PaymentTransactions.map((t: any) => t.Status)).to.deep.equal(['Success', 'Created']);

      expect((await control(held, 'POST', `/orders/${orderId}/flush-outcomes`)).json).to.deep.equal({ orderId, flushed: 1 });
      await held.whenPushesSettled(orderId);
      startedId(await post(held, 'ReturnItems', giveBack(orderId, captureId, [item(JACKET)])));
      expect(held.flushAdminOutcomes(orderId)).to.equal(1);
    });
  });

  describe('RequestId', () => {
    it('denies a reused RequestId of the same merchant (any letter case) with 400 OPERATION_NOT_SUPPORTED, and starts nothing', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const first = ship(orderId, preauthorizationId, [item(JACKET)]);
      startedId(await post(sim, 'MarkItemsAsShipped', first));
      await sim.whenPushesSettled(orderId);
      const again = { ...ship(orderId, preauthorizationId, [item(BOOK)]), RequestId: first.RequestId.toUpperCase() };
      expect(refusal(await post(sim, 'MarkItemsAsShipped', again), 'OPERATION_NOT_SUPPORTED')).to.equal(
        'Evaluation, A request with the same RequestId has already been received',
      );
      // Also on another operation: the guard is per merchant, not per endpoint.
      refusal(await post(sim, 'cancelOrder', { ...cancelOf(orderId), RequestId: first.RequestId }), 'OPERATION_NOT_SUPPORTED');
      expect((await ledger(sim, orderId)).PaymentTransactions).to.have.length(2);
    });

    it('remembers RequestIds per merchant, only of accepted requests, and forgets them on reset', async () => {
      const s = await startSim();
      const { orderId, preauthorizationId } = await completedOrder(s);
      const requestId = randomUUID();
      refusal(await post(s, 'MarkItemsAsShipped', { ...ship(orderId, preauthorizationId, [item(COFFEE, 9)]), RequestId: requestId }), 'EXCEEDING_QUANTITY');
      startedId(await post(s, 'MarkItemsAsShipped', { ...ship(orderId, preauthorizationId, [item(JACKET)]), RequestId: requestId }));
      // Another merchant may use the same GUID (its own order is what it is refused for, not the RequestId).
      refusal(await post(s, 'cancelOrder', { ...cancelOf(orderId), MerchantApiKey: OTHER.apiKey, RequestId: requestId }, OTHER), 'MERCHANT_MISMATCH');
      await s.whenPushesSettled(orderId);
      s.reset();
      refusal(await post(s, 'cancelOrder', { ...cancelOf(orderId), RequestId: requestId }), 'ORDER_NOT_FOUND', 404);
    });

    it('answers a reuse as configured (requestIdReuse), and can remember refused requests too', async () => {
      const s = await startSim({ requestIdReuse: { status: 409, ErrorCode: 'DUPLICATE_REQUEST', ErrorMessage: 'Duplicate', rememberRefused: true } });
      const { orderId, preauthorizationId } = await completedOrder(s);
      const requestId = randomUUID();
      refusal(await post(s, 'MarkItemsAsShipped', { ...ship(orderId, preauthorizationId, [item(COFFEE, 9)]), RequestId: requestId }), 'EXCEEDING_QUANTITY');
      expect(refusal(await post(s, 'MarkItemsAsShipped', { ...ship(orderId, preauthorizationId, [item(JACKET)]), RequestId: requestId }), 'DUPLICATE_REQUEST', 409)).to.equal('Duplicate');
    });
  });

  describe('outcomes and order-management pushes', () => {
    it('moves a Created capture to Success after a moment, then pushes Qliro’s OM body to MerchantOrderManagementStatusPushUrl', async () => {
      const fixture = loadFixture<any>('qliro', 'callbacks', 'om-status-push.capture-success.norce-order-3.json');
      const { orderId, preauthorizationId, merchantReference } = await completedOrder();
      const captureId = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      expect(sim.pendingAdminOutcomes(orderId)).to.equal(1);
      await sim.whenPushesSettled(orderId);

      const pushes = merchant.received('/om');
      expect(pushes).to.have.length(1);
      const push = pushes[0]!.body;
      expect(Object.keys(push)).to.deep.equal(Object.keys(fixture));
      expect(push).to.deep.include({
        OrderId: orderId,
        MerchantReference: merchantReference,
        PaymentTransactionId: captureId,
        OriginalPaymentTransactionId: preauthorizationId,
        PaymentReference: null,
        PaymentType: 'Capture',
        Status: 'Success',
        Amount: 797,
        Currency: 'SEK',
        ErrorCode: null,
        ErrorCodeDescription: null,
      });
      expect(push.Timestamp).to.match(TIMESTAMP);
      const transaction = (await signed(sim, 'GET', `${ADMIN}/paymentTransactions/${captureId}`)).json;
      expect(transaction.Timestamp).to.equal(push.Timestamp);
      expect(actionsOf(await ledger(sim, orderId), 'Ship')).to.have.length(5);
      expect(merchant.received('/push')).to.deep.equal([]);
      expect(sim.orderManagementPushesOf(orderId).map((a) => [a.paymentTransactionId, a.paymentType, a.status, a.attempt, a.outcome])).to.deep.equal([
        [captureId, 'Capture', 'Success', 1, 'delivered'],
      ]);
      expect(sim.pushesOf(orderId).every((a) => a.status !== 'Success')).to.equal(true);
    });

    it('retries an OM push until the merchant answers 200 received (compressed delays)', async () => {
      const { orderId } = await completedOrder();
      merchant.on('/om', (nth) => (nth === 1 ? { status: 500 } : nth === 2 ? { status: 200, body: { CallbackResponse: 'later' } } : { status: 200, body: { callbackResponse: 'received' } }));
      startedId(await post(sim, 'cancelOrder', cancelOf(orderId)));
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om').map((h) => [h.body.PaymentType, h.body.Status, h.body.Amount])).to.deep.equal([
        ['Reversal', 'Success', 976.8],
        ['Reversal', 'Success', 976.8],
        ['Reversal', 'Success', 976.8],
      ]);
      const attempts = (await control(sim, 'GET', `/orders/${orderId}/om-pushes`)).json;
      expect(attempts.map((a: any) => [a.attempt, a.httpStatus, a.outcome])).to.deep.equal([
        [1, 500, 'failed'],
        [2, 200, 'failed'],
        [3, 200, 'delivered'],
      ]);
      expect(actionsOf(await ledger(sim, orderId), 'Release')).to.have.length(FIXTURE_LINES.length);
    });

    it('an Error outcome (failNextOutcome over HTTP, with codes) applies nothing and pushes Status Error', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      expect((await control(sim, 'POST', `/orders/${orderId}/fail-next-outcome`, { type: 'Refund' })).status).to.equal(200);
      expect((await control(sim, 'POST', `/orders/${orderId}/fail-next-outcome`, { type: 'Capture', errorCode: 'PSP_ERROR', errorDescription: 'Declined by the bank' })).status).to.equal(200);
      expect((await control(sim, 'POST', `/orders/${orderId}/fail-next-outcome`, { type: 'Debit' })).status).to.equal(400);

      const failed = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      const push = merchant.received('/om')[0]!.body;
      expect([push.PaymentTransactionId, push.PaymentType, push.Status, push.ErrorCode, push.ErrorCodeDescription]).to.deep.equal([failed, 'Capture', 'Error', 'PSP_ERROR', 'Declined by the bank']);
      const order = await ledger(sim, orderId);
      expect(actionsOf(order, 'Ship')).to.deep.equal([]);
      expect(order.PaymentTransactions[1]).to.deep.include({ Status: 'Error', ErrorCode: 'PSP_ERROR' });

      // The Refund fault is still queued: the next capture succeeds, the refund after it fails.
      const captured = startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      startedId(await post(sim, 'ReturnItems', giveBack(orderId, captured, [item(BOOK)])));
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om').map((h) => [h.body.PaymentType, h.body.Status])).to.deep.equal([
        ['Capture', 'Error'],
        ['Capture', 'Success'],
        ['Refund', 'Error'],
      ]);
      expect(actionsOf(await ledger(sim, orderId), 'Return')).to.deep.equal([]);
    });

    it('OM pushes take their own faults: duplicates and drops (HTTP kind, dropNextPush); checkout-push faults stay for checkout pushes', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      expect((await control(sim, 'POST', '/push-faults', { orderId, kind: 'OrderManagementStatus', duplicates: 2 })).status).to.equal(204);
      expect((await control(sim, 'POST', '/push-faults', { orderId, kind: 'Nope' })).status).to.equal(400);
      sim.faultNextPush(orderId, { drop: true }); // a checkout-push fault: not for OM pushes
      startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET), item(JACKET_DISCOUNT)])));
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om')).to.have.length(3);
      expect(new Set(merchant.received('/om').map((h) => JSON.stringify(h.body))).size).to.equal(1);

      sim.dropNextPush(orderId);
      startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(BOOK)])));
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om')).to.have.length(3);
      expect(sim.orderManagementPushesOf(orderId).at(-1)).to.deep.include({ attempt: 0, outcome: 'dropped', paymentType: 'Capture' });
      // Dropped push, but the outcome happened: the ledger is the truth.
      expect(actionsOf(await ledger(sim, orderId), 'Ship').map((a: any[]) => a[0])).to.include('BOK-0042');
    });

    it('delivers nothing without an OM push URL, and outcomes still happen (adminOutcomeDelayMs 0 allowed)', async () => {
      const s = await startSim({ adminOutcomeDelayMs: 0 });
      const { orderId, preauthorizationId } = await completedOrder(s, { omPush: false });
      startedId(await post(s, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await s.whenPushesSettled(orderId);
      expect((await ledger(s, orderId)).PaymentTransactions.map((t: any) => t.Status)).to.deep.equal(['Success', 'Success']);
      expect(merchant.received('/om')).to.deep.equal([]);
      expect(s.orderManagementPushesOf(orderId)).to.deep.equal([]);
    });
  });

  describe('reversals Qliro makes on its own', () => {
    it('records a Success Reversal the merchant did not ask for, pushes it, releases nothing: the items stay capturable', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const reversed = await control(sim, 'POST', `/orders/${orderId}/reverse`, { amount: 50 });
      expect(reversed.status).to.equal(200);
      expect(reversed.json).to.deep.equal({ orderId, paymentTransactionId: preauthorizationId + 1, amount: 50 });
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om').map((h) => [h.body.PaymentTransactionId, h.body.PaymentType, h.body.Status, h.body.Amount, h.body.OriginalPaymentTransactionId])).to.deep.equal([
        [preauthorizationId + 1, 'Reversal', 'Success', 50, preauthorizationId],
      ]);
      const order = await ledger(sim, orderId);
      expect(actionsOf(order, 'Release')).to.deep.equal([]);
      startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, FIXTURE_LINES.map((l) => item(l)))));
    });

    it('defaults the amount to what is reserved and unshipped, and refuses bad amounts', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      startedId(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, CAPTURE_797)));
      await sim.whenPushesSettled(orderId);
      const answer = sim.reverse(orderId);
      expect(answer.ok && answer.value.amount).to.equal(179.8);
      expect(sim.reverse(orderId, 12.5).ok).to.equal(true);
      expect((await control(sim, 'POST', `/orders/${orderId}/reverse`, { amount: -1 })).status).to.equal(400);
      expect((await control(sim, 'POST', '/orders/1/reverse', {})).status).to.equal(404);
      await sim.whenPushesSettled(orderId);
      expect(merchant.received('/om').map((h) => [h.body.PaymentType, h.body.Amount])).to.deep.equal([
        ['Capture', 797],
        ['Reversal', 179.8],
        ['Reversal', 12.5],
      ]);
      expect(actionsOf(await ledger(sim, orderId), 'Release')).to.deep.equal([]);
      // Not a cancel: the coffee can still be captured or cancelled.
      startedId(await post(sim, 'cancelOrder', cancelOf(orderId)));
    });
  });

  describe('controls', () => {
    it('injects failures into Admin operations (failNext op), over HTTP too, and nothing is started', async () => {
      const { orderId, preauthorizationId } = await completedOrder();
      const seen = sim.store.requests.length;
      expect((await control(sim, 'POST', '/fail-next', { op: 'markItemsAsShipped', status: 500 })).status).to.equal(204);
      refusal(await post(sim, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET)])), 'SYSTEM_ERROR', 500);
      sim.failNext({ op: 'adminGetOrder', status: 503, body: '' });
      expect((await signed(sim, 'GET', `${ADMIN}/orders/${orderId}`)).status).to.equal(503);
      sim.failNext({ op: 'returnItems', status: 400, body: { ErrorCode: 'NO_QUALIFIED_ITEMS_TO_MANAGE', ErrorMessage: 'custom' } });
      expect(refusal(await post(sim, 'ReturnItems', giveBack(orderId, 1, [item(BOOK)])), 'NO_QUALIFIED_ITEMS_TO_MANAGE')).to.equal('custom');
      sim.failNext({ op: 'getPaymentTransaction', status: 404 });
      refusal(await signed(sim, 'GET', `${ADMIN}/paymentTransactions/${preauthorizationId}`), 'ORDER_NOT_FOUND', 404);
      expect((await control(sim, 'POST', '/fail-next', { op: 'cancelOrder', delayMs: 1 })).status).to.equal(204);
      startedId(await post(sim, 'cancelOrder', cancelOf(orderId)));
      expect((await ledger(sim, orderId)).PaymentTransactions).to.have.length(2);
      expect(sim.store.requests.slice(seen).filter((r) => r.op === 'markItemsAsShipped').map((r) => r.status)).to.deep.equal([500]);
    });

    it('shows the ledger under /sandbox/orders/{id}/ledger and the item actions in process', async () => {
      const { orderId } = await completedOrder();
      const view = (await control(sim, 'GET', `/orders/${orderId}/ledger`)).json;
      expect(view.OrderItemActions.map((a: any) => a.ActionType)).to.deep.equal(FIXTURE_LINES.map(() => 'Reserve'));
      expect(sim.itemActionsOf(orderId)).to.deep.equal(view.OrderItemActions);
      expect(sim.adminOrder(orderId)).to.deep.equal(view);
      expect((await control(sim, 'POST', '/orders/1/fail-next-outcome', {})).status).to.equal(404);
    });

    it('close() with outcomes still held ends without waiting for them', async () => {
      const s = await startSim({ adminOutcomeDelayMs: 60_000 });
      const { orderId, preauthorizationId } = await completedOrder(s);
      startedId(await post(s, 'MarkItemsAsShipped', ship(orderId, preauthorizationId, [item(JACKET)])));
      expect(s.pendingAdminOutcomes()).to.equal(1);
      await s.whenPushesSettled(orderId); // held beyond the horizon: settled for now
      await s.close();
      expect(s.pendingAdminOutcomes()).to.equal(0);
    });
  });
});
