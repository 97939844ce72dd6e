// Money in integer minor units (öre, cent). Norce and Qliro speak major units; we convert at the edges only.

/** Decimal places of a currency's minor unit. Qliro's currencies all have 2; unknown currencies are assumed to have 2. */
const CURRENCY_DIGITS: Readonly<Record<string, number>> = {
  SEK: 2,
  NOK: 2,
  EUR: 2,
  DKK: 2,
  JPY: 0,
  ISK: 0,
};

const DEFAULT_DIGITS = 2;

export function currencyDigits(currency?: string): number {
  const digits = currency === undefined ? undefined : CURRENCY_DIGITS[currency.toUpperCase()];
  return digits ?? DEFAULT_DIGITS;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * `value × 10^decimals`, rounded half away from zero, as an exact integer.
 * Works on the shortest decimal string of the number (what a person typed: 2.345, 1416.76), so there is no
 * float drift: 2.345 → 235 at 2 decimals although 2.345 × 100 is 234.49999999999997 in binary.
 */
export function scaleToInteger(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  const match = DECIMAL.exec(String(value));
  if (!match) throw new RangeError(`not a decimal amount: ${value}`);
  const [, sign, whole = '0', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  // Index in `digits` of the first digit that falls below the unit after scaling.
  const cut = whole.length + Number(exponent) + decimals;
  if (cut < 0) return 0; // the scaled value is below 0.1: rounds to zero
  const padded = digits.padEnd(cut + 1, '0');
  const kept = BigInt(padded.slice(0, cut) || '0');
  const magnitude = Number(kept + (padded.charAt(cut) >= '5' ? 1n : 0n));
  if (!Number.isSafeInteger(magnitude)) throw new RangeError(`amount out of range: ${value}`);
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}

/** Major units (e.g. 1416.76 SEK) → integer minor units (141676), rounded half away from zero. */
export function toMinor(major: number, currency?: string): number {
  return scaleToInteger(major, currencyDigits(currency));
}

/** Integer minor units → major units (the nearest double to the exact decimal, e.g. 97680 → 976.8). */
export function toMajor(minor: number, currency?: string): number {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be an integer: ${minor}`);
  const major = minor / 10 ** currencyDigits(currency);
  return major === 0 ? 0 : major; // never -0
}

/** Rounds to `decimals` places, half away from zero, on the decimal value (roundHalfAwayFromZero(2.345, 2) = 2.35). */
export function roundHalfAwayFromZero(value: number, decimals = 0): number {
  const rounded = scaleToInteger(value, decimals) / 10 ** decimals;
  return rounded === 0 ? 0 : rounded;
}

/** Integer division rounded half away from zero: the exact way to take a share of an amount in minor units. */
export function divideRounded(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw new RangeError(`cannot divide ${numerator} by ${denominator}`);
  }
  return bigToSafeNumber(divideRoundedBig(BigInt(numerator), BigInt(denominator)));
}

function divideRoundedBig(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const absN = n < 0n ? -n : n;
  const absD = d < 0n ? -d : d;
  const quotient = (2n * absN + absD) / (2n * absD);
  return negative ? -quotient : quotient;
}

function bigToSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`amount out of range: ${value}`);
  return result === 0 ? 0 : result;
}

/** A VAT rate fraction in basis points (hundredths of a percent): 0.25 → 2500, 0.255 → 2550. */
export function vatRateBasisPoints(fraction: number): number {
  return scaleToInteger(fraction, 4);
}

/** A VAT rate fraction as the percent Qliro wants, at most 2 decimals: 0.25 → 25, 0.255 → 25.5, 0.12 → 12. */
export function vatRateToPercent(fraction: number): number {
  return basisPointsToPercent(vatRateBasisPoints(fraction));
}

export function basisPointsToPercent(basisPoints: number): number {
  const percent = basisPoints / 100;
  return percent === 0 ? 0 : percent;
}

/** Ex-VAT part of an incl.-VAT amount in minor units, for a rate in basis points (12500 @ 2500 → 10000). */
export function excludingVatMinor(includingVatMinor: number, basisPoints: number): number {
  if (!Number.isSafeInteger(includingVatMinor) || !Number.isSafeInteger(basisPoints) || basisPoints <= -10_000) {
    throw new RangeError(`cannot take VAT out of ${includingVatMinor} at ${basisPoints} basis points`);
  }
  return bigToSafeNumber(divideRoundedBig(BigInt(includingVatMinor) * 10_000n, 10_000n + BigInt(basisPoints)));
}

/** Minor units as a fixed decimal string for messages and logs: 97680 SEK → "976.80", -5 → "-0.05". */
export function formatMinor(minor: number, currency?: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Minor units with the currency code, for messages: "976.80 SEK". */
export function formatMoney(minor: number, currency: string): string {
  return `${formatMinor(minor, currency)} ${currency.toUpperCase()}`;
}

/**
 * Splits `total` minor units over `weights` in proportion, exactly (the parts sum to `total`): each part is rounded
 * down and the units left over go to the largest remainders, the first weight winning a tie.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError('allocate needs an integer total and non-negative integer weights');
  }
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0));
  const magnitude = BigInt(Math.abs(total));
  const exact = weights.map((w) => magnitude * BigInt(w));
  const parts = exact.map((e) => e / sum);
  let left = magnitude - parts.reduce((a, p) => a + p, 0n);
  const byRemainder = exact
    .map((e, i) => ({ i, remainder: e % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return parts.map((p) => {
    const n = Number(p);
    return total < 0 && n !== 0 ? -n : n;
  });
}
