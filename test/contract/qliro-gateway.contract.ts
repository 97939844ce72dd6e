// What every QliroGateway must do alike — run against the in-memory fake and the HTTP adapter + Qliro simulator.
import { expect } from 'chai';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import type { QliroGateway } from '../../src/application/ports/qliro-gateway';
import type { AdapterError } from '../../src/domain/errors';
import type { QliroCreateOrderRequest, QliroCredentials, QliroOrderLine } from '../../src/domain/qliro-order';
import { isOrderAlreadyExists } from '../../src/adapters/qliro/http-qliro-gateway';

export interface QliroGatewayContractSubject {
  readonly gateway: QliroGateway;
  readonly credentials: QliroCredentials;
  teardown(): Promise<void>;
  /** Moves orders along as the customer would; the tests that need them are skipped without. */
  readonly controls?: {
    setStatus(orderId: number, status: string): Promise<void> | void;
    expire(orderId: number): Promise<void> | void;
  };
}

let counter = 0;
/** A MerchantReference no earlier test run used (≤ 25 chars, [A-Za-z0-9_-]). */
export const uniqueMerchantReference = (): string =>
  `c${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const line = (overrides: Partial<QliroOrderLine> = {}): QliroOrderLine => ({
  MerchantReference: 'SKU-1',
  Description: 'Test product',
  Type: 'Product',
  Quantity: 1,
  PricePerItemIncVat: 125,
  PricePerItemExVat: 100,
  VatRate: 25,
  ...overrides,
});

/** Amounts chosen so that a float sum would drift: 3 × 19.99 + 3 × 0.1 − 10 + 49 = 99.27. */
const CART: readonly QliroOrderLine[] = [
  line({ MerchantReference: 'SKU-1', Quantity: 3, PricePerItemIncVat: 19.99, PricePerItemExVat: 15.99 }),
  line({ MerchantReference: 'SKU-2', Description: 'Sticker', Quantity: 3, PricePerItemIncVat: 0.1, PricePerItemExVat: 0.08 }),
  line({ MerchantReference: 'PROMO10', Description: 'Promotion', Type: 'Discount', PricePerItemIncVat: -10, PricePerItemExVat: -8 }),
  line({ MerchantReference: 'SHIP-1', Description: 'Home delivery', Type: 'Shipping', PricePerItemIncVat: 49, PricePerItemExVat: 39.2 }),
];
const CART_TOTAL = 99.27;

const createRequest = (overrides: Partial<QliroCreateOrderRequest> = {}): QliroCreateOrderRequest => ({
  MerchantReference: uniqueMerchantReference(),
  Currency: 'SEK',
  Country: 'SE',
  Language: 'sv-se',
  MerchantTermsUrl: 'https://shop.example.com/terms',
  MerchantConfirmationUrl: 'https://shop.example.com/confirmation?order=1',
  MerchantCheckoutStatusPushUrl: 'https://adapter.example.com/push?token=t',
  MerchantOrderManagementStatusPushUrl: 'https://adapter.example.com/om?token=t',
  MerchantOrderValidationUrl: 'https://adapter.example.com/validate?token=t',
  OrderItems: CART,
  ...overrides,
});

/** The fields of a line Qliro gives back (GetOrder carries no VatRate of its own). */
const comparable = (l: QliroOrderLine) => ({
  MerchantReference: l.MerchantReference,
  Description: l.Description,
  Type: l.Type,
  Quantity: l.Quantity,
  PricePerItemIncVat: l.PricePerItemIncVat,
  PricePerItemExVat: l.PricePerItemExVat,
});

function expectRight<A>(result: Either<AdapterError, A>): A {
  if (isLeft(result)) expect.fail(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

function expectLeft<A>(result: Either<AdapterError, A>): AdapterError {
  if (isRight(result)) expect.fail('expected an AdapterError, got success');
  return result.left;
}

export function describeQliroGatewayContract(name: string, setup: () => Promise<QliroGatewayContractSubject>): void {
  describe(`QliroGateway contract: ${name}`, () => {
    let subject: QliroGatewayContractSubject;
    let gateway: QliroGateway;
    let credentials: QliroCredentials;

    before(async () => {
      subject = await setup();
      ({ gateway, credentials } = subject);
    });
    after(async () => {
      await subject?.teardown();
    });

    const create = async (overrides: Partial<QliroCreateOrderRequest> = {}) =>
      expectRight(await gateway.createOrder(credentials, createRequest(overrides))()).OrderId;

    it('creates an order and reads it back InProcess with its lines, market and a snippet naming it', async () => {
      const request = createRequest();
      const { OrderId } = expectRight(await gateway.createOrder(credentials, request)());
      expect(Number.isSafeInteger(OrderId) && OrderId > 0).to.equal(true);

      const order = expectRight(await gateway.getOrder(credentials, OrderId)());
      expect(order.OrderId).to.equal(OrderId);
      expect(order.MerchantReference).to.equal(request.MerchantReference);
      expect(order.CustomerCheckoutStatus).to.equal('InProcess');
      expect([order.Currency, order.Country, order.Language]).to.deep.equal(['SEK', 'SE', 'sv-se']);
      expect(order.OrderItems.map(comparable)).to.deep.equal(CART.map(comparable));
      expect(order.OrderHtmlSnippet).to.contain('qliro-root').and.to.contain(String(OrderId));
    });

    it('totals the order exactly: TotalPrice = Σ PricePerItemIncVat × Quantity', async () => {
      const order = expectRight(await gateway.getOrder(credentials, await create())());
      expect(order.TotalPrice).to.equal(CART_TOTAL);
    });

    it('gives every order line a VatRate', async () => {
      const order = expectRight(await gateway.getOrder(credentials, await create())());
      for (const l of order.OrderItems) expect(l.VatRate).to.be.a('number');
      expect(order.OrderItems[0]!.VatRate).to.be.closeTo(25, 0.05);
    });

    it('replaces all lines on update and re-totals', async () => {
      const orderId = await create();
      const replacement = [line({ MerchantReference: 'SKU-9', Quantity: 2, PricePerItemIncVat: 333.33, PricePerItemExVat: 266.66 })];
      expectRight(await gateway.updateOrder(credentials, orderId, { OrderItems: replacement })());

      const order = expectRight(await gateway.getOrder(credentials, orderId)());
      expect(order.OrderItems.map(comparable)).to.deep.equal(replacement.map(comparable));
      expect(order.TotalPrice).to.equal(666.66);
      expect(order.CustomerCheckoutStatus).to.equal('InProcess');
    });

    it('refuses a second order with the same MerchantReference (ORDER_ALREADY_EXISTS, not transient)', async () => {
      const request = createRequest();
      expectRight(await gateway.createOrder(credentials, request)());
      const error = expectLeft(await gateway.createOrder(credentials, { ...request, OrderItems: [line()] })());
      expect(isOrderAlreadyExists(error)).to.equal(true);
      expect(error.code).to.equal('qliro-bad-request');
      expect(error.transient ?? false).to.equal(false);
    });

    it('does not reserve a MerchantReference for a refused create', async () => {
      const request = createRequest();
      const refused = expectLeft(await gateway.createOrder(credentials, { ...request, OrderItems: [line({ PricePerItemIncVat: 1.005 })] })());
      expect(refused.code).to.equal('qliro-validation');
      expectRight(await gateway.createOrder(credentials, request)());
    });

    it('answers qliro-order-not-found for an unknown OrderId, on get and on update', async () => {
      const unknown = 999999999;
      expect(expectLeft(await gateway.getOrder(credentials, unknown)()).code).to.equal('qliro-order-not-found');
      expect(expectLeft(await gateway.updateOrder(credentials, unknown, { OrderItems: [line()] })()).code).to.equal(
        'qliro-order-not-found',
      );
    });

    it('refuses amounts with more than two decimals as qliro-validation (SYSTEM_ERROR), VatRate included', async () => {
      for (const bad of [{ PricePerItemIncVat: 10.005 }, { PricePerItemExVat: 0.1 + 0.2 }, { VatRate: 24.137931034483 }]) {
        const error = expectLeft(await gateway.createOrder(credentials, createRequest({ OrderItems: [line(bad)] }))());
        expect(error.code).to.equal('qliro-validation');
        expect(error.qliroError?.ErrorCode).to.equal('SYSTEM_ERROR');
      }
    });

    it('refuses a positive Discount and a negative Product as qliro-validation (INVALID_INPUT)', async () => {
      for (const bad of [
        line({ Type: 'Discount', PricePerItemIncVat: 10, PricePerItemExVat: 8 }),
        line({ Type: 'Product', PricePerItemIncVat: -10, PricePerItemExVat: -8 }),
        line({ PricePerItemIncVat: 80, PricePerItemExVat: 100 }),
        line({ Quantity: 0 }),
      ]) {
        const error = expectLeft(await gateway.createOrder(credentials, createRequest({ OrderItems: [bad] }))());
        expect(error.code).to.equal('qliro-validation');
        expect(error.qliroError?.ErrorCode).to.equal('INVALID_INPUT');
      }
    });

    it('refuses an invalid MerchantReference as qliro-validation', async () => {
      const error = expectLeft(await gateway.createOrder(credentials, createRequest({ MerchantReference: 'has space' }))());
      expect(error.code).to.equal('qliro-validation');
    });

    it('refuses a market the merchant has no payment method for (PAYMENT_METHOD_NOT_CONFIGURED)', async () => {
      const error = expectLeft(await gateway.createOrder(credentials, createRequest({ Currency: 'USD', Country: 'US' }))());
      expect(error.code).to.equal('qliro-bad-request');
      expect(error.qliroError?.ErrorCode).to.equal('PAYMENT_METHOD_NOT_CONFIGURED');
    });

    it('refuses an update with an invalid line and keeps the lines it had', async () => {
      const orderId = await create();
      const error = expectLeft(await gateway.updateOrder(credentials, orderId, { OrderItems: [line({ Quantity: 1.5 })] })());
      expect(error.code).to.equal('qliro-validation');
      const order = expectRight(await gateway.getOrder(credentials, orderId)());
      expect(order.TotalPrice).to.equal(CART_TOTAL);
    });

    it('reports a status change and refuses updates once the order left InProcess', async function () {
      if (!subject.controls) this.skip();
      const orderId = await create();
      await subject.controls!.setStatus(orderId, 'Completed');
      expect(expectRight(await gateway.getOrder(credentials, orderId)()).CustomerCheckoutStatus).to.equal('Completed');
      const error = expectLeft(await gateway.updateOrder(credentials, orderId, { OrderItems: [line()] })());
      expect(error.code).to.equal('qliro-bad-request');
      expect(error.transient ?? false).to.equal(false);
    });

    it('maps ORDER_EXPIRED on update to qliro-order-expired', async function () {
      if (!subject.controls) this.skip();
      const orderId = await create();
      await subject.controls!.expire(orderId);
      const error = expectLeft(await gateway.updateOrder(credentials, orderId, { OrderItems: [line()] })());
      expect(error.code).to.equal('qliro-order-expired');
      expect(error.qliroError?.ErrorCode).to.equal('ORDER_EXPIRED');
    });
  });
}
