import { expect } from 'chai';
import fc from 'fast-check';
import type { NorceOrder } from '../../src/domain/norce-order';
import {
  QLIRO_ITEM_REFERENCE_PATTERN,
  QLIRO_MERCHANT_REFERENCE_PATTERN,
  cleanDescription,
  cleanItemReference,
  deriveMerchantReference,
  merchantReferenceSourceFor,
  shortHash,
  withReferenceSuffix,
} from '../../src/domain/references';

const order = (id: string, cartReference?: string): NorceOrder => ({
  id,
  currency: 'SEK',
  country: 'SE',
  state: { currentStatus: 'checkout' },
  cart: { items: [], ...(cartReference === undefined ? {} : { reference: cartReference }) },
  total: { includingVat: 0, excludingVat: 0 },
});

describe('references', () => {
  describe('deriveMerchantReference', () => {
    const cases: [string, number, string][] = [
      ['oTerFglJ', 0, 'oTerFglJ'],
      ['oTerFglJ', 1, 'oTerFglJ-2'],
      ['oTerFglJ', 2, 'oTerFglJ-3'],
      ['1084977', 0, '1084977'],
      ['order 12/3#', 0, 'order123'],
      ['abcdefghijklmnopqrstuvwxy', 0, 'abcdefghijklmnopqrstuvwxy'],
    ];
    for (const [source, attempt, expected] of cases) {
      it(`${JSON.stringify(source)} attempt ${attempt} → ${expected}`, () =>
        expect(deriveMerchantReference(source, attempt)).to.equal(expected));
    }

    it('shortens a 28-character Norce order id to 25, keeping its beginning and a hash of the whole', () => {
      const id = 'o_igqIikElrTFlSrFqJPiPpRWVzQ';
      const reference = deriveMerchantReference(id, 0);
      expect(reference).to.have.length(25);
      expect(reference).to.match(QLIRO_MERCHANT_REFERENCE_PATTERN);
      expect(reference.startsWith('o_igqIikElrTFlSrF-')).to.equal(true);
      expect(reference.endsWith(shortHash(id))).to.equal(true);
      // Two ids with the same 25-character beginning stay apart (a plain cut would merge them).
      expect(deriveMerchantReference(`${id}X`, 0)).to.not.equal(deriveMerchantReference(`${id}Y`, 0));
    });

    it('still gives a reference when nothing of the source is allowed', () => {
      expect(deriveMerchantReference('åäö #', 0)).to.equal(shortHash('åäö #'));
      expect(deriveMerchantReference('', 0)).to.match(QLIRO_MERCHANT_REFERENCE_PATTERN);
    });

    it('treats a negative or fractional attempt as the first', () => {
      expect(deriveMerchantReference('abc', -1)).to.equal('abc');
      expect(deriveMerchantReference('abc', 1.5)).to.equal('abc');
    });

    it('is valid, deterministic and distinct per attempt for any source (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (source) => {
          const references = [0, 1, 2, 3, 9, 10, 99, 1000].map((n) => deriveMerchantReference(source, n));
          for (const r of references) expect(r).to.match(QLIRO_MERCHANT_REFERENCE_PATTERN);
          expect(new Set(references).size).to.equal(references.length);
          expect(deriveMerchantReference(source, 3)).to.equal(references[3]);
        }),
      );
    });

    it('keeps a fitting source untouched at attempt 0 (property)', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,25}$/), (source) => {
          expect(deriveMerchantReference(source, 0)).to.equal(source);
        }),
      );
    });
  });

  describe('merchantReferenceSourceFor', () => {
    it('uses the order id for OrderId', () => expect(merchantReferenceSourceFor(order('oA', 'cart-1'), 'OrderId')).to.equal('oA'));
    it('uses the cart reference for OrderCartReference', () =>
      expect(merchantReferenceSourceFor(order('oA', 'cart-1'), 'OrderCartReference')).to.equal('cart-1'));
    it('falls back to the order id when the cart has no reference', () => {
      expect(merchantReferenceSourceFor(order('oA'), 'OrderCartReference')).to.equal('oA');
      expect(merchantReferenceSourceFor(order('oA', '  '), 'OrderCartReference')).to.equal('oA');
    });
  });

  describe('cleanItemReference', () => {
    const cases: [string, string][] = [
      ['JKT-30112-S', 'JKT-30112-S'],
      ['TS#42*XL', 'TS42XL'],
      ['Miljöavgift – 2 st (50 ml)', 'Miljöavgift – 2 st (50 ml)'],
      ["Kid's & co, 1/2 + 3: x_y.z", "Kid's & co, 1/2 + 3: x_y.z"],
      ['  two   spaces\tand\ntabs ', 'two spaces and tabs'],
      ['e8ed2091-c34c-4837-a3a8-bc827b0dc183', 'e8ed2091-c34c-4837-a3a8-bc827b0dc183'],
      ['', 'item'],
      ['   ', 'item'],
      ['T-shirt 🎉 «Limited»', 'T-shirt Limited'],
      ['a;b<c>d"e%f', 'abcdef'],
    ];
    for (const [raw, expected] of cases) {
      it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () => expect(cleanItemReference(raw)).to.equal(expected));
    }

    it('gives a stable fallback when nothing is allowed', () => {
      expect(cleanItemReference('#*%')).to.equal(`item-${shortHash('#*%')}`);
      expect(cleanItemReference('#*%')).to.match(QLIRO_ITEM_REFERENCE_PATTERN);
    });

    it('shortens a long reference to 200, keeping its beginning and a hash of the whole', () => {
      const raw = `FEE-${'Miljöavgift – '.repeat(20)}`.slice(0, 254);
      const cleaned = cleanItemReference(raw);
      expect(cleaned.length).to.be.at.most(200);
      expect(cleaned.startsWith('FEE-Miljöavgift – Miljöavgift')).to.equal(true);
      expect(cleaned.endsWith(`-${shortHash(raw)}`)).to.equal(true);
      expect(cleanItemReference(`${raw}a`)).to.not.equal(cleaned);
    });

    it('does not split a character outside the basic plane when shortening', () => {
      const letter = '𝒜'; // a letter (\p{L}) of two UTF-16 units
      const cleaned = cleanItemReference(letter.repeat(150));
      expect(cleaned.length).to.be.at.most(200);
      expect(cleaned).to.match(QLIRO_ITEM_REFERENCE_PATTERN);
    });

    it('always matches Qliro’s pattern and is deterministic (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
          const cleaned = cleanItemReference(raw);
          expect(cleaned).to.match(QLIRO_ITEM_REFERENCE_PATTERN);
          expect(cleanItemReference(raw)).to.equal(cleaned);
        }),
      );
    });

    it('withReferenceSuffix stays within 200 characters', () => {
      const long = cleanItemReference('x'.repeat(200));
      expect(withReferenceSuffix(long, ' (2)')).to.have.length(200);
      expect(withReferenceSuffix(long, ' (2)').endsWith(' (2)')).to.equal(true);
      expect(withReferenceSuffix('SKU-1', ' (2)')).to.equal('SKU-1 (2)');
    });
  });

  describe('cleanDescription', () => {
    const cases: [string | undefined, string][] = [
      ['T-shirt 🎉 «Limited» <b>XL</b>', 'T-shirt 🎉 «Limited» XL'],
      ['<p>Line one</p><p>Line two</p>', 'Line one Line two'],
      ['Fish &amp; chips <!-- note -->', 'Fish & chips'],
      ['Size < 40 and > 30', 'Size < 40 and > 30'],
      ['Regnjacka Dam, S', 'Regnjacka Dam, S'],
      ['', 'Item'],
      ['<br/>', 'Item'],
      [undefined, 'Item'],
    ];
    for (const [name, expected] of cases) {
      it(`${JSON.stringify(name)} → ${JSON.stringify(expected)}`, () => expect(cleanDescription(name)).to.equal(expected));
    }

    it('uses the fallback when the name is empty', () => expect(cleanDescription('  ', 'SKU-1')).to.equal('SKU-1'));

    it('is at most 4000 characters and never empty (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 5000 }), (name) => {
          const description = cleanDescription(name);
          expect(description.length).to.be.within(1, 4000);
          expect(description).to.not.match(/<\/?[A-Za-z][^<>]*>/);
        }),
        { numRuns: 50 },
      );
      expect(cleanDescription('a'.repeat(5000))).to.have.length(4000);
    });
  });
});
