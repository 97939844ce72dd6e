// Properties of the Norce → Qliro line mapping over random carts (fast-check).
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import type { NorceCartItem, NorceDiscount, NorceOrder, NorcePayment, NorceShipping } from '../../src/domain/norce-order';
import type { QliroOrderLine } from '../../src/domain/qliro-order';
import { excludingVatMinor, toMajor, toMinor, vatRateBasisPoints, vatRateToPercent } from '../../src/domain/money';
import {
  mapOrderLines,
  qliroLinesTotalMinor,
  toQliroOrderLines,
  type MappedQliroOrder,
  type OrderLineOptions,
} from '../../src/domain/qliro-order-lines';
import { QLIRO_ITEM_REFERENCE_PATTERN } from '../../src/domain/references';

const RATES = [0, 0.06, 0.12, 0.14, 0.15, 0.24, 0.25, 0.255] as const;
const MARKETS = [
  { currency: 'SEK', country: 'SE' },
  { currency: 'NOK', country: 'NO' },
  { currency: 'EUR', country: 'FI' },
  { currency: 'DKK', country: 'DK' },
  { currency: 'JPY', country: 'JP' }, // 0 decimals: mapped without the market check
] as const;
const ITEM_CODES = ['SUMMER', 'VIP', 'B2B10'] as const;

// ------------------------------------------------------------------------------------------------ generators

const itemSpec = fc.record({
  quantity: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => n / 1000) }, // weights, lengths
  ),
  unitThousandths: fc.integer({ min: 0, max: 400_000 }), // 3-decimal unit prices up to 400.000
  negative: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  rate: fc.constantFrom(...RATES),
  discountPermille: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 })),
  discountStyle: fc.constantFrom('both', 'originalTotalOnly', 'discountsOnly'),
  code: fc.constantFrom(...ITEM_CODES),
  exNoise: fc.integer({ min: -2, max: 2 }),
  sku: fc.constantFrom<string>('SKU-1', 'SKU-2', 'TS#42*XL', 'Miljöavgift – 1', '', 'ABC'), // repeats force collisions
});
type ItemSpec = typeof itemSpec extends fc.Arbitrary<infer T> ? T : never;

const shippingSpec = fc.record({
  totalMinor: fc.integer({ min: 0, max: 15_000 }),
  rate: fc.constantFrom(...RATES),
  removed: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

const paymentSpec = fc.record({
  permille: fc.integer({ min: 0, max: 450 }),
  type: fc.constantFrom('voucher', 'prepaid'),
  state: fc.constantFrom('intent', 'processing', 'removed', 'cancelled'),
});

const cartSpec = fc.record({
  market: fc.constantFrom(...MARKETS),
  items: fc.array(itemSpec, { minLength: 1, maxLength: 8 }),
  anchorUnitThousandths: fc.integer({ min: 1_000, max: 900_000 }), // one item that surely is worth something
  summariseDiscounts: fc.boolean(),
  unspreadCartDiscountPermille: fc.option(fc.integer({ min: 1, max: 300 })),
  unspreadIsShippingDiscount: fc.boolean(),
  shippings: fc.array(shippingSpec, { maxLength: 2 }),
  payments: fc.array(paymentSpec, { maxLength: 2 }),
  residualSeed: fc.integer({ min: -50, max: 50 }),
  withResidual: fc.boolean(),
});
type CartSpec = typeof cartSpec extends fc.Arbitrary<infer T> ? T : never;

const optionsSpec = fc.record({ mapDiscountPerRow: fc.boolean(), qliroOwnsShipping: fc.boolean() });

// ------------------------------------------------------------------------------------------------ building Norce orders

interface Built {
  order: NorceOrder;
  /** What the Qliro payment must cover, computed independently of the mapper. */
  toCoverMinor: number;
  /** Most a rounding residual may be. */
  tolerance: number;
}

function amountOf(incMinor: number, rate: number, currency: string, exNoise = 0) {
  const ex = excludingVatMinor(incMinor, vatRateBasisPoints(rate)) + (rate > 0 ? exNoise : 0);
  return { includingVat: toMajor(incMinor, currency), excludingVat: toMajor(ex, currency) };
}

function buildItem(spec: ItemSpec, index: number, currency: string): NorceCartItem {
  const unitMajor = ((spec.negative ? -1 : 1) * spec.unitThousandths) / 1000;
  const originalMinor = toMinor(unitMajor * spec.quantity, currency);
  const discountMinor = spec.negative ? 0 : Math.floor((originalMinor * spec.discountPermille) / 1000);
  const totalMinor = originalMinor - discountMinor;
  const withOriginal = spec.discountStyle !== 'discountsOnly';
  const withDiscounts = spec.discountStyle !== 'originalTotalOnly' && discountMinor > 0;
  return {
    id: `ci_${index}`,
    ...(spec.sku ? { sku: spec.sku } : {}),
    reference: `line-${index}`,
    name: `Item ${index} <b>${spec.sku}</b>`,
    quantity: spec.quantity,
    ...(Number.isInteger(spec.quantity) ? {} : { unit: 'kg' }),
    price: { includingVat: unitMajor, excludingVat: Math.round((unitMajor / (1 + spec.rate)) * 1000) / 1000 },
    total: amountOf(totalMinor, spec.rate, currency, spec.exNoise),
    ...(withOriginal ? { originalTotal: amountOf(originalMinor, spec.rate, currency) } : {}),
    vatRate: spec.rate,
    discounts: withDiscounts
      ? [{ type: 'item', code: spec.code, name: `Promotion ${spec.code}`, value: amountOf(discountMinor, spec.rate, currency) }]
      : [],
  };
}

/** cart.discounts as Norce keeps them: the item discounts again, aggregated per code. */
function summaries(items: readonly NorceCartItem[], currency: string): NorceDiscount[] {
  const byCode = new Map<string, { inc: number; ex: number }>();
  for (const d of items.flatMap((i) => i.discounts ?? [])) {
    const sum = byCode.get(d.code!) ?? { inc: 0, ex: 0 };
    byCode.set(d.code!, { inc: sum.inc + toMinor(d.value.includingVat, currency), ex: sum.ex + toMinor(d.value.excludingVat, currency) });
  }
  return [...byCode].map(([code, v]) => ({
    type: 'item',
    code,
    name: `Promotion ${code}`,
    value: { includingVat: toMajor(v.inc, currency), excludingVat: toMajor(v.ex, currency) },
  }));
}

function build(spec: CartSpec): Built {
  const { currency, country } = spec.market;
  const anchor: ItemSpec = {
    quantity: 1,
    unitThousandths: spec.anchorUnitThousandths,
    negative: false,
    rate: 0.25,
    discountPermille: 0,
    discountStyle: 'both',
    code: 'SUMMER',
    exNoise: 0,
    sku: 'ANCHOR',
  };
  const items = [anchor, ...spec.items].map((s, i) => buildItem(s, i, currency));
  const shippings: NorceShipping[] = spec.shippings.map((s, i) => ({
    id: `s_${i}`,
    name: `Shipping ${i}`,
    reference: `ship-${i}`,
    state: s.removed ? 'removed' : 'intent',
    total: amountOf(s.totalMinor, s.rate, currency),
    vatRate: s.rate,
  }));
  const itemsMinor = items.reduce((a, i) => a + toMinor(i.total.includingVat, currency), 0);
  const positiveItemsMinor = items.reduce((a, i) => a + Math.max(0, toMinor(i.total.includingVat, currency)), 0);
  const activeShippings = shippings.filter((s) => s.state !== 'removed');
  const shippingMinor = activeShippings.reduce((a, s) => a + toMinor(s.total.includingVat, currency), 0);

  const unspreadMinor = spec.unspreadCartDiscountPermille === null ? 0 : Math.floor((positiveItemsMinor * spec.unspreadCartDiscountPermille) / 1000);
  const cartDiscounts = [
    ...(spec.summariseDiscounts ? summaries(items, currency) : []),
    ...(unspreadMinor > 0
      ? [
          {
            type: spec.unspreadIsShippingDiscount && activeShippings.length > 0 ? 'shipping' : 'cart',
            code: 'CART',
            name: 'Cart discount',
            value: { includingVat: toMajor(unspreadMinor, currency), excludingVat: toMajor(Math.floor(unspreadMinor * 0.8), currency) },
          },
        ]
      : []),
  ];

  const tolerance = items.length + activeShippings.length;
  // A rounding residual, only where a product line is big enough to take it.
  const largestItemMinor = Math.max(...items.map((i) => toMinor(i.total.includingVat, currency)));
  const residual = spec.withResidual && largestItemMinor > tolerance ? spec.residualSeed % (tolerance + 1) : 0;
  const totalMinor = itemsMinor + shippingMinor - unspreadMinor + residual;

  const payments: NorcePayment[] = spec.payments.map((p, i) => ({
    id: `p_${i}`,
    adapterId: 'gift_adapter',
    name: p.type === 'voucher' ? 'Presentkort' : 'Saldo',
    type: p.type,
    amount: toMajor(Math.floor((Math.max(totalMinor, 0) * p.permille) / 1000), currency),
    state: p.state,
  }));
  payments.push({ id: 'p_qliro', adapterId: 'qliro_checkout_adapter', type: 'default', amount: 0, state: 'intent' });
  const coveredMinor = payments
    .filter((p) => p.type !== 'default' && (p.state === 'intent' || p.state === 'processing'))
    .reduce((a, p) => a + toMinor(p.amount, currency), 0);

  const order: NorceOrder = {
    id: 'o_prop',
    culture: 'sv-SE',
    currency,
    country,
    state: { currentStatus: 'checkout' },
    cart: { reference: 'cart-prop', items, discounts: cartDiscounts },
    shippings,
    payments,
    total: { includingVat: toMajor(totalMinor, currency), excludingVat: toMajor(Math.floor(totalMinor * 0.8), currency) },
  };
  return { order, toCoverMinor: totalMinor - coveredMinor, tolerance };
}

const map = (order: NorceOrder, options: OrderLineOptions) =>
  order.currency === 'JPY' ? mapOrderLines(order, options, 'p_qliro') : toQliroOrderLines(order, options, 'p_qliro');

function right(result: E.Either<{ code: string; message: string }, MappedQliroOrder>): MappedQliroOrder {
  if (E.isLeft(result)) throw new Error(`expected lines, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

const validCart = cartSpec.filter((spec) => {
  const { toCoverMinor, order } = build(spec);
  return toCoverMinor > 0 && toMinor(order.total.includingVat, order.currency) > 0;
});

// ------------------------------------------------------------------------------------------------ properties

const twoDecimals = /^-?\d+(\.\d{1,2})?$/;

function expectLineRules(lines: readonly QliroOrderLine[], order: NorceOrder): void {
  const rates = new Set<number>([0, ...order.cart.items.map((i) => vatRateToPercent(i.vatRate)), ...(order.shippings ?? []).map((s) => vatRateToPercent(s.vatRate))]);
  const keys = new Set<string>();
  for (const l of lines) {
    expect(Number.isSafeInteger(l.Quantity) && l.Quantity >= 1, `Quantity ${l.Quantity}`).to.equal(true);
    expect(String(l.PricePerItemIncVat)).to.match(twoDecimals);
    expect(String(l.PricePerItemExVat)).to.match(twoDecimals);
    if (order.currency === 'JPY') expect(Number.isInteger(l.PricePerItemIncVat) && Number.isInteger(l.PricePerItemExVat)).to.equal(true);
    expect(String(l.VatRate)).to.match(twoDecimals);
    expect(rates.has(l.VatRate), `VatRate ${l.VatRate} is a Norce rate`).to.equal(true);
    if (l.Type === 'Discount') {
      expect(l.PricePerItemIncVat, `${l.MerchantReference} discount`).to.be.at.most(0);
      expect(l.PricePerItemExVat).to.be.at.most(0);
      expect(l.PricePerItemExVat).to.be.at.least(l.PricePerItemIncVat);
    } else {
      expect(l.PricePerItemIncVat, `${l.MerchantReference} ${l.Type}`).to.be.at.least(0);
      expect(l.PricePerItemExVat).to.be.at.least(0);
      expect(l.PricePerItemExVat).to.be.at.most(l.PricePerItemIncVat);
    }
    expect(l.MerchantReference).to.match(QLIRO_ITEM_REFERENCE_PATTERN);
    expect(l.Description.length).to.be.within(1, 4000);
    const key = `${l.MerchantReference.toLowerCase()}|${l.PricePerItemIncVat}`;
    expect(keys.has(key), `duplicate line ${key}`).to.equal(false);
    keys.add(key);
  }
  expect(lines.length).to.be.at.most(200);
}

describe('Norce order → Qliro order lines (properties)', () => {
  it('the lines always sum exactly to the amount to cover, and obey Qliro’s field rules', () => {
    fc.assert(
      fc.property(validCart, optionsSpec, (spec, options) => {
        const { order, toCoverMinor } = build(spec);
        const mapped = right(map(order, options));
        expect(mapped.amountToCoverMinor).to.equal(toCoverMinor);
        expect(mapped.amountToCover).to.equal(toMajor(toCoverMinor, order.currency));
        expect(qliroLinesTotalMinor(mapped.lines, order.currency) + mapped.qliroOwnedShippingMinor).to.equal(toCoverMinor);
        if (!options.qliroOwnsShipping) expect(mapped.qliroOwnedShippingMinor).to.equal(0);
        expectLineRules(mapped.lines, order);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same order gives the same lines', () => {
    fc.assert(
      fc.property(validCart, optionsSpec, (spec, options) => {
        const { order } = build(spec);
        const copy = JSON.parse(JSON.stringify(order)) as NorceOrder;
        expect(right(map(copy, options))).to.deep.equal(right(map(order, options)));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a residual above the tolerance with order-validation naming the difference', () => {
    fc.assert(
      fc.property(
        validCart.filter((s) => s.unspreadCartDiscountPermille === null),
        optionsSpec,
        fc.integer({ min: 1, max: 100_000 }),
        fc.boolean(),
        (spec, options, extra, up) => {
          const { order, tolerance } = build(spec);
          // Twice the tolerance: the cart may already carry a residual of up to the tolerance the other way.
          const difference = (2 * tolerance + extra) * (up ? 1 : -1);
          const totalMinor = toMinor(order.total.includingVat, order.currency) + difference;
          const payments = (order.payments ?? []).filter((p) => p.type === 'default'); // keep the amount to cover positive
          fc.pre(totalMinor > 0);
          const broken: NorceOrder = { ...order, payments, total: { ...order.total, includingVat: toMajor(totalMinor, order.currency) } };
          const result = map(broken, options);
          if (E.isRight(result)) throw new Error('expected a refusal');
          expect(result.left.code).to.equal('order-validation');
          expect(result.left.message).to.match(/differs from the sum of its lines .* by /);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses the 0-decimal currency outside Qliro’s markets', () => {
    fc.assert(
      fc.property(validCart.filter((s) => s.market.currency === 'JPY'), (spec) => {
        const result = toQliroOrderLines(build(spec).order, { mapDiscountPerRow: false, qliroOwnsShipping: false });
        expect(E.isLeft(result) && result.left.code === 'order-validation').to.equal(true);
      }),
      { numRuns: 20 },
    );
  });
});
