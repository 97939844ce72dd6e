// The order-line field cases of ../shared/reference/field-cases.md (B01, B02, B04, B06, B07, B28), inputs as written there.
import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import type { NorceOrder } from '../../src/domain/norce-order';
import type { QliroOrderLine } from '../../src/domain/qliro-order';
import { qliroLinesTotalMinor, toQliroOrderLines, type MappedQliroOrder, type OrderLineOptions } from '../../src/domain/qliro-order-lines';
import { QLIRO_ITEM_REFERENCE_PATTERN } from '../../src/domain/references';

/** A field-case `norceOrder` (abridged model) completed with what the abridged form leaves out. */
const fieldCase = (o: Omit<NorceOrder, 'state'>): NorceOrder => ({ state: { currentStatus: 'checkout' }, ...o });

const lineOptions: OrderLineOptions = { mapDiscountPerRow: false, qliroOwnsShipping: false };

function linesOf(o: NorceOrder, options = lineOptions): MappedQliroOrder {
  const result = toQliroOrderLines(o, options);
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
}

type Priced = [QliroOrderLine['Type'], number, number, number, number]; // Type, Quantity, IncVat, ExVat, VatRate
const priced = (lines: readonly QliroOrderLine[]): Priced[] =>
  lines.map((l) => [l.Type, l.Quantity, l.PricePerItemIncVat, l.PricePerItemExVat, l.VatRate]);

const twoDecimals = /^-?\d+(\.\d{1,2})?$/;
function expectQliroNumberRules(lines: readonly QliroOrderLine[]): void {
  for (const l of lines) {
    expect(String(l.PricePerItemIncVat), 'IncVat').to.match(twoDecimals);
    expect(String(l.PricePerItemExVat), 'ExVat').to.match(twoDecimals);
    expect(String(l.VatRate), 'VatRate').to.match(twoDecimals);
    expect(Number.isInteger(l.Quantity) && l.Quantity >= 1, 'Quantity').to.equal(true);
  }
}

describe('field cases: order lines', () => {
  describe('B01 — a discount keeps its VAT', () => {
    const b01 = fieldCase({
      id: 'o_b01',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'SHIRT-1',
            name: 'Shirt',
            quantity: 1,
            price: { includingVat: 125.0, excludingVat: 100.0 },
            total: { includingVat: 112.5, excludingVat: 90.0 },
            vatRate: 0.25,
            discounts: [{ name: 'Summer10', value: { includingVat: 12.5, excludingVat: 10.0 } }],
          },
        ],
      },
      shippings: [{ name: 'Home', total: { includingVat: 49.0, excludingVat: 39.2 }, vatRate: 0.25 }],
      total: { includingVat: 161.5, excludingVat: 129.2 },
    });

    it('sends Product 125.00/100.00, Discount −12.50/−10.00 and Shipping 49.00/39.20, all at 25 %, summing to 161.50', () => {
      const { lines } = linesOf(b01);
      expect(priced(lines)).to.deep.equal([
        ['Product', 1, 125, 100, 25],
        ['Discount', 1, -12.5, -10, 25],
        ['Shipping', 1, 49, 39.2, 25],
      ]);
      expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(16150);
    });

    const mixed = fieldCase({
      id: 'o_b01_mixed',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'A',
            name: 'Item A',
            quantity: 1,
            price: { includingVat: 125.0, excludingVat: 100.0 },
            total: { includingVat: 112.5, excludingVat: 90.0 },
            vatRate: 0.25,
            discounts: [{ name: 'Summer10', value: { includingVat: 12.5, excludingVat: 10.0 } }],
          },
          {
            sku: 'B',
            name: 'Item B',
            quantity: 1,
            price: { includingVat: 112.0, excludingVat: 100.0 },
            total: { includingVat: 100.8, excludingVat: 90.0 },
            vatRate: 0.12,
            discounts: [{ name: 'Summer10', value: { includingVat: 11.2, excludingVat: 10.0 } }],
          },
        ],
      },
      total: { includingVat: 213.3, excludingVat: 180.0 },
    });

    it('mixed rates: two Discount lines, −12.50/−10.00 @ 25 and −11.20/−10.00 @ 12, summing to 213.30', () => {
      const { lines } = linesOf(mixed);
      expect(priced(lines.filter((l) => l.Type === 'Discount'))).to.deep.equal([
        ['Discount', 1, -12.5, -10, 25],
        ['Discount', 1, -11.2, -10, 12],
      ]);
      expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(21330);
    });

    it('never sends a taxed discount at VatRate 0 or with IncVat equal to ExVat', () => {
      for (const o of [b01, mixed]) {
        for (const l of linesOf(o).lines.filter((x) => x.Type === 'Discount')) {
          expect(l.VatRate).to.be.greaterThan(0);
          expect(l.PricePerItemIncVat).to.not.equal(l.PricePerItemExVat);
        }
      }
    });

    it('per row: the discounted price, no Discount line, still 161.50', () => {
      const { lines } = linesOf(b01, { ...lineOptions, mapDiscountPerRow: true });
      expect(priced(lines)).to.deep.equal([
        ['Product', 1, 112.5, 90, 25],
        ['Shipping', 1, 49, 39.2, 25],
      ]);
    });
  });

  describe('B02 — VAT rate from Norce, never derived from amounts', () => {
    const b02 = fieldCase({
      id: 'o_b02',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'BAG-9',
            name: 'Bag',
            quantity: 1,
            price: { includingVat: 360.0, excludingVat: 288.0 },
            total: { includingVat: 324.0, excludingVat: 259.0 },
            vatRate: 0.25,
            discounts: [{ name: 'Promo', value: { includingVat: 36.0, excludingVat: 29.0 } }],
          },
        ],
      },
      total: { includingVat: 324.0, excludingVat: 259.0 },
    });

    for (const mapDiscountPerRow of [false, true]) {
      it(`sends VatRate 25 everywhere, 2-decimal prices, sum 324.00 (mapDiscountPerRow ${mapDiscountPerRow})`, () => {
        const { lines } = linesOf(b02, { ...lineOptions, mapDiscountPerRow });
        expect(lines.map((l) => l.VatRate)).to.deep.equal(lines.map(() => 25));
        expectQliroNumberRules(lines);
        expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(32400);
      });
    }

    it('takes the discount ex-VAT from the rate when Norce’s figure disagrees with it (36.00 → 28.80)', () => {
      const discount = linesOf(b02).lines.find((l) => l.Type === 'Discount');
      expect(discount).to.include({ PricePerItemIncVat: -36, PricePerItemExVat: -28.8, VatRate: 25 });
    });

    it('rounds a rate Norce gives with many decimals to 2 decimals', () => {
      const odd = fieldCase({ ...b02, cart: { items: [{ ...b02.cart.items[0]!, vatRate: 0.24137931034483 }] } });
      expect(linesOf(odd).lines.map((l) => l.VatRate)).to.deep.equal([24.14, 24.14]);
    });
  });

  describe('B04 — three-decimal unit prices', () => {
    const b04 = fieldCase({
      id: 'o_b04',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'SCREW-100',
            name: 'Screw pack',
            quantity: 3,
            price: { includingVat: 2.345, excludingVat: 1.876 },
            total: { includingVat: 7.04, excludingVat: 5.63 },
            vatRate: 0.25,
          },
        ],
      },
      total: { includingVat: 7.04, excludingVat: 5.63 },
    });

    it('splits into 1 × 2.34 + 2 × 2.35 = 7.04, never 3 × 2.35 or 3 × 2.34', () => {
      const { lines } = linesOf(b04);
      expect(lines.map((l) => [l.MerchantReference, l.Quantity, l.PricePerItemIncVat])).to.deep.equal([
        ['SCREW-100', 1, 2.34],
        ['SCREW-100', 2, 2.35],
      ]);
      expectQliroNumberRules(lines);
      expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(704);
    });
  });

  describe('B06 — a residual cent between the Norce total and the line sum', () => {
    const part = (sku: string, name: string, priceInc: number, ex: number) => ({
      sku,
      name,
      quantity: 1,
      price: { includingVat: priceInc, excludingVat: ex },
      total: { includingVat: 33.33, excludingVat: ex },
      vatRate: 0.25,
    });
    const b06 = fieldCase({
      id: 'o_b06',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: { items: [part('A', 'Part A', 33.333, 26.67), part('B', 'Part B', 33.333, 26.67), part('C', 'Part C', 33.334, 26.66)] },
      total: { includingVat: 100.0, excludingVat: 80.0 },
    });

    it('puts the missing cent on one product line so that Qliro’s total is 100.00', () => {
      const { lines } = linesOf(b06);
      expect(lines.map((l) => [l.MerchantReference, l.Quantity, l.PricePerItemIncVat, l.VatRate])).to.deep.equal([
        ['A', 1, 33.34, 25],
        ['B', 1, 33.33, 25],
        ['C', 1, 33.33, 25],
      ]);
      expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(10000);
    });

    it('rejects the order when the residual is above the tolerance of one öre per line', () => {
      const result = toQliroOrderLines({ ...b06, total: { includingVat: 100.05, excludingVat: 80.04 } }, lineOptions);
      if (E.isRight(result)) throw new Error('expected a refusal');
      expect(result.left.code).to.equal('order-validation');
      expect(result.left.message).to.contain('differs from the sum of its lines 99.99 SEK by 0.06 SEK');
    });
  });

  describe('B07 — a negative-priced line is a Discount', () => {
    const b07 = fieldCase({
      id: 'o_b07',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'JUICE-6',
            name: 'Juice 6-pack',
            quantity: 1,
            price: { includingVat: 100.0, excludingVat: 89.29 },
            total: { includingVat: 100.0, excludingVat: 89.29 },
            vatRate: 0.12,
          },
          {
            sku: 'PANT-RET',
            name: 'Bottle deposit return',
            quantity: 1,
            price: { includingVat: -5.0, excludingVat: -4.46 },
            total: { includingVat: -5.0, excludingVat: -4.46 },
            vatRate: 0.12,
          },
        ],
      },
      total: { includingVat: 95.0, excludingVat: 84.83 },
    });

    for (const mapDiscountPerRow of [false, true]) {
      it(`sends the deposit return as Discount −5.00/−4.46 @ 12, sum 95.00 (mapDiscountPerRow ${mapDiscountPerRow})`, () => {
        const { lines } = linesOf(b07, { ...lineOptions, mapDiscountPerRow });
        expect(lines.map((l) => [l.MerchantReference, ...priced([l])[0]!])).to.deep.equal([
          ['JUICE-6', 'Product', 1, 100, 89.29, 12],
          ['PANT-RET', 'Discount', 1, -5, -4.46, 12],
        ]);
        expect(lines.filter((l) => l.Type !== 'Discount' && l.PricePerItemIncVat < 0)).to.deep.equal([]);
        expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(9500);
      });
    }

    it('sends a discount Norce gives as a positive number as a negative Discount line', () => {
      const positive = fieldCase({
        ...b07,
        cart: {
          items: [b07.cart.items[0]!],
          discounts: [{ code: 'PANT', name: 'Deposit return', value: { includingVat: 5, excludingVat: 4.46 } }],
        },
      });
      const discount = linesOf(positive).lines.find((l) => l.Type === 'Discount');
      expect(discount).to.include({ MerchantReference: 'PANT', PricePerItemIncVat: -5, PricePerItemExVat: -4.46, VatRate: 12 });
    });
  });

  describe('B28 — item references with illegal characters or over the length limit', () => {
    const longSku = `FEE-${'Miljöavgift – '.repeat(20)}`.slice(0, 254);
    const b28 = fieldCase({
      id: 'o_b28',
      currency: 'SEK',
      country: 'SE',
      culture: 'sv-SE',
      cart: {
        items: [
          {
            sku: 'TS#42*XL',
            name: 'T-shirt 🎉 «Limited» <b>XL</b>',
            quantity: 1,
            price: { includingVat: 250.0, excludingVat: 200.0 },
            total: { includingVat: 250.0, excludingVat: 200.0 },
            vatRate: 0.25,
          },
          {
            sku: 'TS#42*XL',
            name: 'T-shirt 🎉 «Limited» <b>XL</b> (gift)',
            quantity: 1,
            price: { includingVat: 0, excludingVat: 0 },
            total: { includingVat: 0, excludingVat: 0 },
            vatRate: 0.25,
          },
          {
            sku: longSku,
            name: 'Miljöavgift',
            quantity: 1,
            price: { includingVat: 10.0, excludingVat: 8.0 },
            total: { includingVat: 10.0, excludingVat: 8.0 },
            vatRate: 0.25,
          },
        ],
      },
      total: { includingVat: 260.0, excludingVat: 208.0 },
    });

    it('sends every reference in Qliro’s character set and at most 200 characters', () => {
      const { lines } = linesOf(b28);
      for (const l of lines) expect(l.MerchantReference).to.match(QLIRO_ITEM_REFERENCE_PATTERN);
      expect(lines[0]!.MerchantReference).to.equal('TS42XL');
      expect(lines[2]!.MerchantReference.startsWith('FEE-Miljöavgift – Miljöavgift')).to.equal(true);
    });

    it('keeps the free gift as its own line, distinct from the paid one by reference + price', () => {
      const { lines } = linesOf(b28);
      expect(lines.map((l) => [l.MerchantReference, l.PricePerItemIncVat, l.VatRate]).slice(0, 2)).to.deep.equal([
        ['TS42XL', 250, 25],
        ['TS42XL', 0, 25],
      ]);
      const keys = lines.map((l) => `${l.MerchantReference}|${l.PricePerItemIncVat}`);
      expect(new Set(keys).size).to.equal(keys.length);
      expect(qliroLinesTotalMinor(lines, 'SEK')).to.equal(26000);
    });

    it('keeps the readable name as Description, HTML stripped', () => {
      expect(linesOf(b28).lines.map((l) => l.Description)).to.deep.equal([
        'T-shirt 🎉 «Limited» XL',
        'T-shirt 🎉 «Limited» XL (gift)',
        'Miljöavgift',
      ]);
    });

    it('is deterministic: the same order gives the same lines', () => {
      expect(linesOf(b28).lines).to.deep.equal(linesOf(JSON.parse(JSON.stringify(b28)) as NorceOrder).lines);
    });
  });
});
