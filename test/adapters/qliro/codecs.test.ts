import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import {
  QliroCreateOrderResponseCodec,
  QliroErrorBodyCodec,
  QliroGetOrderResponseCodec,
  decodeWith,
  toPascalCaseKeys,
} from '../../../src/adapters/qliro/codecs';

const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/qliro');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const jsonFiles = (dir: string, include: (name: string) => boolean): string[] =>
  fs.readdirSync(dir).filter((n) => n.endsWith('.json') && include(n)).map((n) => path.join(dir, n));

function right<A>(result: Either<string, A>): A {
  if (isLeft(result)) expect.fail(`expected to decode, got: ${result.left}`);
  return result.right;
}

describe('Qliro codecs', () => {
  const merchantApi = path.join(FIXTURES, 'merchant-api');
  const getOrderFixtures = jsonFiles(merchantApi, (n) => n.startsWith('get-order.response'));
  const createOrderFixtures = jsonFiles(merchantApi, (n) => n.startsWith('create-order.response'));
  const errorFixtures = jsonFiles(path.join(FIXTURES, 'errors'), () => true);

  it('finds the fixtures', () => {
    expect(getOrderFixtures.length).to.be.at.least(4);
    expect(createOrderFixtures.length).to.be.at.least(2);
    expect(errorFixtures.length).to.be.at.least(14);
    // every *response* fixture of the Merchant API is covered by one of the two lists
    expect(jsonFiles(merchantApi, (n) => n.includes('response')).length).to.equal(getOrderFixtures.length + createOrderFixtures.length);
  });

  describe('CreateOrder response', () => {
    for (const file of createOrderFixtures) {
      it(`decodes ${path.basename(file)}`, () => {
        const decoded = right(decodeWith(QliroCreateOrderResponseCodec, readJson(file)));
        expect(decoded.OrderId).to.be.a('number').and.to.be.greaterThan(0);
      });
    }

    it('keeps a PaymentLink, tolerates a null one and camelCase names', () => {
      expect(right(decodeWith(QliroCreateOrderResponseCodec, { OrderId: 1, PaymentLink: 'https://x/p' }))).to.deep.equal({
        OrderId: 1,
        PaymentLink: 'https://x/p',
      });
      expect(right(decodeWith(QliroCreateOrderResponseCodec, { orderId: '42', paymentLink: null }))).to.deep.equal({ OrderId: 42 });
    });

    it('refuses a body without a usable OrderId', () => {
      for (const bad of [{}, { OrderId: 0 }, { OrderId: 'abc' }, { OrderId: 1.5 }, null, 'x']) {
        expect(isLeft(decodeWith(QliroCreateOrderResponseCodec, bad)), JSON.stringify(bad)).to.equal(true);
      }
    });
  });

  describe('GetOrder response', () => {
    for (const file of getOrderFixtures) {
      it(`decodes ${path.basename(file)} into a QliroOrder`, () => {
        const order = right(decodeWith(QliroGetOrderResponseCodec, readJson(file)));
        expect(order.OrderId).to.be.a('number');
        expect(order.MerchantReference).to.be.a('string').and.not.equal('');
        expect(order.CustomerCheckoutStatus).to.be.a('string');
        expect(order.OrderHtmlSnippet).to.be.a('string').and.not.equal('');
        expect(order.OrderItems).to.be.an('array');
        for (const l of order.OrderItems) {
          expect(l.VatRate).to.be.a('number');
          expect(l.Description).to.be.a('string');
        }
      });
    }

    it('reads the camelCase answer of Qliro’s test environment like a PascalCase one', () => {
      const order = right(decodeWith(QliroGetOrderResponseCodec, readJson(path.join(merchantApi, 'get-order.response.inprocess.test-env-camelcase.json'))));
      expect(order.OrderId).to.equal(3157659);
      expect(order.MerchantReference).to.equal('HATS-5b50-322a-0506-d36a');
      expect(order.CustomerCheckoutStatus).to.equal('InProcess');
      expect(order.OrderHtmlSnippet).to.match(/^<script type="text\/javascript">/).and.to.contain('qliro-root');
      expect(order.IdentityVerification).to.deep.equal({ RequireIdentityVerification: true });
      expect(order.TotalPrice).to.equal(0);
      expect(order.OrderItems).to.deep.equal([]);
    });

    it('decodes the completed order with customer, addresses, payment method and lines', () => {
      const order = right(decodeWith(QliroGetOrderResponseCodec, readJson(path.join(merchantApi, 'get-order.response.completed.norce-order-3.json'))));
      expect(order.CustomerCheckoutStatus).to.equal('Completed');
      expect(order.TotalPrice).to.equal(976.8);
      expect(order.Customer?.PersonalNumber).to.equal('790625-5307');
      expect(order.BillingAddress?.City).to.equal('Stockholm');
      expect(order.PaymentMethod).to.deep.equal({ PaymentMethodName: 'QLIRO_INVOICE', PaymentTypeCode: 'INVOICE' });
      expect(order.OrderItems).to.have.length(6);
      expect(order.OrderItems[1]).to.deep.include({ MerchantReference: 'KAF-0500', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, VatRate: 12 });
      expect(order.OrderItems[3]).to.deep.include({ Type: 'Discount', PricePerItemIncVat: -200, VatRate: 25 });
      expect(order.OrderItems[5]).to.deep.include({ Type: 'Discount', VatRate: 0 });
    });

    it('keeps a masked address (only a postcode) and a null customer', () => {
      const order = right(decodeWith(QliroGetOrderResponseCodec, readJson(path.join(merchantApi, 'get-order.response.inprocess.norce-order-3.json'))));
      expect(order.Customer).to.equal(null);
      expect(order.ShippingAddress).to.deep.equal({ PostalCode: '11122' });
    });

    it('is lenient with what Qliro leaves out or nulls, and fills defaults', () => {
      const order = right(
        decodeWith(QliroGetOrderResponseCodec, {
          OrderId: 7,
          MerchantReference: 'R',
          Currency: 'SEK',
          Country: 'SE',
          CustomerCheckoutStatus: 'SomethingNew',
          Language: null,
          TotalPrice: null,
          OrderHtmlSnippet: null,
          OrderItems: [
            { MerchantReference: 'A', Quantity: 2, PricePerItemIncVat: '10.50', Type: null, Description: null, Metadata: null },
            { MerchantReference: 'B', Quantity: 1, PricePerItemIncVat: 5, PricePerItemExVat: 4, Type: 'fee', VatRate: '25.00' },
            { MerchantReference: 'C', Quantity: 1, PricePerItemIncVat: 1, Type: 'GiftWrap' },
          ],
        }),
      );
      expect(order.CustomerCheckoutStatus).to.equal('SomethingNew');
      expect(order).not.to.have.property('Language');
      expect(order.TotalPrice).to.equal(27);
      expect(order.OrderHtmlSnippet).to.equal('');
      expect(order.OrderItems[0]).to.deep.equal({
        MerchantReference: 'A',
        Description: '',
        Type: 'Product',
        Quantity: 2,
        PricePerItemIncVat: 10.5,
        PricePerItemExVat: 10.5,
        VatRate: 0,
      });
      expect(order.OrderItems[1]).to.deep.include({ Type: 'Fee', VatRate: 25 });
      expect(order.OrderItems[2]!.Type).to.equal('GiftWrap');
    });

    it('keeps the merchant’s own MerchantData keys untouched while normalising Qliro’s', () => {
      const order = right(
        decodeWith(QliroGetOrderResponseCodec, {
          orderId: 1, merchantReference: 'R', currency: 'SEK', country: 'SE', customerCheckoutStatus: 'InProcess',
          orderItems: [{ merchantReference: 'A', quantity: 1, pricePerItemIncVat: 1, metadata: { shippingMethodMerchantReference: 'x', merchantData: { myKey: 1 } } }],
        }),
      );
      expect(order.OrderItems[0]!.Metadata).to.deep.equal({ ShippingMethodMerchantReference: 'x', MerchantData: { myKey: 1 } });
    });

    it('refuses an order without its identity or status, naming paths but never values', () => {
      const result = decodeWith(QliroGetOrderResponseCodec, {
        MerchantReference: 'R',
        Currency: 'SEK',
        Country: 'SE',
        Customer: { Email: 'person@example.com', PersonalNumber: 12345 },
        OrderItems: [{ MerchantReference: 'A', Quantity: 'many', PricePerItemIncVat: 1 }],
      });
      expect(isLeft(result)).to.equal(true);
      const message = isLeft(result) ? result.left : '';
      expect(message).to.contain('OrderId').and.to.contain('CustomerCheckoutStatus');
      expect(message).not.to.contain('person@example.com');
      expect(message).not.to.contain('many');
      expect(message).not.to.contain('12345');
    });

    it('names the failing array element path', () => {
      const result = decodeWith(QliroGetOrderResponseCodec, {
        OrderId: 1, MerchantReference: 'R', Currency: 'SEK', Country: 'SE', CustomerCheckoutStatus: 'InProcess',
        OrderItems: [{ MerchantReference: 'A', Quantity: 1, PricePerItemIncVat: 1 }, { MerchantReference: 'B', Quantity: 'x', PricePerItemIncVat: 1 }],
      });
      expect(isLeft(result) ? result.left : '').to.contain('OrderItems.1.Quantity');
    });
  });

  describe('error body', () => {
    for (const file of errorFixtures) {
      it(`decodes ${path.basename(file)}`, () => {
        const raw = readJson(file) as { ErrorCode: string; ErrorMessage: string; ErrorReference: string };
        expect(right(decodeWith(QliroErrorBodyCodec, raw))).to.deep.equal({
          ErrorCode: raw.ErrorCode,
          ErrorMessage: raw.ErrorMessage,
          ErrorReference: raw.ErrorReference,
        });
      });
    }

    it('accepts DetailedErrorMessage (the OpenAPI name) and camelCase', () => {
      expect(right(decodeWith(QliroErrorBodyCodec, { errorCode: 'INVALID_REQUEST', detailedErrorMessage: 'm', errorReference: null }))).to.deep.equal({
        ErrorCode: 'INVALID_REQUEST',
        ErrorMessage: 'm',
      });
    });

    it('is not an error body without an ErrorCode', () => {
      expect(isRight(decodeWith(QliroErrorBodyCodec, { ErrorMessage: 'x' }))).to.equal(false);
      expect(isRight(decodeWith(QliroErrorBodyCodec, undefined))).to.equal(false);
    });
  });

  describe('toPascalCaseKeys', () => {
    it('upper-cases known names case-insensitively and others by their first letter', () => {
      expect(toPascalCaseKeys({ orderhtmlsnippet: 'a', ORDERID: 1, someNewField: [{ pricePerItemIncVat: 1 }] })).to.deep.equal({
        OrderHtmlSnippet: 'a',
        OrderId: 1,
        SomeNewField: [{ PricePerItemIncVat: 1 }],
      });
    });

    it('lets the PascalCase spelling win when both occur', () => {
      expect(toPascalCaseKeys({ orderId: 1, OrderId: 2 })).to.deep.equal({ OrderId: 2 });
      expect(toPascalCaseKeys({ OrderId: 2, orderId: 1 })).to.deep.equal({ OrderId: 2 });
    });
  });
});
