// Where Qliro Checkout sells: its markets (country + currency) and checkout languages.
import * as E from 'fp-ts/Either';
import { adapterError, type AdapterError } from './errors';

export const QLIRO_LANGUAGES = ['sv-se', 'en-us', 'fi-fi', 'da-dk', 'fr-fr', 'de-de', 'nb-no', 'nl-nl'] as const;
export type QliroLanguage = (typeof QLIRO_LANGUAGES)[number];

export interface QliroMarket {
  readonly country: string;
  readonly currency: string;
  readonly language: QliroLanguage;
}

/** Qliro's markets (qliro-api.md §2.2): each country with its own currency. EUR elsewhere has no source, so it is not offered. */
export const QLIRO_MARKETS: readonly QliroMarket[] = [
  { country: 'SE', currency: 'SEK', language: 'sv-se' },
  { country: 'NO', currency: 'NOK', language: 'nb-no' },
  { country: 'FI', currency: 'EUR', language: 'fi-fi' },
  { country: 'DK', currency: 'DKK', language: 'da-dk' },
];

export const FALLBACK_LANGUAGE: QliroLanguage = 'en-us';

export function findQliroMarket(currency: string, country: string): QliroMarket | undefined {
  const cur = currency.trim().toUpperCase();
  const ctry = country.trim().toUpperCase();
  return QLIRO_MARKETS.find((m) => m.currency === cur && m.country === ctry);
}

/** The order's market, or `order-validation` saying what Qliro does not take. */
export function checkQliroMarket(currency: string, country: string): E.Either<AdapterError, QliroMarket> {
  const market = findQliroMarket(currency, country);
  if (market) return E.right(market);
  const cur = currency.trim().toUpperCase();
  const ctry = country.trim().toUpperCase();
  const offered = QLIRO_MARKETS.map((m) => `${m.currency} in ${m.country}`).join(', ');
  const reason = !QLIRO_MARKETS.some((m) => m.currency === cur)
    ? `Qliro does not support the currency ${cur || '(none)'}`
    : !QLIRO_MARKETS.some((m) => m.country === ctry)
      ? `Qliro does not support the country ${ctry || '(none)'}`
      : `Qliro does not support ${cur} in ${ctry}`;
  return E.left(adapterError('order-validation', `${reason}; it supports ${offered}`));
}

/** Qliro language per language subtag of a culture; Norwegian in any form is Bokmål for Qliro. */
const LANGUAGE_BY_SUBTAG: Readonly<Record<string, QliroLanguage>> = {
  sv: 'sv-se',
  en: 'en-us',
  fi: 'fi-fi',
  da: 'da-dk',
  fr: 'fr-fr',
  de: 'de-de',
  nb: 'nb-no',
  no: 'nb-no',
  nn: 'nb-no',
  nl: 'nl-nl',
};

/** The checkout language for a country when neither the order nor the channel names one. */
const LANGUAGE_BY_COUNTRY: Readonly<Record<string, QliroLanguage>> = {
  SE: 'sv-se',
  NO: 'nb-no',
  FI: 'fi-fi',
  DK: 'da-dk',
  DE: 'de-de',
  AT: 'de-de',
  NL: 'nl-nl',
  FR: 'fr-fr',
};

/** A culture such as `sv-SE`, `nb_NO` or `en` mapped onto Qliro's languages, or undefined when Qliro has none for it. */
export function qliroLanguageOf(culture: string | undefined): QliroLanguage | undefined {
  const normalised = (culture ?? '').trim().toLowerCase().replace(/_/g, '-');
  if ((QLIRO_LANGUAGES as readonly string[]).includes(normalised)) return normalised as QliroLanguage;
  const subtag = normalised.split('-')[0] ?? '';
  return LANGUAGE_BY_SUBTAG[subtag];
}

/**
 * The Qliro `Language` for an order: from its culture, else the channel's `defaultLanguage`, else the
 * country's usual language, else en-us.
 */
export function toQliroLanguage(culture: string | undefined, defaultLanguage?: string, country?: string): QliroLanguage {
  return (
    qliroLanguageOf(culture) ??
    qliroLanguageOf(defaultLanguage) ??
    LANGUAGE_BY_COUNTRY[(country ?? '').trim().toUpperCase()] ??
    FALLBACK_LANGUAGE
  );
}
