import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { QLIRO_LANGUAGES, checkQliroMarket, findQliroMarket, toQliroLanguage } from '../../src/domain/qliro-market';

describe('Qliro markets', () => {
  describe('checkQliroMarket', () => {
    const supported: [string, string][] = [
      ['SEK', 'SE'],
      ['NOK', 'NO'],
      ['EUR', 'FI'],
      ['DKK', 'DK'],
      ['sek', 'se'],
    ];
    for (const [currency, country] of supported) {
      it(`takes ${currency} in ${country}`, () => {
        const result = checkQliroMarket(currency, country);
        expect(E.isRight(result)).to.equal(true);
        expect(findQliroMarket(currency, country)?.currency).to.equal(currency.toUpperCase());
      });
    }

    const refused: [string, string, RegExp][] = [
      ['USD', 'SE', /currency USD/],
      ['SEK', 'US', /country US/],
      ['SEK', 'DK', /SEK in DK/],
      ['EUR', 'DE', /country DE/],
      ['EUR', 'SE', /EUR in SE/],
      ['', 'SE', /currency \(none\)/],
    ];
    for (const [currency, country, message] of refused) {
      it(`refuses ${currency || '(no currency)'} in ${country} with order-validation`, () => {
        const result = checkQliroMarket(currency, country);
        if (E.isRight(result)) throw new Error('expected a refusal');
        expect(result.left.code).to.equal('order-validation');
        expect(result.left.message).to.match(message);
        expect(result.left.message).to.contain('SEK in SE');
      });
    }
  });

  describe('toQliroLanguage', () => {
    const cases: [string | undefined, string | undefined, string | undefined, string][] = [
      ['sv-SE', undefined, undefined, 'sv-se'],
      ['sv-FI', undefined, undefined, 'sv-se'],
      ['nb-NO', undefined, undefined, 'nb-no'],
      ['no-NO', undefined, undefined, 'nb-no'],
      ['nn-NO', undefined, undefined, 'nb-no'],
      ['fi-FI', undefined, undefined, 'fi-fi'],
      ['da-DK', undefined, undefined, 'da-dk'],
      ['en-GB', undefined, undefined, 'en-us'],
      ['en', undefined, undefined, 'en-us'],
      ['de-AT', undefined, undefined, 'de-de'],
      ['fr-CA', undefined, undefined, 'fr-fr'],
      ['nl-BE', undefined, undefined, 'nl-nl'],
      ['sv_SE', undefined, undefined, 'sv-se'],
      [' SV-se ', undefined, undefined, 'sv-se'],
      ['pl-PL', 'sv-SE', 'SE', 'sv-se'],
      [undefined, 'da-dk', 'SE', 'da-dk'],
      ['pl-PL', undefined, 'NO', 'nb-no'],
      [undefined, 'xx', 'FI', 'fi-fi'],
      [undefined, undefined, 'dk', 'da-dk'],
      ['pl-PL', undefined, 'PL', 'en-us'],
      [undefined, undefined, undefined, 'en-us'],
      ['', '', '', 'en-us'],
    ];
    for (const [culture, defaultLanguage, country, expected] of cases) {
      it(`culture ${culture ?? '-'}, default ${defaultLanguage ?? '-'}, country ${country ?? '-'} → ${expected}`, () => {
        const language = toQliroLanguage(culture, defaultLanguage, country);
        expect(language).to.equal(expected);
        expect(QLIRO_LANGUAGES).to.include(language);
      });
    }
  });
});
