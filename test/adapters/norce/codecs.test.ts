import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/Either';
import {
  CreatedIdCodec,
  NorceErrorBodyCodec,
  NorceOrderCodec,
  NorcePaymentCodec,
  NorcePaymentsCodec,
  decodeWith,
} from '../../../src/adapters/norce/codecs';
import type { NorceOrder } from '../../../src/domain/norce-order';
import { ORDER_2, decodeOrThrow, norceOrderFixtures, readNorceFixture } from './norce-fixtures';

const order2 = () => structuredClone(readNorceFixture(`orders/${ORDER_2}`)) as Record<string, any>;

function failureOf(u: unknown): string {
  const result = decodeWith(NorceOrderCodec, u);
  if (!isLeft(result)) throw new Error('expected the order not to decode');
  return result.left;
}

describe('Norce Order API codecs', () => {
  describe('every fixture order decodes', () => {
    const fixtures = norceOrderFixtures();

    it('finds the five fixture orders', () => {
      expect(fixtures.map((f) => f.file)).to.have.length(5);
    });

    for (const { file, order } of fixtures) {
      it(file, () => {
        const decoded = decodeOrThrow(NorceOrderCodec, order);
        expect(decoded.id).to.equal(order['id']);
        expect(decoded.currency).to.equal(order['currency']);
        expect(decoded.cart.items.length).to.equal((order['cart'] as { items: unknown[] }).items.length);
        expect(decoded.total).to.deep.equal(order['total']);
        expect(decoded.payments?.length).to.equal((order['payments'] as unknown[]).length);
      });
    }
  });

  it('is lenient where Norce is: order 1 items without price/originalTotal, payment without adapterId/currency', () => {
    const order = decodeOrThrow(NorceOrderCodec, readNorceFixture('orders/order-1-se-basic-checkout.json'));
    expect(order.cart.items[0]).to.not.have.property('price');
    expect(order.cart.items[0]).to.not.have.property('originalTotal');
    expect(order.payments?.[0]).to.not.have.property('adapterId');
    expect(order.payments?.[0]).to.not.have.property('currency');
    expect(order.customer?.billing).to.equal(undefined);
  });

  it('treats null like absent for optional fields, but keeps a null reference', () => {
    const raw = order2();
    raw['cart'].items[0].price = null;
    raw['cart'].discounts = null;
    raw['customer'].billing = null;
    raw['payments'][0].currency = null;
    raw['payments'][0].reference = null;
    raw['reference'] = null;
    raw['cart'].items.push(null);
    const order = decodeOrThrow(NorceOrderCodec, raw);
    expect(order.cart.items[0]).to.not.have.property('price');
    expect(order.cart).to.not.have.property('discounts');
    expect(order.customer).to.not.have.property('billing');
    expect(order.payments?.[0]).to.not.have.property('currency');
    expect(order.payments?.[0]?.reference).to.equal(null);
    expect(order.reference).to.equal(null);
    expect(order.cart.items).to.have.length(3);
  });

  it('keeps fields it does not model, so a payment can be PUT back whole', () => {
    const order = decodeOrThrow(NorceOrderCodec, order2()) as NorceOrder & Record<string, unknown>;
    expect(order['created']).to.equal('2026-02-02T18:31:09.0711432Z');
    expect(order.payments?.[0]).to.include({ merchant: 'norce-open-demo', orderId: 'oZLhRmXS' });
  });

  it('reads enum values case-insensitively', () => {
    const raw = order2();
    raw['state'].currentStatus = 'Processing';
    raw['payments'][0].state = 'RESERVED';
    const order = decodeOrThrow(NorceOrderCodec, raw);
    expect(order.state.currentStatus).to.equal('processing');
    expect(order.payments?.[0]?.state).to.equal('reserved');
  });

  describe('is strict where the adapter depends on a field, naming it', () => {
    const cases: [string, (o: Record<string, any>) => void, string][] = [
      ['id', (o) => delete o['id'], 'id: required string'],
      ['currency', (o) => delete o['currency'], 'currency: required string'],
      ['country', (o) => (o['country'] = 46), 'country: expected a non-empty string'],
      ['state.currentStatus', (o) => (o['state'].currentStatus = 'paid'), 'state.currentStatus: expected one of checkout'],
      ['total', (o) => delete o['total'], 'total: required Amount'],
      ['cart.items[].quantity', (o) => delete o['cart'].items[1].quantity, 'cart.items[1].quantity: required number'],
      ['cart.items[].vatRate', (o) => (o['cart'].items[2].vatRate = '6'), 'cart.items[2].vatRate: expected a number'],
      ['cart.items[].total', (o) => (o['cart'].items[0].total = { includingVat: 1 }), 'cart.items[0].total.excludingVat: required number'],
      ['payments[].state', (o) => (o['payments'][0].state = 'paid'), 'payments[0].state: expected one of intent'],
      ['payments[].amount', (o) => delete o['payments'][0].amount, 'payments[0].amount: required number'],
    ];
    for (const [field, mutate, message] of cases) {
      it(field, () => {
        const raw = order2();
        mutate(raw);
        expect(failureOf(raw)).to.contain(message);
      });
    }

    it('a body that is not an object', () => {
      expect(failureOf('<html>')).to.equal('(body): expected an object');
    });

    it('never puts values in the message (they may be personal data)', () => {
      const raw = order2();
      raw['customer'].billing.email = { address: 'test@example.com' };
      raw['cart'].items[0].vatRate = 'secret-ish 790625-5307';
      const message = failureOf(raw);
      expect(message).to.contain('customer.billing.email');
      expect(message).to.not.contain('test@example.com');
      expect(message).to.not.contain('790625-5307');
    });
  });

  it('decodes a payment, a payment list, a create response and an error body', () => {
    const payments = (readNorceFixture('orders/order-3-se-voucher-qliro-processing.json') as { payments: unknown[] }).payments;
    expect(decodeOrThrow(NorcePaymentsCodec, payments).map((p) => p.state)).to.deep.equal(['removed', 'intent', 'processing']);
    expect(decodeOrThrow(NorcePaymentCodec, payments[1]).upperLimitAmount).to.equal(500);
    expect(decodeOrThrow(CreatedIdCodec, { id: 'pAbc' })).to.deep.equal({ id: 'pAbc' });
    expect(isRight(CreatedIdCodec.decode({ id: '' }))).to.equal(false);
    expect(decodeOrThrow(NorceErrorBodyCodec, readNorceFixture('order-api/error.order-not-found.docs.json'))).to.deep.equal({
      code: 'order-not-found',
      message: 'Order with id:{id} not found.',
    });
    expect(decodeOrThrow(NorceErrorBodyCodec, { title: 'Bad Request' })).to.deep.equal({ title: 'Bad Request' });
  });
});
