// Behaviour every ConfigurationRepository shares (fake, HTTP + NCO simulator, file).
import { expect } from 'chai';
import type { ConfigurationRepository } from '../../src/application/ports/configuration-repository';
import { readNorceFixture } from '../adapters/norce/norce-fixtures';
import { leftOf, right } from './norce-order-repository.contract';

export interface ConfigurationRepositoryContractSubject {
  readonly repository: ConfigurationRepository;
  close?(): Promise<void>;
}

/** merchant → channel → `qliro_checkout_adapter` document. */
export type ChannelDocuments = Record<string, Record<string, unknown>>;

const MERCHANT = 'norce-open-demo';
const SECRET = 'test-merchant-api-secret-not-real';

export function contractDocuments(): ChannelDocuments {
  const fixture = readNorceFixture('config/qliro_checkout_adapter.json') as Record<string, unknown>;
  const { redirectUrls, ...rest } = fixture as { redirectUrls: Record<string, unknown> };
  return {
    [MERCHANT]: {
      'nc-qliro-se': fixture,
      minimal: {
        adapter: { publicUrl: 'https://adapter.example/qliro/' },
        apiUrl: 'https://pago.qit.nu',
        merchantApiKey: 'KEY',
        merchantApiSecret: SECRET,
        redirectUrls: { termsUrl: 'https://shop.example/terms', confirmationUrl: 'https://shop.example/thanks?o={orderId}' },
      },
      broken: { ...rest, redirectUrls: { termsUrl: redirectUrls['termsUrl'] } },
      off: { ...fixture, active: false },
    },
  };
}

export function describeConfigurationRepositoryContract(
  name: string,
  setup: (documents: ChannelDocuments) => Promise<ConfigurationRepositoryContractSubject>,
): void {
  describe(`ConfigurationRepository contract: ${name}`, () => {
    let subject: ConfigurationRepositoryContractSubject;

    before(async () => {
      subject = await setup(contractDocuments());
    });
    after(async () => {
      await subject?.close?.();
    });

    it('reads and decodes a channel configuration', async () => {
      const config = right(await subject.repository.get({ merchant: MERCHANT, channel: 'nc-qliro-se' })());
      expect(config).to.include({
        id: 'qliro_checkout_adapter',
        active: true,
        apiUrl: 'https://pago.qit.nu',
        merchantApiKey: 'TESTMERCHANTKEY',
        merchantApiSecret: SECRET,
        merchantReferenceSource: 'OrderId',
        cornerRadius: 4,
        merchantConstraintName: null,
      });
      expect(config.adapter.publicUrl).to.equal('https://norce-open-demo.api-se.playground.norce.tech/checkout/qliro-adapter');
      expect(config.redirectUrls.confirmationUrl).to.contain('{orderId}');
    });

    it('applies the defaults', async () => {
      const config = right(await subject.repository.get({ merchant: MERCHANT, channel: 'minimal' })());
      expect(config).to.include({
        id: 'qliro_checkout_adapter',
        active: true,
        merchantReferenceSource: 'OrderId',
        mapDiscountPerRow: false,
        useIntegratedShipping: false,
      });
      expect(config.adapter).to.deep.equal({ publicUrl: 'https://adapter.example/qliro' });
    });

    it('a channel without the document is configuration-not-found', async () => {
      const error = leftOf(await subject.repository.get({ merchant: MERCHANT, channel: 'nope' })());
      expect(error.code).to.equal('configuration-not-found');
      expect(error.message).to.equal(`No qliro_checkout_adapter configuration for merchant ${MERCHANT} channel nope`);
      expect(leftOf(await subject.repository.get({ merchant: 'nobody', channel: 'nc-qliro-se' })()).code).to.equal(
        'configuration-not-found',
      );
    });

    it('an invalid document is configuration-error naming the field, without secrets', async () => {
      const error = leftOf(await subject.repository.get({ merchant: MERCHANT, channel: 'broken' })());
      expect(error.code).to.equal('configuration-error');
      expect(error.message).to.contain('configuration field redirectUrls.confirmationUrl: required string');
      expect(error.message).to.contain(`merchant ${MERCHANT} channel broken`);
      expect(error.message).to.not.contain(SECRET);
      expect(error.message).to.not.contain('TESTMERCHANTKEY');
      expect(error.transient).to.not.equal(true);
    });

    it('an inactive document is configuration-error', async () => {
      const error = leftOf(await subject.repository.get({ merchant: MERCHANT, channel: 'off' })());
      expect(error.code).to.equal('configuration-error');
      expect(error.message).to.match(/is not active$/);
      expect(error.transient).to.not.equal(true);
    });
  });
}
