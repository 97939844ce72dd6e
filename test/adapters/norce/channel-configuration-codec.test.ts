import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import {
  decodeChannelConfiguration,
  decodeChannelConfigurationFor,
  qliroChannelConfigurationJsonSchema,
} from '../../../src/adapters/norce/channel-configuration-codec';
import type { AdapterError } from '../../../src/domain/errors';
import type { QliroChannelConfiguration } from '../../../src/domain/channel-configuration';
import { readNorceFixture } from './norce-fixtures';

const SECRET = 'test-merchant-api-secret-not-real';
const KEY = 'TESTMERCHANTKEY';
const fixture = () => structuredClone(readNorceFixture('config/qliro_checkout_adapter.json')) as Record<string, any>;

function ok(u: unknown): QliroChannelConfiguration {
  const result = decodeChannelConfiguration(u);
  if (isLeft(result)) throw new Error(`expected a valid configuration: ${result.left.message}`);
  return result.right;
}

function failure(u: unknown): AdapterError {
  const result = decodeChannelConfiguration(u);
  if (!isLeft(result)) throw new Error('expected the configuration to be rejected');
  return result.left;
}

describe('qliro_checkout_adapter configuration codec', () => {
  it('decodes the fixture document', () => {
    const config = ok(fixture());
    expect(config).to.deep.equal({
      id: 'qliro_checkout_adapter',
      active: true,
      adapter: {
        publicUrl: 'https://norce-open-demo.api-se.playground.norce.tech/checkout/qliro-adapter',
        internalUrl: 'https://qliro-adapter.checkout.playground.internal.norce.tech',
      },
      apiUrl: 'https://pago.qit.nu',
      merchantApiKey: KEY,
      merchantApiSecret: SECRET,
      redirectUrls: {
        termsUrl: 'https://www.example.com/terms?merchant={merchant}&channel={channel}',
        confirmationUrl:
          'https://app.checkout.test.internal.norce.tech/neworderconfirmation?orderId={orderId}&merchant={merchant}&channel={channel}',
        integrityPolicyUrl: 'https://www.example.com/integrity-policy',
      },
      merchantReferenceSource: 'OrderId',
      mapDiscountPerRow: false,
      useIntegratedShipping: false,
      primaryColor: '#00AB84',
      backgroundColor: '#FFFFFF',
      callToActionColor: '#00AB84',
      callToActionHoverColor: '#24BB99',
      cornerRadius: 4,
      buttonCornerRadius: 4,
      minimumCustomerAge: 0,
      requireIdentityVerification: false,
      merchantConstraintName: null,
    });
  });

  it('applies defaults and tolerates unknown fields (recurring, useUpsell, upsellTimeoutSeconds, …)', () => {
    const config = ok({
      adapter: { publicUrl: 'https://adapter.example/' },
      apiUrl: 'https://pago.qit.nu/',
      merchantApiKey: 'k',
      merchantApiSecret: 's',
      redirectUrls: { termsUrl: 'https://shop.example/terms', confirmationUrl: 'https://shop.example/ok/{orderId}', integrityPolicyUrl: '' },
      recurring: true,
      useUpsell: true,
      upsellTimeoutSeconds: 300,
      loyaltyConfiguration: { provider: 'voyado' },
    });
    expect(config).to.deep.equal({
      id: 'qliro_checkout_adapter',
      active: true,
      adapter: { publicUrl: 'https://adapter.example' },
      apiUrl: 'https://pago.qit.nu',
      merchantApiKey: 'k',
      merchantApiSecret: 's',
      redirectUrls: { termsUrl: 'https://shop.example/terms', confirmationUrl: 'https://shop.example/ok/{orderId}' },
      merchantReferenceSource: 'OrderId',
      mapDiscountPerRow: false,
      useIntegratedShipping: false,
    });
  });

  it('decodes shipping methods and normalises the language', () => {
    const config = ok({
      ...fixture(),
      useIntegratedShipping: true,
      defaultLanguage: 'sv-SE',
      merchantReferenceSource: 'ordercartreference',
      shippingMethods: [
        { merchantReference: 'HOME', displayName: 'Hemleverans', priceIncVat: 49, priceExVat: 39.2, vatRate: 0.25, description: 'PostNord' },
        { merchantReference: 'PICKUP', displayName: 'Ombud', priceIncVat: 0, priceExVat: 0, vatRate: 0.25 },
      ],
    });
    expect(config.shippingMethods).to.have.length(2);
    expect(config.shippingMethods?.[0]).to.deep.equal({
      merchantReference: 'HOME',
      displayName: 'Hemleverans',
      priceIncVat: 49,
      priceExVat: 39.2,
      vatRate: 0.25,
      description: 'PostNord',
    });
    expect(config.defaultLanguage).to.equal('sv-se');
    expect(config.merchantReferenceSource).to.equal('OrderCartReference');
  });

  describe('an invalid document is configuration-error naming the field', () => {
    const cases: [string, (d: Record<string, any>) => void, string][] = [
      ['apiUrl missing', (d) => delete d['apiUrl'], 'configuration field apiUrl: required string'],
      ['apiUrl not a URL', (d) => (d['apiUrl'] = 'pago.qit.nu'), 'configuration field apiUrl: must be an absolute http(s) URL'],
      ['merchantApiKey missing', (d) => delete d['merchantApiKey'], 'configuration field merchantApiKey: required string'],
      ['merchantApiSecret empty', (d) => (d['merchantApiSecret'] = ' '), 'configuration field merchantApiSecret: must not be empty'],
      ['adapter missing', (d) => delete d['adapter'], 'configuration field adapter: required object'],
      ['adapter.publicUrl missing', (d) => delete d['adapter'].publicUrl, 'configuration field adapter.publicUrl: required string'],
      ['adapter.internalUrl not a URL', (d) => (d['adapter'].internalUrl = 'internal'), 'configuration field adapter.internalUrl: must be an absolute http(s) URL'],
      ['redirectUrls missing', (d) => delete d['redirectUrls'], 'configuration field redirectUrls: required object'],
      ['redirectUrls.termsUrl missing', (d) => delete d['redirectUrls'].termsUrl, 'configuration field redirectUrls.termsUrl: required string'],
      [
        'redirectUrls.confirmationUrl missing',
        (d) => delete d['redirectUrls'].confirmationUrl,
        'configuration field redirectUrls.confirmationUrl: required string',
      ],
      [
        'redirectUrls.confirmationUrl with an unknown placeholder',
        (d) => (d['redirectUrls'].confirmationUrl = 'https://shop.example/ok?o={order_id}'),
        'configuration field redirectUrls.confirmationUrl: may only contain the placeholders {orderId}, {merchant}, {channel}',
      ],
      ['merchantReferenceSource', (d) => (d['merchantReferenceSource'] = 'CartId'), 'configuration field merchantReferenceSource: must be one of OrderId, OrderCartReference'],
      ['mapDiscountPerRow', (d) => (d['mapDiscountPerRow'] = 'yes'), 'configuration field mapDiscountPerRow: must be true or false'],
      ['active not a boolean', (d) => (d['active'] = 'true'), 'configuration field active: must be true or false'],
      ['cornerRadius too big', (d) => (d['cornerRadius'] = 1001), 'configuration field cornerRadius: must be a whole number from 0 to 1000'],
      ['buttonCornerRadius fractional', (d) => (d['buttonCornerRadius'] = 2.5), 'configuration field buttonCornerRadius: must be a whole number from 0 to 1000'],
      ['primaryColor', (d) => (d['primaryColor'] = 'green'), 'configuration field primaryColor: must be a hex colour like #00AB84'],
      ['minimumCustomerAge', (d) => (d['minimumCustomerAge'] = -1), 'configuration field minimumCustomerAge: must be a whole number from 0 to 150'],
      ['requireIdentityVerification', (d) => (d['requireIdentityVerification'] = 1), 'configuration field requireIdentityVerification: must be true or false'],
      ['merchantConstraintName', (d) => (d['merchantConstraintName'] = 5), 'configuration field merchantConstraintName: must be a string or null'],
      ['defaultLanguage', (d) => (d['defaultLanguage'] = 'swedish'), 'configuration field defaultLanguage: must be a language like sv-se'],
      ['shippingMethods not a list', (d) => (d['shippingMethods'] = {}), 'configuration field shippingMethods: must be a list'],
      [
        'shippingMethods[].vatRate as a percentage',
        (d) =>
          (d['shippingMethods'] = [
            { merchantReference: 'A', displayName: 'A', priceIncVat: 10, priceExVat: 8, vatRate: 0.25 },
            { merchantReference: 'B', displayName: 'B', priceIncVat: 10, priceExVat: 8, vatRate: 25 },
          ]),
        'configuration field shippingMethods[1].vatRate: must be a fraction from 0 to below 1 (0.25 = 25 %)',
      ],
      [
        'shippingMethods[].displayName missing',
        (d) => (d['shippingMethods'] = [{ merchantReference: 'A', priceIncVat: 10, priceExVat: 8, vatRate: 0.25 }]),
        'configuration field shippingMethods[0].displayName: required string',
      ],
      [
        'shippingMethods[].priceExVat above priceIncVat',
        (d) => (d['shippingMethods'] = [{ merchantReference: 'A', displayName: 'A', priceIncVat: 8, priceExVat: 10, vatRate: 0.25 }]),
        'configuration field shippingMethods[0].priceExVat: must not exceed priceIncVat',
      ],
      [
        'shippingMethods[].merchantReference repeated',
        (d) =>
          (d['shippingMethods'] = [
            { merchantReference: 'A', displayName: 'A', priceIncVat: 10, priceExVat: 8, vatRate: 0.25 },
            { merchantReference: 'A', displayName: 'A2', priceIncVat: 10, priceExVat: 8, vatRate: 0.25 },
          ]),
        'configuration field shippingMethods[1].merchantReference: must be unique in the list',
      ],
    ];
    for (const [what, mutate, message] of cases) {
      it(what, () => {
        const doc = fixture();
        mutate(doc);
        const error = failure(doc);
        expect(error.code).to.equal('configuration-error');
        expect(error.message).to.equal(message);
        expect(error.transient).to.equal(undefined);
      });
    }

    it('lists every failing field', () => {
      const doc = fixture();
      delete doc['apiUrl'];
      doc['cornerRadius'] = -4;
      expect(failure(doc).message).to.equal(
        'configuration field apiUrl: required string; configuration field cornerRadius: must be a whole number from 0 to 1000',
      );
    });

    it('a document that is not an object', () => {
      expect(failure([fixture()]).message).to.equal('configuration document: must be a JSON object');
      expect(failure(null).code).to.equal('configuration-error');
    });

    it('never puts values (secrets) in the message', () => {
      const doc = fixture();
      doc['merchantApiKey'] = 12345;
      doc['apiUrl'] = `not-a-url-${SECRET}`;
      doc['primaryColor'] = SECRET;
      const { message } = failure(doc);
      expect(message).to.contain('merchantApiKey').and.contain('apiUrl').and.contain('primaryColor');
      expect(message).to.not.contain(SECRET);
      expect(message).to.not.contain('12345');
    });
  });

  it('an inactive document is configuration-error "… is not active"', () => {
    const error = failure({ ...fixture(), active: false });
    expect(error).to.deep.equal({ code: 'configuration-error', message: 'qliro_checkout_adapter configuration is not active' });
  });

  it('decodeChannelConfigurationFor names the channel', () => {
    const doc = fixture();
    delete doc['redirectUrls'].confirmationUrl;
    const result = decodeChannelConfigurationFor({ merchant: 'm1', channel: 'c1' }, doc);
    expect(isLeft(result) && result.left.message).to.equal(
      'qliro_checkout_adapter configuration of merchant m1 channel c1: configuration field redirectUrls.confirmationUrl: required string',
    );
  });

  describe('JSON Schema', () => {
    const schema = qliroChannelConfigurationJsonSchema;

    it('is a draft 2020-12 object schema with the required fields of the codec', () => {
      expect(schema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).to.equal('object');
      expect([...schema.required].sort()).to.deep.equal(['adapter', 'apiUrl', 'merchantApiKey', 'merchantApiSecret', 'redirectUrls']);
      expect(schema.properties.adapter.required).to.deep.equal(['publicUrl']);
      expect(schema.properties.redirectUrls.required).to.deep.equal(['termsUrl', 'confirmationUrl']);
      expect(schema.additionalProperties).to.equal(true);
      expect(JSON.parse(JSON.stringify(schema))).to.deep.equal(schema);
    });

    it('describes every field the decoded configuration has', () => {
      const config = ok({
        ...fixture(),
        defaultLanguage: 'sv-se',
        shippingMethods: [{ merchantReference: 'A', displayName: 'A', priceIncVat: 1, priceExVat: 0.8, vatRate: 0.25, description: 'd' }],
      });
      for (const field of Object.keys(config)) expect(schema.properties, field).to.have.property(field);
      expect(Object.keys(schema.properties.shippingMethods.items.properties).sort()).to.deep.equal(
        Object.keys(config.shippingMethods![0]!).sort(),
      );
      expect(Object.keys(schema.properties.redirectUrls.properties).sort()).to.deep.equal(Object.keys(config.redirectUrls).sort());
    });

    it('states the defaults the codec applies', () => {
      const defaults = ok({ ...fixture(), merchantReferenceSource: undefined, mapDiscountPerRow: undefined, useIntegratedShipping: undefined, active: undefined });
      expect(schema.properties.merchantReferenceSource.default).to.equal(defaults.merchantReferenceSource);
      expect(schema.properties.mapDiscountPerRow.default).to.equal(defaults.mapDiscountPerRow);
      expect(schema.properties.useIntegratedShipping.default).to.equal(defaults.useIntegratedShipping);
      expect(schema.properties.active.default).to.equal(defaults.active);
    });
  });
});
