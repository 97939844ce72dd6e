// Small pieces the checkout use cases share.
import type { QliroChannelConfiguration } from '../domain/channel-configuration';
import type { QliroCredentials } from '../domain/qliro-order';

export const credentialsOf = (config: QliroChannelConfiguration): QliroCredentials => ({
  apiUrl: config.apiUrl,
  merchantApiKey: config.merchantApiKey,
  merchantApiSecret: config.merchantApiSecret,
});

/** Qliro adds the shipping line itself when it owns shipping (integrated shipping or configured methods). */
export const qliroOwnsShipping = (config: QliroChannelConfiguration): boolean =>
  config.useIntegratedShipping || (config.shippingMethods?.length ?? 0) > 0;

const PERSONAL_KEYS = /^(email|mobilenumber|phone|personalnumber|firstname|lastname|givenname|familyname|careof|street|street2|streetaddress|streetaddress2|address|city|companyname|organizationname|nationalidentificationnumber|organizationidentificationnumber|customer|customerinformation|billingaddress|shippingaddress|orderhtmlsnippet|htmlsnippet)$/i;

/** JSON for Norce transaction logs, with personal data (and the HTML snippet) left out. */
export function toJsonWithoutPersonalData(value: unknown): string {
  return JSON.stringify(value, (key, v) => (key !== '' && PERSONAL_KEYS.test(key) ? undefined : v));
}
