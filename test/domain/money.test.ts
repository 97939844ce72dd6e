import { expect } from 'chai';
import fc from 'fast-check';
import {
  allocateProportionally,
  currencyDigits,
  divideRounded,
  excludingVatMinor,
  formatMinor,
  formatMoney,
  roundHalfAwayFromZero,
  toMajor,
  toMinor,
  vatRateBasisPoints,
  vatRateToPercent,
} from '../../src/domain/money';

/** The exact expectation, from the decimal text with BigInt: round half away from zero at `decimals` places. */
function expectedMinor(sign: '' | '-', whole: bigint, fraction: string, decimals: number): number {
  const scale = 10n ** BigInt(fraction.length);
  const value = whole * scale + BigInt(fraction || '0');
  const scaled = value * 10n ** BigInt(decimals);
  const rounded = (2n * scaled + scale) / (2n * scale);
  const n = Number(rounded);
  return sign === '-' && n !== 0 ? -n : n;
}

describe('money', () => {
  describe('currencyDigits', () => {
    const cases: [string | undefined, number][] = [
      ['SEK', 2],
      ['nok', 2],
      ['EUR', 2],
      ['DKK', 2],
      ['JPY', 0],
      ['ISK', 0],
      ['XYZ', 2],
      [undefined, 2],
      ['', 2],
    ];
    for (const [currency, digits] of cases) {
      it(`${currency ?? '(none)'} has ${digits} decimals`, () => expect(currencyDigits(currency)).to.equal(digits));
    }
  });

  describe('toMinor', () => {
    const cases: [number, string | undefined, number][] = [
      [1416.76, 'SEK', 141676],
      [2.345, 'SEK', 235],
      [-2.345, 'SEK', -235],
      [1.005, 'SEK', 101],
      [1.015, 'SEK', 102],
      [0.285, 'EUR', 29],
      [976.8, 'SEK', 97680],
      [0.1 + 0.2, 'SEK', 30],
      [33.333, 'SEK', 3333],
      [33.335, 'SEK', 3334],
      [0.004, 'SEK', 0],
      [-0.004, 'SEK', 0],
      [0.005, 'SEK', 1],
      [1e-7, 'SEK', 0],
      [1e21, 'JPY', 1e21],
      [1234.5, 'JPY', 1235],
      [-1234.5, 'ISK', -1235],
      [1234.49, 'JPY', 1234],
      [0, undefined, 0],
      [12.5, undefined, 1250],
    ];
    for (const [major, currency, minor] of cases) {
      it(`${major} ${currency ?? ''} → ${minor}`, () => {
        if (Number.isSafeInteger(minor)) expect(toMinor(major, currency)).to.equal(minor);
        else expect(() => toMinor(major, currency)).to.throw(RangeError);
      });
    }

    it('never answers -0', () => expect(Object.is(toMinor(-0.001, 'SEK'), 0)).to.equal(true));

    it('refuses what is not a finite number', () => {
      expect(() => toMinor(Number.NaN)).to.throw(RangeError);
      expect(() => toMinor(Number.POSITIVE_INFINITY)).to.throw(RangeError);
    });

    it('is exact for any decimal written with up to 6 places (property)', () => {
      fc.assert(
        fc.property(
          fc.constantFrom<'' | '-'>('', '-'),
          fc.bigInt({ min: 0n, max: 10n ** 9n }),
          fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
          fc.constantFrom(0, 2),
          (sign, whole, fraction, decimals) => {
            const text = `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
            const currency = decimals === 0 ? 'JPY' : 'SEK';
            expect(toMinor(Number(text), currency)).to.equal(expectedMinor(sign, whole, fraction, decimals));
          },
        ),
      );
    });

    it('round-trips with toMajor (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom('SEK', 'EUR', 'JPY'), (minor, currency) => {
          expect(toMinor(toMajor(minor, currency), currency)).to.equal(minor);
        }),
      );
    });
  });

  describe('toMajor', () => {
    it('converts minor units to the decimal a person reads', () => {
      expect(toMajor(97680, 'SEK')).to.equal(976.8);
      expect(toMajor(235)).to.equal(2.35);
      expect(toMajor(-1, 'EUR')).to.equal(-0.01);
      expect(toMajor(1235, 'JPY')).to.equal(1235);
      expect(Object.is(toMajor(-0), 0)).to.equal(true);
    });

    it('refuses a fractional number of minor units', () => expect(() => toMajor(1.5)).to.throw(RangeError));

    it('always has at most 2 decimals in its shortest form (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => {
          expect(String(toMajor(minor, 'SEK'))).to.match(/^-?\d+(\.\d{1,2})?$/);
        }),
      );
    });
  });

  describe('roundHalfAwayFromZero', () => {
    const cases: [number, number, number][] = [
      [2.345, 2, 2.35],
      [-2.345, 2, -2.35],
      [2.5, 0, 3],
      [-2.5, 0, -3],
      [24.137931034483, 2, 24.14],
      [1.0049999, 2, 1],
    ];
    for (const [value, decimals, expected] of cases) {
      it(`${value} at ${decimals} → ${expected}`, () => expect(roundHalfAwayFromZero(value, decimals)).to.equal(expected));
    }
  });

  describe('divideRounded', () => {
    const cases: [number, number, number][] = [
      [7, 2, 4],
      [-7, 2, -4],
      [7, -2, -4],
      [5, 3, 2],
      [4, 3, 1],
      [0, 5, 0],
      [1250000, 12500, 100],
    ];
    for (const [n, d, q] of cases) it(`${n} / ${d} → ${q}`, () => expect(divideRounded(n, d)).to.equal(q));

    it('refuses a zero divisor', () => expect(() => divideRounded(1, 0)).to.throw(RangeError));
  });

  describe('VAT rates', () => {
    const cases: [number, number, number][] = [
      [0.25, 25, 2500],
      [0.255, 25.5, 2550],
      [0.12, 12, 1200],
      [0.06, 6, 600],
      [0.14, 14, 1400],
      [0.15, 15, 1500],
      [0.24, 24, 2400],
      [0.07, 7, 700],
      [0.1, 10, 1000],
      [0, 0, 0],
      [0.24137931034483, 24.14, 2414],
      [0.1 + 0.02, 12, 1200],
    ];
    for (const [fraction, percent, basisPoints] of cases) {
      it(`${fraction} → ${percent} % (${basisPoints} bp)`, () => {
        expect(vatRateToPercent(fraction)).to.equal(percent);
        expect(vatRateBasisPoints(fraction)).to.equal(basisPoints);
      });
    }

    it('a percent never has more than 2 decimals (property)', () => {
      fc.assert(
        fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), (fraction) => {
          expect(String(vatRateToPercent(fraction))).to.match(/^\d+(\.\d{1,2})?$/);
        }),
      );
    });

    const exVat: [number, number, number][] = [
      [12500, 2500, 10000],
      [-1250, 2500, -1000],
      [8990, 1200, 8027],
      [-500, 1200, -446],
      [34900, 2550, 27809],
      [690, 2550, 550],
      [100, 0, 100],
    ];
    for (const [inc, bp, ex] of exVat) {
      it(`excl. VAT of ${inc} at ${bp} bp is ${ex}`, () => expect(excludingVatMinor(inc, bp)).to.equal(ex));
    }

    it('excl. VAT never exceeds incl. VAT in size (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e10, max: 1e10 }), fc.integer({ min: 0, max: 9900 }), (inc, bp) => {
          expect(Math.abs(excludingVatMinor(inc, bp))).to.be.at.most(Math.abs(inc));
        }),
      );
    });
  });

  describe('allocateProportionally', () => {
    it('splits exactly, the leftover to the largest remainders', () => {
      expect(allocateProportionally(100, [1, 1, 1])).to.deep.equal([34, 33, 33]);
      expect(allocateProportionally(10000, [149900, 19470, 12900])).to.deep.equal([8224, 1068, 708]);
      expect(allocateProportionally(-7, [1, 1])).to.deep.equal([-4, -3]);
      expect(allocateProportionally(5, [0, 0])).to.deep.equal([5, 0]);
    });

    it('always sums to the total (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -1e9, max: 1e9 }),
          fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 8 }),
          (total, weights) => {
            const parts = allocateProportionally(total, weights);
            expect(parts.reduce((a, b) => a + b, 0)).to.equal(total);
            expect(parts).to.have.length(weights.length);
          },
        ),
      );
    });
  });

  describe('formatting', () => {
    it('writes minor units as a fixed decimal', () => {
      expect(formatMinor(97680, 'SEK')).to.equal('976.80');
      expect(formatMinor(-5, 'SEK')).to.equal('-0.05');
      expect(formatMinor(7, 'JPY')).to.equal('7');
      expect(formatMoney(500, 'sek')).to.equal('5.00 SEK');
    });
  });
});
