// The channel's `qliro_checkout_adapter` configuration document (BEHAVIOUR §2): io-ts codec, defaults,
// validation with messages that name the field, and the JSON Schema the adapter serves for it.
// Messages carry field paths and expectations only, never values (the document holds secrets).
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { adapterError, type AdapterError } from '../../domain/errors';
import { ADAPTER_ID } from '../../domain/norce-order';
import type {
  ChannelRef,
  MerchantReferenceSource,
  QliroChannelConfiguration,
  QliroShippingMethodConfig,
} from '../../domain/channel-configuration';
import { errorPath, struct } from './codecs';

export const CONFIGURATION_NAME = ADAPTER_ID;

// ---------------------------------------------------------------------------------------------
// Leaf codecs, each failing with a message a person can act on

function leaf<A>(name: string, check: (u: unknown) => u is A, expectation: string, missing = expectation) {
  return new t.Type<A, A, unknown>(
    name,
    check,
    (u, c) => (check(u) ? t.success(u) : t.failure(u, c, u === undefined ? missing : expectation)),
    (a) => a,
  );
}

const isString = (u: unknown): u is string => typeof u === 'string';
const isNonEmptyString = (u: unknown): u is string => typeof u === 'string' && u.trim().length > 0;
const isBoolean = (u: unknown): u is boolean => typeof u === 'boolean';
const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

const RequiredString = new t.Type<string, string, unknown>(
  'string',
  isNonEmptyString,
  (u, c) =>
    isNonEmptyString(u) ? t.success(u) : t.failure(u, c, isString(u) ? 'must not be empty' : 'required string'),
  (a) => a,
);

const OptionalString = leaf('string', isString, 'must be a string');
const Bool = leaf('boolean', isBoolean, 'must be true or false', 'required boolean');

const isAbsoluteHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

const HttpUrl = new t.Type<string, string, unknown>(
  'url',
  (u): u is string => isString(u) && isAbsoluteHttpUrl(u),
  (u, c) => {
    if (!isNonEmptyString(u)) return t.failure(u, c, 'required string');
    return isAbsoluteHttpUrl(u.trim()) ? t.success(u.trim()) : t.failure(u, c, 'must be an absolute http(s) URL');
  },
  (a) => a,
);

/** Base URLs are stored without a trailing slash so callers can append paths. */
const BaseUrl = new t.Type<string, string, unknown>(
  'base url',
  HttpUrl.is,
  (u, c) => {
    const r = HttpUrl.validate(u, c);
    return isLeft(r) ? r : t.success(r.right.replace(/\/+$/, ''));
  },
  (a) => a,
);

export const URL_TEMPLATE_PLACEHOLDERS = ['{orderId}', '{merchant}', '{channel}'] as const;

/** A URL template: an absolute http(s) URL once `{orderId}`, `{merchant}`, `{channel}` are filled in. */
const UrlTemplate = new t.Type<string, string, unknown>(
  'url template',
  (u): u is string => isString(u),
  (u, c) => {
    if (!isNonEmptyString(u)) return t.failure(u, c, 'required string');
    const template = u.trim();
    const unknown = (template.match(/\{[^}]*\}/g) ?? []).filter(
      (p) => !(URL_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p),
    );
    if (unknown.length > 0) {
      return t.failure(u, c, `may only contain the placeholders ${URL_TEMPLATE_PLACEHOLDERS.join(', ')}`);
    }
    const filled = template.replace(/\{(orderId|merchant|channel)\}/g, 'x');
    return isAbsoluteHttpUrl(filled) ? t.success(template) : t.failure(u, c, 'must be an absolute http(s) URL template');
  },
  (a) => a,
);

/** Optional URL where an empty string means "none" (Qliro accepts an empty integrity policy URL). */
const OptionalUrlTemplate = new t.Type<string | undefined, string | undefined, unknown>(
  'url template',
  (u): u is string | undefined => u === undefined || isString(u),
  (u, c) => (u === '' ? t.success(undefined) : UrlTemplate.validate(u, c)),
  (a) => a,
);

function integerIn(min: number, max: number) {
  return leaf(
    `integer ${min}–${max}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    `must be a whole number from ${min} to ${max}`,
    `required whole number from ${min} to ${max}`,
  );
}

const NonNegativeAmount = leaf(
  'amount',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  'must be a number ≥ 0 (major units, e.g. 49.00)',
  'required number ≥ 0 (major units, e.g. 49.00)',
);

const VatFraction = leaf(
  'vat rate',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0 && u < 1,
  'must be a fraction from 0 to below 1 (0.25 = 25 %)',
  'required fraction from 0 to below 1 (0.25 = 25 %)',
);

const HexColour = leaf(
  'hex colour',
  (u): u is string => isString(u) && /^#[0-9A-Fa-f]{6}$/.test(u),
  'must be a hex colour like #00AB84',
);

/** Qliro's `Language` form (`sv-se`), accepted in any case and stored lower-case. */
const Language = new t.Type<string, string, unknown>(
  'language',
  (u): u is string => isString(u) && /^[a-z]{2}-[a-z]{2}$/.test(u),
  (u, c) =>
    isString(u) && /^[A-Za-z]{2}-[A-Za-z]{2}$/.test(u)
      ? t.success(u.toLowerCase())
      : t.failure(u, c, 'must be a language like sv-se'),
  (a) => a,
);

const MERCHANT_REFERENCE_SOURCES: readonly MerchantReferenceSource[] = ['OrderId', 'OrderCartReference'];
const MerchantReferenceSourceCodec = new t.Type<MerchantReferenceSource, string, unknown>(
  'merchantReferenceSource',
  (u): u is MerchantReferenceSource => (MERCHANT_REFERENCE_SOURCES as readonly unknown[]).includes(u),
  (u, c) => {
    const found = isString(u) ? MERCHANT_REFERENCE_SOURCES.find((s) => s.toLowerCase() === u.toLowerCase()) : undefined;
    return found !== undefined ? t.success(found) : t.failure(u, c, `must be one of ${MERCHANT_REFERENCE_SOURCES.join(', ')}`);
  },
  (a) => a,
);

const NullableString = new t.Type<string | null, string | null, unknown>(
  'string or null',
  (u): u is string | null => u === null || isString(u),
  (u, c) => (u === null || isString(u) ? t.success(u) : t.failure(u, c, 'must be a string or null')),
  (a) => a,
);

/** A nested object: "required object" when absent, "must be an object" when something else. */
function objectField<A>(codec: t.Type<A, unknown, unknown>, required: boolean) {
  return new t.Type<A, unknown, unknown>(
    codec.name,
    codec.is,
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, u === undefined && required ? 'required object' : 'must be an object');
      return codec.validate(u, c);
    },
    (a) => a,
  );
}

function listOf<A>(codec: t.Type<A, unknown, unknown>) {
  return new t.Type<readonly A[], unknown, unknown>(
    `${codec.name}[]`,
    (u): u is readonly A[] => Array.isArray(u) && u.every((x) => codec.is(x)),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'must be a list');
      const out: A[] = [];
      const errors: t.ValidationError[] = [];
      u.forEach((x, i) => {
        const r = codec.validate(x, t.appendContext(c, String(i), codec, x));
        if (isLeft(r)) errors.push(...r.left);
        else out.push(r.right);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  );
}

// ---------------------------------------------------------------------------------------------
// The document

const ShippingMethodCodec = objectField(
  struct(
    'ShippingMethod',
    {
      merchantReference: RequiredString,
      displayName: RequiredString,
      priceIncVat: NonNegativeAmount,
      priceExVat: NonNegativeAmount,
      vatRate: VatFraction,
    },
    { description: OptionalString },
  ),
  true,
);

const DocumentCodec = struct(
  'qliro_checkout_adapter',
  {
    adapter: objectField(struct('adapter', { publicUrl: BaseUrl }, { internalUrl: BaseUrl }), true),
    apiUrl: BaseUrl,
    merchantApiKey: RequiredString,
    merchantApiSecret: RequiredString,
    redirectUrls: objectField(
      struct(
        'redirectUrls',
        { termsUrl: UrlTemplate, confirmationUrl: UrlTemplate },
        { integrityPolicyUrl: OptionalUrlTemplate },
      ),
      true,
    ),
  },
  {
    $schema: OptionalString,
    id: RequiredString,
    active: Bool,
    merchantReferenceSource: MerchantReferenceSourceCodec,
    mapDiscountPerRow: Bool,
    useIntegratedShipping: Bool,
    shippingMethods: listOf(ShippingMethodCodec),
    defaultLanguage: Language,
    primaryColor: HexColour,
    backgroundColor: HexColour,
    callToActionColor: HexColour,
    callToActionHoverColor: HexColour,
    cornerRadius: integerIn(0, 1000),
    buttonCornerRadius: integerIn(0, 1000),
    minimumCustomerAge: integerIn(0, 150),
    requireIdentityVerification: Bool,
    merchantConstraintName: NullableString,
  },
);

/** Cross-field rules io-ts leaves out. */
function crossFieldErrors(doc: t.TypeOf<typeof DocumentCodec>): string[] {
  const errors: string[] = [];
  (doc.shippingMethods ?? []).forEach((m, i) => {
    if (m.priceExVat > m.priceIncVat) {
      errors.push(`configuration field shippingMethods[${i}].priceExVat: must not exceed priceIncVat`);
    }
  });
  const references = (doc.shippingMethods ?? []).map((m) => m.merchantReference);
  references.forEach((r, i) => {
    if (references.indexOf(r) !== i) {
      errors.push(`configuration field shippingMethods[${i}].merchantReference: must be unique in the list`);
    }
  });
  return errors;
}

function describeErrors(errors: t.Errors, max = 5): string {
  const lines: string[] = [];
  for (const error of errors) {
    const path = errorPath(error.context);
    const line = `configuration field ${path === '' ? '(document)' : path}: ${error.message ?? 'invalid value'}`;
    if (!lines.includes(line)) lines.push(line);
  }
  const shown = lines.slice(0, max).join('; ');
  return lines.length > max ? `${shown}; and ${lines.length - max} more` : shown;
}

/**
 * Validate a `qliro_checkout_adapter` document and apply its defaults. Unknown fields (`recurring`,
 * `useUpsell`, `upsellTimeoutSeconds`, `loyaltyConfiguration`, …) are tolerated and dropped.
 * `active` absent counts as active (only an explicit `false` switches the channel off).
 */
export function decodeChannelConfiguration(u: unknown): Either<AdapterError, QliroChannelConfiguration> {
  if (!isRecord(u)) {
    return left(adapterError('configuration-error', 'configuration document: must be a JSON object'));
  }
  if (u['active'] === false) {
    return left(adapterError('configuration-error', `${CONFIGURATION_NAME} configuration is not active`));
  }
  const decoded = DocumentCodec.decode(u);
  if (isLeft(decoded)) return left(adapterError('configuration-error', describeErrors(decoded.left)));
  const doc = decoded.right;
  const crossErrors = crossFieldErrors(doc);
  if (crossErrors.length > 0) return left(adapterError('configuration-error', crossErrors.join('; ')));

  const shippingMethods: QliroShippingMethodConfig[] | undefined = doc.shippingMethods?.map((m) => ({
    merchantReference: m.merchantReference,
    displayName: m.displayName,
    priceIncVat: m.priceIncVat,
    priceExVat: m.priceExVat,
    vatRate: m.vatRate,
    ...(m.description !== undefined ? { description: m.description } : {}),
  }));
  const optional = <K extends keyof QliroChannelConfiguration>(key: K, value: QliroChannelConfiguration[K] | undefined) =>
    value === undefined ? {} : { [key]: value };

  const configuration: QliroChannelConfiguration = {
    id: doc.id ?? CONFIGURATION_NAME,
    active: doc.active ?? true,
    adapter: {
      publicUrl: doc.adapter.publicUrl,
      ...(doc.adapter.internalUrl !== undefined ? { internalUrl: doc.adapter.internalUrl } : {}),
    },
    apiUrl: doc.apiUrl,
    merchantApiKey: doc.merchantApiKey,
    merchantApiSecret: doc.merchantApiSecret,
    redirectUrls: {
      termsUrl: doc.redirectUrls.termsUrl,
      confirmationUrl: doc.redirectUrls.confirmationUrl,
      ...(doc.redirectUrls.integrityPolicyUrl !== undefined
        ? { integrityPolicyUrl: doc.redirectUrls.integrityPolicyUrl }
        : {}),
    },
    merchantReferenceSource: doc.merchantReferenceSource ?? 'OrderId',
    mapDiscountPerRow: doc.mapDiscountPerRow ?? false,
    useIntegratedShipping: doc.useIntegratedShipping ?? false,
    ...optional('shippingMethods', shippingMethods),
    ...optional('defaultLanguage', doc.defaultLanguage),
    ...optional('primaryColor', doc.primaryColor),
    ...optional('backgroundColor', doc.backgroundColor),
    ...optional('callToActionColor', doc.callToActionColor),
    ...optional('callToActionHoverColor', doc.callToActionHoverColor),
    ...optional('cornerRadius', doc.cornerRadius),
    ...optional('buttonCornerRadius', doc.buttonCornerRadius),
    ...optional('minimumCustomerAge', doc.minimumCustomerAge),
    ...optional('requireIdentityVerification', doc.requireIdentityVerification),
    ...('merchantConstraintName' in doc ? { merchantConstraintName: doc.merchantConstraintName ?? null } : {}),
  };
  return right(configuration);
}

// ---------------------------------------------------------------------------------------------
// The errors every ConfigurationRepository gives (same wording whatever the source)

export const describeChannel = (ref: ChannelRef): string => `merchant ${ref.merchant} channel ${ref.channel}`;

export const configurationNotFound = (ref: ChannelRef): AdapterError =>
  adapterError('configuration-not-found', `No ${CONFIGURATION_NAME} configuration for ${describeChannel(ref)}`);

/** `decodeChannelConfiguration` with the channel named in the message. */
export function decodeChannelConfigurationFor(
  ref: ChannelRef,
  document: unknown,
): Either<AdapterError, QliroChannelConfiguration> {
  const result = decodeChannelConfiguration(document);
  if (!isLeft(result)) return result;
  return left({
    ...result.left,
    message: `${CONFIGURATION_NAME} configuration of ${describeChannel(ref)}: ${result.left.message}`,
  });
}

// ---------------------------------------------------------------------------------------------
// JSON Schema (draft 2020-12), served at /openapi/v1/schemas/qliro_checkout_adapter.json.
// NCO's configuration service validates documents against it and Norce Admin renders a form from it.

const urlTemplateDescription =
  'Absolute http(s) URL; may contain the placeholders {orderId}, {merchant} and {channel}, filled in per order.';
const hexColour = { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' } as const;
const radius = { type: 'integer', minimum: 0, maximum: 1000, description: 'Corner radius in px.' } as const;

export const qliroChannelConfigurationJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Qliro Checkout adapter configuration',
  description: `Channel configuration of the ${CONFIGURATION_NAME} (Norce Checkout ⇄ Qliro Checkout).`,
  type: 'object',
  required: ['adapter', 'apiUrl', 'merchantApiKey', 'merchantApiSecret', 'redirectUrls'],
  properties: {
    $schema: { type: 'string', description: 'URL of this schema.' },
    id: { type: 'string', minLength: 1, default: CONFIGURATION_NAME },
    active: {
      type: 'boolean',
      default: true,
      description: 'Only an active configuration is used; an inactive one makes every request fail with configuration-error.',
    },
    adapter: {
      type: 'object',
      required: ['publicUrl'],
      properties: {
        publicUrl: { type: 'string', format: 'uri', description: 'Public base URL of the adapter (used in Qliro callback URLs).' },
        internalUrl: { type: 'string', format: 'uri', description: 'Base URL NCO uses to reach the adapter (hooks); defaults to publicUrl.' },
      },
    },
    apiUrl: { type: 'string', format: 'uri', description: 'Qliro API base URL, e.g. https://pago.qit.nu (test) or https://payments.qit.nu (production).' },
    merchantApiKey: { type: 'string', minLength: 1, description: 'Qliro merchant API key.' },
    merchantApiSecret: { type: 'string', minLength: 1, description: 'Qliro merchant API secret (signs every request).' },
    redirectUrls: {
      type: 'object',
      required: ['termsUrl', 'confirmationUrl'],
      properties: {
        termsUrl: { type: 'string', minLength: 1, description: `Merchant terms page. ${urlTemplateDescription}` },
        confirmationUrl: { type: 'string', minLength: 1, description: `Order confirmation page. ${urlTemplateDescription}` },
        integrityPolicyUrl: { type: 'string', description: `Merchant integrity policy page (optional). ${urlTemplateDescription}` },
      },
    },
    merchantReferenceSource: {
      type: 'string',
      enum: ['OrderId', 'OrderCartReference'],
      default: 'OrderId',
      description: 'What Qliro MerchantReference is derived from.',
    },
    mapDiscountPerRow: { type: 'boolean', default: false, description: 'Send discounts as their own rows per VAT rate instead of reducing item prices.' },
    useIntegratedShipping: { type: 'boolean', default: false, description: 'Let Qliro present the shipping methods (integrated shipping).' },
    shippingMethods: {
      type: 'array',
      description: 'Shipping methods offered in Qliro when integrated shipping is used.',
      items: {
        type: 'object',
        required: ['merchantReference', 'displayName', 'priceIncVat', 'priceExVat', 'vatRate'],
        properties: {
          merchantReference: { type: 'string', minLength: 1 },
          displayName: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          priceIncVat: { type: 'number', minimum: 0 },
          priceExVat: { type: 'number', minimum: 0 },
          vatRate: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Fraction, 0.25 = 25 %.' },
        },
      },
    },
    defaultLanguage: { type: 'string', pattern: '^[A-Za-z]{2}-[A-Za-z]{2}$', description: 'Qliro checkout language, e.g. sv-se.' },
    primaryColor: hexColour,
    backgroundColor: hexColour,
    callToActionColor: hexColour,
    callToActionHoverColor: hexColour,
    cornerRadius: radius,
    buttonCornerRadius: radius,
    minimumCustomerAge: {
      type: 'integer',
      minimum: 0,
      maximum: 150,
      description: 'Minimum customer age; when set (> 0) company purchases are not offered.',
    },
    requireIdentityVerification: { type: 'boolean', description: 'Require BankID identification (SE).' },
    merchantConstraintName: { type: ['string', 'null'], description: 'Qliro merchant constraint for payment-method filtering.' },
  },
  additionalProperties: true,
} as const;
