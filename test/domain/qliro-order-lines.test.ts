import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import * as E from 'fp-ts/Either';
import type { AdapterError } from '../../src/domain/errors';
import type { NorceCartItem, NorceOrder, NorcePayment, NorceShipping, NorceDiscount } from '../../src/domain/norce-order';
import type { QliroOrderLine } from '../../src/domain/qliro-order';
import {
  amountToCoverMinor,
  qliroLinesTotalMinor,
  toQliroOrderLines,
  type MappedQliroOrder,
  type OrderLineOptions,
} from '../../src/domain/qliro-order-lines';

// ------------------------------------------------------------------------------------------------ builders

const amount = (includingVat: number, excludingVat = includingVat) => ({ includingVat, excludingVat });
const round2 = (n: number) => Math.round(n * 100) / 100;
const exOf = (inc: number, rate: number) => round2(inc / (1 + rate));

function item(sku: string, quantity: number, unitInc: number, rate = 0.25, extra: Partial<NorceCartItem> = {}): NorceCartItem {
  const total = round2(unitInc * quantity);
  return {
    id: `ci_${sku}`,
    sku,
    name: `Name of ${sku}`,
    quantity,
    price: amount(unitInc, exOf(unitInc, rate)),
    total: amount(total, exOf(total, rate)),
    vatRate: rate,
    ...extra,
  };
}

/** An item with its own discount: total = originalTotal − discount. */
function discountedItem(sku: string, quantity: number, unitInc: number, discountInc: number, rate = 0.25, code = 'PROMO'): NorceCartItem {
  const original = round2(unitInc * quantity);
  const total = round2(original - discountInc);
  return item(sku, quantity, unitInc, rate, {
    originalTotal: amount(original, exOf(original, rate)),
    total: amount(total, exOf(total, rate)),
    discounts: [{ code, name: `Promotion ${code}`, value: amount(discountInc, exOf(discountInc, rate)) }],
  });
}

function shipping(name: string, inc: number, rate = 0.25, extra: Partial<NorceShipping> = {}): NorceShipping {
  return { id: `s_${name}`, name, reference: name.toLowerCase(), state: 'intent', total: amount(inc, exOf(inc, rate)), vatRate: rate, ...extra };
}

function payment(id: string, type: string, amountMajor: number, state: NorcePayment['state'] = 'intent', adapterId = 'voucher_adapter'): NorcePayment {
  return { id, adapterId, type, name: type === 'voucher' ? 'Presentkort' : 'Saldo', amount: amountMajor, state };
}

interface OrderParts {
  items: NorceCartItem[];
  shippings?: NorceShipping[];
  payments?: NorcePayment[];
  cartDiscounts?: NorceDiscount[];
  currency?: string;
  country?: string;
  /** Overrides the total computed as Σ item totals + Σ non-removed shippings. */
  total?: number;
}

function order(parts: OrderParts): NorceOrder {
  const shippings = parts.shippings ?? [];
  const computed = round2(
    parts.items.reduce((a, i) => a + i.total.includingVat, 0) +
      shippings.filter((s) => s.state !== 'removed').reduce((a, s) => a + s.total.includingVat, 0),
  );
  return {
    id: 'o_test',
    culture: 'sv-SE',
    currency: parts.currency ?? 'SEK',
    country: parts.country ?? 'SE',
    state: { currentStatus: 'checkout' },
    cart: { reference: 'cart-1', items: parts.items, ...(parts.cartDiscounts ? { discounts: parts.cartDiscounts } : {}) },
    shippings,
    payments: parts.payments ?? [],
    total: amount(parts.total ?? computed, exOf(parts.total ?? computed, 0.25)),
  };
}

const lineOptions = (extra: Partial<OrderLineOptions> = {}): OrderLineOptions => ({ mapDiscountPerRow: false, qliroOwnsShipping: false, ...extra });

function mapped(o: NorceOrder, options = lineOptions(), qliroPaymentId?: string): MappedQliroOrder {
  const result = toQliroOrderLines(o, options, qliroPaymentId);
  if (E.isLeft(result)) throw new Error(`expected lines, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

function refusal(o: NorceOrder, options = lineOptions()): AdapterError {
  const result = toQliroOrderLines(o, options);
  if (E.isRight(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.right.lines)}`);
  return result.left;
}

/** A line written compactly: [Type, reference, quantity, incl. VAT, excl. VAT, VAT %]. */
type Compact = [QliroOrderLine['Type'], string, number, number, number, number];
const compact = (lines: readonly QliroOrderLine[]): Compact[] =>
  lines.map((l) => [l.Type, l.MerchantReference, l.Quantity, l.PricePerItemIncVat, l.PricePerItemExVat, l.VatRate]);

// ------------------------------------------------------------------------------------------------ tables

describe('Norce order → Qliro order lines', () => {
  describe('mapping (table)', () => {
    const cases: { name: string; order: NorceOrder; options?: Partial<OrderLineOptions>; qliroPaymentId?: string; lines: Compact[]; toCover: number }[] = [
      {
        name: 'one item and one shipping',
        order: order({ items: [item('SKU-A', 2, 100)], shippings: [shipping('Home', 49)] }),
        lines: [
          ['Product', 'SKU-A', 2, 100, 80, 25],
          ['Shipping', 'home', 1, 49, 39.2, 25],
        ],
        toCover: 249,
      },
      {
        name: 'item discount as a Discount line at the item rate',
        order: order({ items: [discountedItem('SKU-A', 1, 200, 20)] }),
        lines: [
          ['Product', 'SKU-A', 1, 200, 160, 25],
          ['Discount', 'PROMO', 1, -20, -16, 25],
        ],
        toCover: 180,
      },
      {
        name: 'item discount per row',
        order: order({ items: [discountedItem('SKU-A', 1, 200, 20)] }),
        options: { mapDiscountPerRow: true },
        lines: [['Product', 'SKU-A', 1, 180, 144, 25]],
        toCover: 180,
      },
      {
        name: 'discounts at two rates: one Discount line per rate',
        order: order({ items: [discountedItem('A', 1, 100, 10, 0.25), discountedItem('B', 1, 100, 10, 0.12), discountedItem('C', 1, 50, 5, 0.25)] }),
        lines: [
          ['Product', 'A', 1, 100, 80, 25],
          ['Product', 'B', 1, 100, 89.29, 12],
          ['Product', 'C', 1, 50, 40, 25],
          ['Discount', 'PROMO (VAT 25)', 1, -15, -12, 25],
          ['Discount', 'PROMO (VAT 12)', 1, -10, -8.93, 12],
        ],
        toCover: 225,
      },
      {
        name: 'a total that does not divide by the quantity: split into u and u + 0.01',
        order: order({ items: [item('SKU-A', 3, 33.3333)] }),
        lines: [
          ['Product', 'SKU-A', 2, 33.33, 26.66, 25],
          ['Product', 'SKU-A', 1, 33.34, 26.67, 25],
        ],
        toCover: 100,
      },
      {
        name: 'a discounted row that does not divide (per row)',
        order: order({ items: [discountedItem('SKU-A', 3, 10, 1)] }),
        options: { mapDiscountPerRow: true },
        lines: [
          ['Product', 'SKU-A', 1, 9.66, 7.73, 25],
          ['Product', 'SKU-A', 2, 9.67, 7.74, 25],
        ],
        toCover: 29,
      },
      {
        name: 'a weight: one line of quantity 1 carrying the total',
        order: order({ items: [item('CHEESE', 1.25, 50, 0.12, { unit: 'kg', name: 'Cheese' })] }),
        lines: [['Product', 'CHEESE', 1, 62.5, 55.8, 12]],
        toCover: 62.5,
      },
      {
        name: 'a zero-priced item is sent at 0 with its rate',
        order: order({ items: [item('SKU-A', 1, 100), item('GIFT', 1, 0)] }),
        lines: [
          ['Product', 'SKU-A', 1, 100, 80, 25],
          ['Product', 'GIFT', 1, 0, 0, 25],
        ],
        toCover: 100,
      },
      {
        name: 'free shipping is sent at 0',
        order: order({ items: [item('SKU-A', 1, 100)], shippings: [shipping('Free', 0)] }),
        lines: [
          ['Product', 'SKU-A', 1, 100, 80, 25],
          ['Shipping', 'free', 1, 0, 0, 25],
        ],
        toCover: 100,
      },
      {
        name: 'a removed shipping is left out',
        order: order({ items: [item('SKU-A', 1, 100)], shippings: [shipping('Old', 99, 0.25, { state: 'removed' }), shipping('New', 49)] }),
        lines: [
          ['Product', 'SKU-A', 1, 100, 80, 25],
          ['Shipping', 'new', 1, 49, 39.2, 25],
        ],
        toCover: 149,
      },
      {
        name: 'Qliro owns shipping: no shipping line',
        order: order({ items: [item('SKU-A', 1, 100)], shippings: [shipping('Home', 49)] }),
        options: { qliroOwnsShipping: true },
        lines: [['Product', 'SKU-A', 1, 100, 80, 25]],
        toCover: 149,
      },
      {
        name: 'active voucher and prepaid as Discount lines at 0 %, removed voucher and the Qliro payment ignored',
        order: order({
          items: [item('SKU-A', 1, 1000)],
          payments: [
            payment('p_gift', 'voucher', 300),
            payment('p_balance', 'prepaid', 100.5),
            payment('p_old', 'voucher', 50, 'removed'),
            payment('p_declined', 'voucher', 50, 'declined'),
            payment('p_qliro', 'default', 599.5, 'intent', 'qliro_checkout_adapter'),
          ],
        }),
        qliroPaymentId: 'p_qliro',
        lines: [
          ['Product', 'SKU-A', 1, 1000, 800, 25],
          ['Discount', 'p_gift', 1, -300, -300, 0],
          ['Discount', 'p_balance', 1, -100.5, -100.5, 0],
        ],
        toCover: 599.5,
      },
      {
        name: 'a negative item becomes a Discount line at its rate',
        order: order({ items: [item('SKU-A', 1, 100, 0.12), item('RETURN', 1, -5, 0.12)] }),
        lines: [
          ['Product', 'SKU-A', 1, 100, 89.29, 12],
          ['Discount', 'RETURN', 1, -5, -4.46, 12],
        ],
        toCover: 95,
      },
      {
        name: 'cart discounts that only summarise item discounts are not subtracted twice',
        order: order({
          items: [discountedItem('A', 1, 100, 10, 0.25, 'TEN'), discountedItem('B', 1, 100, 10, 0.12, 'TEN')],
          cartDiscounts: [{ code: 'TEN', name: 'Ten off', value: amount(20, 16.93) }],
        }),
        lines: [
          ['Product', 'A', 1, 100, 80, 25],
          ['Product', 'B', 1, 100, 89.29, 12],
          ['Discount', 'TEN (VAT 25)', 1, -10, -8, 25],
          ['Discount', 'TEN (VAT 12)', 1, -10, -8.93, 12],
        ],
        toCover: 180,
      },
      {
        name: 'a cart discount no item carries: Discount lines per rate, in proportion to the item totals',
        order: order({
          items: [item('A', 1, 300, 0.25), item('B', 1, 100, 0.12)],
          cartDiscounts: [{ code: 'CART40', name: 'Cart 40', value: amount(40, 33) }],
          total: 360,
        }),
        lines: [
          ['Product', 'A', 1, 300, 240, 25],
          ['Product', 'B', 1, 100, 89.29, 12],
          ['Discount', 'CART40 (VAT 25)', 1, -30, -24, 25],
          ['Discount', 'CART40 (VAT 12)', 1, -10, -8.93, 12],
        ],
        toCover: 360,
      },
      {
        name: 'a cart discount given as a negative value is still a reduction',
        order: order({ items: [item('A', 1, 300)], cartDiscounts: [{ code: 'NEG', value: amount(-30, -24) }], total: 270 }),
        lines: [
          ['Product', 'A', 1, 300, 240, 25],
          ['Discount', 'NEG', 1, -30, -24, 25],
        ],
        toCover: 270,
      },
      {
        name: 'a shipping discount already inside the shipping total (the order total says so) gets no line',
        order: order({
          items: [item('A', 1, 300)],
          shippings: [shipping('Home', 0)],
          cartDiscounts: [{ type: 'shipping', code: 'FREESHIP', value: amount(49, 39.2) }],
        }),
        lines: [
          ['Product', 'A', 1, 300, 240, 25],
          ['Shipping', 'home', 1, 0, 0, 25],
        ],
        toCover: 300,
      },
      {
        name: 'Norce ex-VAT kept when it agrees with the rate, computed when it does not',
        order: order({
          items: [
            item('A', 1, 100, 0.25, { total: amount(100, 80.01) }),
            item('B', 1, 100, 0.25, { total: amount(100, 70) }),
          ],
        }),
        lines: [
          ['Product', 'A', 1, 100, 80.01, 25],
          ['Product', 'B', 1, 100, 80, 25],
        ],
        toCover: 200,
      },
      {
        name: 'two rows of the same SKU at the same price are made distinct',
        order: order({ items: [item('SKU-A', 1, 100), item('SKU-A', 2, 100)] }),
        lines: [
          ['Product', 'SKU-A', 1, 100, 80, 25],
          ['Product', 'SKU-A (2)', 2, 100, 80, 25],
        ],
        toCover: 300,
      },
      {
        name: 'split rows of the same SKU are made distinct as a whole',
        order: order({ items: [item('SKU-A', 3, 33.3333), item('SKU-A', 3, 33.3333)] }),
        lines: [
          ['Product', 'SKU-A', 2, 33.33, 26.66, 25],
          ['Product', 'SKU-A', 1, 33.34, 26.67, 25],
          ['Product', 'SKU-A (2)', 2, 33.33, 26.66, 25],
          ['Product', 'SKU-A (2)', 1, 33.34, 26.67, 25],
        ],
        toCover: 200,
      },
      {
        name: 'item reference falls back from sku to reference to id',
        order: order({
          items: [
            item('X', 1, 10, 0.25, { sku: undefined, reference: 'line-ref' }),
            item('Y', 1, 20, 0.25, { sku: '  ', reference: undefined, id: 'ci_42' }),
          ],
        }),
        lines: [
          ['Product', 'line-ref', 1, 10, 8, 25],
          ['Product', 'ci_42', 1, 20, 16, 25],
        ],
        toCover: 30,
      },
      {
        name: 'a NOK total that does not divide by the quantity of 7',
        order: order({ currency: 'NOK', country: 'NO', items: [item('K', 7, 14.2857, 0.15)] }),
        lines: [
          ['Product', 'K', 3, 14.28, 12.42, 15],
          ['Product', 'K', 4, 14.29, 12.43, 15],
        ],
        toCover: 100,
      },
    ];

    for (const c of cases) {
      it(c.name, () => {
        const result = mapped(c.order, lineOptions(c.options), c.qliroPaymentId);
        expect(compact(result.lines)).to.deep.equal(c.lines);
        expect(result.amountToCover).to.equal(c.toCover);
        const ownedShipping = result.qliroOwnedShippingMinor;
        expect(qliroLinesTotalMinor(result.lines, c.order.currency) + ownedShipping).to.equal(result.amountToCoverMinor);
      });
    }
  });

  describe('descriptions', () => {
    it('keeps the name, the measure for a weight, and the promotion and payment names', () => {
      const result = mapped(
        order({
          items: [item('CHEESE', 0.5, 100, 0.12, { unit: 'kg', name: 'Cheese <i>aged</i>' }), discountedItem('A', 1, 100, 10, 0.25, 'TEN')],
          payments: [payment('p_gift', 'voucher', 10)],
        }),
      );
      expect(result.lines.map((l) => l.Description)).to.deep.equal(['0.5 kg × Cheese aged', 'Name of A', 'Promotion TEN', 'Presentkort']);
    });
  });

  describe('residuals', () => {
    it('absorbs a cent of rounding inside the largest product line', () => {
      const items = [item('A', 1, 33.33), item('B', 1, 50), item('C', 1, 16.66)];
      const result = mapped(order({ items, total: 100 }));
      expect(compact(result.lines)).to.deep.equal([
        ['Product', 'A', 1, 33.33, 26.66, 25],
        ['Product', 'B', 1, 50.01, 40.01, 25],
        ['Product', 'C', 1, 16.66, 13.33, 25],
      ]);
      expect(qliroLinesTotalMinor(result.lines, 'SEK')).to.equal(10000);
    });

    it('absorbs a negative residual too', () => {
      const result = mapped(order({ items: [item('A', 2, 50)], total: 99.99 }));
      expect(compact(result.lines)).to.deep.equal([
        ['Product', 'A', 1, 49.99, 39.99, 25],
        ['Product', 'A', 1, 50, 40, 25],
      ]);
    });

    it('refuses a residual above one minor unit per Norce line, naming the difference', () => {
      const error = refusal(order({ items: [item('A', 1, 95)], total: 100 }));
      expect(error.code).to.equal('order-validation');
      expect(error.message).to.contain('order total 100.00 SEK differs from the sum of its lines 95.00 SEK by 5.00 SEK');
    });

    it('refuses two cents on a single-line order', () => {
      expect(refusal(order({ items: [item('A', 1, 95)], total: 95.02 })).message).to.contain('by 0.02 SEK');
    });
  });

  describe('refusals before any call', () => {
    const cases: { name: string; order: NorceOrder; options?: Partial<OrderLineOptions>; message: RegExp }[] = [
      { name: 'no items', order: order({ items: [], shippings: [shipping('Home', 49)] }), message: /no items/ },
      { name: 'a zero total', order: order({ items: [item('GIFT', 1, 0)] }), message: /total is 0\.00 SEK/ },
      { name: 'a negative total', order: order({ items: [item('A', 1, 10), item('B', 1, -20)] }), message: /total is -10\.00 SEK/ },
      {
        name: 'vouchers covering everything',
        order: order({ items: [item('A', 1, 100)], payments: [payment('p_gift', 'voucher', 100)] }),
        message: /other payments cover the whole order total of 100\.00 SEK/,
      },
      { name: 'an unsupported currency', order: order({ items: [item('A', 1, 100)], currency: 'USD' }), message: /currency USD/ },
      { name: 'an unsupported country', order: order({ items: [item('A', 1, 100)], country: 'DE', currency: 'EUR' }), message: /country DE/ },
      { name: 'a currency of another country', order: order({ items: [item('A', 1, 100)], country: 'SE', currency: 'NOK' }), message: /NOK in SE/ },
      { name: 'a quantity of 0', order: order({ items: [item('A', 0, 100)], total: 100 }), message: /quantity 0/ },
      { name: 'a VAT rate in percent', order: order({ items: [item('A', 1, 100, 25)] }), message: /VAT rate 25/ },
      { name: 'an amount that is not a number', order: order({ items: [item('A', 1, Number.NaN)], total: 10 }), message: /not a valid amount/ },
      {
        name: 'more lines than Qliro takes (199 products + discount + shipping = 201)',
        order: order({
          items: Array.from({ length: 199 }, (_, i) => (i === 0 ? discountedItem('P0', 1, 10, 1) : item(`P${i}`, 1, 10))),
          shippings: [shipping('Home', 49)],
        }),
        message: /201 Qliro order lines.*limit of 200/,
      },
      {
        name: 'more lines than a configured limit',
        order: order({ items: [item('A', 1, 10), item('B', 1, 10)] }),
        options: { maxOrderLines: 1 },
        message: /2 Qliro order lines.*limit of 1/,
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name} with order-validation`, () => {
        const error = refusal(c.order, lineOptions(c.options));
        expect(error.code).to.equal('order-validation');
        expect(error.message).to.match(c.message);
      });
    }

    it('accepts one product bought 250 times as one line (B40: lines are counted, not quantities)', () => {
      const result = mapped(order({ items: [item('A', 250, 10)] }));
      expect(compact(result.lines)).to.deep.equal([['Product', 'A', 250, 10, 8, 25]]);
    });

    it('accepts exactly 200 lines', () => {
      expect(mapped(order({ items: Array.from({ length: 200 }, (_, i) => item(`P${i}`, 1, 10)) })).lines).to.have.length(200);
    });
  });

  describe('amountToCoverMinor', () => {
    const base = order({ items: [item('A', 1, 1000)] });
    const cases: { name: string; payments: NorcePayment[]; qliroPaymentId?: string; expected: number }[] = [
      { name: 'no other payments', payments: [], expected: 100000 },
      { name: 'an active voucher', payments: [payment('v', 'voucher', 250.5)], expected: 74950 },
      { name: 'a prepaid balance', payments: [payment('v', 'prepaid', 100)], expected: 90000 },
      { name: 'a cancelled voucher', payments: [payment('v', 'voucher', 100, 'cancelled')], expected: 100000 },
      { name: 'a failed voucher', payments: [payment('v', 'voucher', 100, 'failed')], expected: 100000 },
      { name: 'a default payment of another adapter', payments: [payment('x', 'default', 100)], expected: 100000 },
      {
        name: 'the Qliro payment itself, by id',
        payments: [payment('q', 'voucher', 100, 'intent', 'something')],
        qliroPaymentId: 'q',
        expected: 100000,
      },
      {
        name: 'a Qliro payment, by adapter id',
        payments: [payment('q', 'prepaid', 100, 'intent', 'qliro_checkout_adapter')],
        expected: 100000,
      },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.expected}`, () =>
        expect(amountToCoverMinor({ ...base, payments: c.payments }, c.qliroPaymentId)).to.equal(c.expected));
    }
  });

  describe('qliroLinesTotalMinor', () => {
    it('sums price × quantity in minor units without float drift', () => {
      const line = (price: number, quantity: number): QliroOrderLine => ({
        MerchantReference: 'x',
        Description: 'x',
        Type: price < 0 ? 'Discount' : 'Product',
        Quantity: quantity,
        PricePerItemIncVat: price,
        PricePerItemExVat: price,
        VatRate: 0,
      });
      expect(qliroLinesTotalMinor([line(0.1, 3), line(0.2, 1), line(-0.3, 1)], 'SEK')).to.equal(20);
      expect(qliroLinesTotalMinor([line(2.35, 2), line(2.34, 1)])).to.equal(704);
      expect(qliroLinesTotalMinor([])).to.equal(0);
    });
  });

  describe('every Norce fixture order', () => {
    const dir = path.resolve(__dirname, '../../../shared/fixtures/norce/orders');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

    it('finds the five fixture orders', () => expect(files).to.have.length(5));

    for (const file of files) {
      for (const mapDiscountPerRow of [false, true]) {
        it(`${file} (mapDiscountPerRow ${mapDiscountPerRow}): lines sum to the amount to cover`, () => {
          const o = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as NorceOrder;
          const qliroPayment = (o.payments ?? []).find((p) => p.adapterId === 'qliro_checkout_adapter' && p.state !== 'removed');
          const result = mapped(o, lineOptions({ mapDiscountPerRow }), qliroPayment?.id);
          expect(qliroLinesTotalMinor(result.lines, o.currency)).to.equal(result.amountToCoverMinor);
          if (qliroPayment) expect(result.amountToCover).to.equal(qliroPayment.amount);
        });
      }
    }

    it('order 3 gives exactly the lines of the assembled create-order fixture (976.80)', () => {
      const read = (p: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures', p), 'utf8'));
      const o = read('norce/orders/order-3-se-voucher-qliro-processing.json') as NorceOrder;
      const expected = read('qliro/merchant-api/create-order.request.from-norce-order-3.json').OrderItems as QliroOrderLine[];
      const result = mapped(o, lineOptions(), 'pCvuuvYJbTFqUXpwRfKQOhUHWCa');
      expect(result.amountToCover).to.equal(976.8);
      expect(result.lines).to.deep.equal(expected);
    });
  });
});
