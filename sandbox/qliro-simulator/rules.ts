// Qliro's field rules for CreateOrder / UpdateOrder, as documented or observed (reference §2.2, §2.6, §3). Pure: no I/O.

export type SimulatedItemType = 'Product' | 'Discount' | 'Fee' | 'Shipping';

export interface SimulatedOrderItem {
  readonly MerchantReference: string;
  readonly Description?: string;
  readonly Type: SimulatedItemType;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat?: number;
  readonly VatRate?: number;
  readonly Metadata?: Record<string, unknown>;
  /** Stamped by Qliro once the line is paid for (the Preauthorization); never taken from a request. */
  readonly PaymentTransactionId?: number;
}

/** A rule Qliro would refuse the request for: always HTTP 400 with Qliro's error body. */
export interface QliroRuleViolation {
  readonly status: 400;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export type RuleResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly violation: QliroRuleViolation };

export interface RuleOptions {
  /** Reject Discount items with a positive price (Qliro's documented rule; integrations disagree). */
  readonly strictDiscountSign: boolean;
}

export interface ValidCreateOrder {
  readonly merchantApiKey: string;
  readonly merchantReference: string;
  readonly currency: string;
  readonly country: string;
  readonly language: string;
  readonly items: readonly SimulatedOrderItem[];
  /** The whole request with canonical property names, as Qliro would keep it. */
  readonly body: Readonly<Record<string, unknown>>;
}

export interface ValidUpdateOrder {
  readonly merchantApiKey: string;
  readonly items: readonly SimulatedOrderItem[];
  readonly body: Readonly<Record<string, unknown>>;
}

export const MERCHANT_REFERENCE_PATTERN = /^[A-Za-z0-9_-]{1,25}$/;
export const ITEM_MERCHANT_REFERENCE_PATTERN = /^[\p{L}\s(.)'\-_&,/–+0-9:]{1,200}$/u;
export const SUPPORTED_LANGUAGES = ['sv-se', 'en-us', 'fi-fi', 'da-dk', 'fr-fr', 'de-de', 'nb-no', 'nl-nl'] as const;
/** Markets a simulated merchant is configured for: currency → country. */
export const CONFIGURED_MARKETS: Readonly<Record<string, string>> = { SEK: 'SE', NOK: 'NO', EUR: 'FI', DKK: 'DK' };
export const MAX_ORDER_ITEMS = 200;
const ITEM_TYPES: readonly SimulatedItemType[] = ['Product', 'Discount', 'Fee', 'Shipping'];
const CREATE_REQUIRED = [
  'MerchantReference',
  'Currency',
  'Country',
  'Language',
  'MerchantTermsUrl',
  'MerchantConfirmationUrl',
  'OrderItems',
] as const;
const URL_FIELDS = ['MerchantTermsUrl', 'MerchantConfirmationUrl', 'MerchantIntegrityPolicyUrl'] as const;

// ---------------------------------------------------------------------------------------------
// Property names are case-insensitive on input (.NET model binding).

const INPUT_KEYS = [
  'MerchantApiKey', 'MerchantReference', 'Currency', 'Country', 'Language', 'MerchantTermsUrl',
  'MerchantIntegrityPolicyUrl', 'MerchantConfirmationUrl', 'MerchantCheckoutStatusPushUrl',
  'MerchantOrderManagementStatusPushUrl', 'MerchantOrderValidationUrl', 'MerchantOrderAvailableShippingMethodsUrl',
  'MerchantOrderAvailableShippingAddressesUrl', 'MerchantNotificationUrl', 'MerchantSavedCreditCardPushUrl',
  'MerchantCancelUrl', 'PrimaryColor', 'CallToActionColor', 'CallToActionHoverColor', 'BackgroundColor',
  'CornerRadius', 'ButtonCornerRadius', 'OrderItems', 'CustomerInformation', 'AvailableShippingMethods',
  'EnforcedJuridicalType', 'MinimumCustomerAge', 'RequireIdentityVerification', 'AskForNewsletterSignup',
  'AskForNewsletterSignupChecked', 'AskForNewsletterSignupText', 'MerchantProvidedQuestion',
  'ShippingAdditionalHeader', 'ApplicableFees', 'MerchantConstraintName', 'MerchantProvidedMetadata',
  'MerchantUpdateVersion', 'ShippingConfiguration', 'Key', 'Value', 'Description', 'Type', 'Quantity',
  'PricePerItemIncVat', 'PricePerItemExVat', 'VatRate', 'Metadata', 'MerchantData', 'Email', 'MobileNumber',
  'PersonalNumber', 'JuridicalType', 'Address', 'FirstName', 'LastName', 'CareOf', 'CompanyName', 'Street',
  'Street2', 'PostalCode', 'City', 'CountryCode', 'DisplayName', 'PriceIncVat', 'PriceExVat', 'Descriptions',
];
const CANONICAL = new Map(INPUT_KEYS.map((k) => [k.toLowerCase(), k]));
const OPAQUE = new Set(['MerchantData']);

/** Canonical (PascalCase) property names, recursively; the merchant's own MerchantData is left untouched. */
export function canonicalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = CANONICAL.get(key.toLowerCase()) ?? (key ? key[0]!.toUpperCase() + key.slice(1) : key);
    if (name in out && key !== name) continue;
    out[name] = OPAQUE.has(name) ? inner : canonicalKeys(inner);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Money

/** True when a decimal has at most two decimals, judged on the number as sent (0.1 + 0.2 fails, as on the wire). */
export const hasAtMostTwoDecimals = (n: number): boolean => Number.isFinite(n) && Number(n.toFixed(2)) === n;

/** Minor units of an amount that has at most two decimals. */
export const toMinorUnits = (amount: number): number => Math.round(amount * 100);

/** Σ PricePerItemIncVat × Quantity, computed in minor units and returned in major units. */
export const totalPriceOf = (items: readonly SimulatedOrderItem[]): number =>
  items.reduce((sum, item) => sum + toMinorUnits(item.PricePerItemIncVat) * item.Quantity, 0) / 100;

// ---------------------------------------------------------------------------------------------
// Violations

const invalidInput = (property: string, message: string): QliroRuleViolation => ({
  status: 400,
  ErrorCode: 'INVALID_INPUT',
  ErrorMessage: `Property: ${property}, Message: ${message}`,
});
const required = (property: string, field = property.replace(/^.*[.\]]/, '')): QliroRuleViolation =>
  invalidInput(property, `The ${field} field is required.`);
const tooManyDecimals = (): QliroRuleViolation => ({
  status: 400,
  ErrorCode: 'SYSTEM_ERROR',
  ErrorMessage: 'Input must have no more than two decimal places',
});

const fail = <A>(violation: QliroRuleViolation): RuleResult<A> => ({ ok: false, violation });
const ok = <A>(value: A): RuleResult<A> => ({ ok: true, value });

const isMissing = (u: unknown): boolean => u === undefined || u === null || (typeof u === 'string' && u.trim() === '');
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** A decimal as .NET would bind it: a JSON number or a numeric string. */
const toDecimal = (u: unknown): number | undefined => {
  if (typeof u === 'number' && Number.isFinite(u)) return u;
  if (typeof u === 'string' && u.trim() !== '' && Number.isFinite(Number(u))) return Number(u);
  return undefined;
};

const isAbsoluteHttpUrl = (u: unknown): boolean => {
  if (typeof u !== 'string') return false;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ftp:';
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// Checks

function checkBody(raw: unknown): RuleResult<Record<string, unknown>> {
  const body = canonicalKeys(raw);
  if (!isRecord(body)) return fail(invalidInput('request', 'The request field is required.'));
  if (isMissing(body['MerchantApiKey']) || typeof body['MerchantApiKey'] !== 'string') return fail(required('MerchantApiKey'));
  if (body['MerchantApiKey'].length > 50) {
    return fail(invalidInput('MerchantApiKey', 'The field MerchantApiKey must be a string with a maximum length of 50.'));
  }
  return ok(body);
}

function checkItem(raw: unknown, index: number, options: RuleOptions): RuleResult<SimulatedOrderItem> {
  const at = `OrderItems[${index}]`;
  if (!isRecord(raw)) return fail(invalidInput(at, 'The order item is invalid.'));

  const reference = raw['MerchantReference'];
  if (isMissing(reference)) return fail(required(`${at}.MerchantReference`));
  if (typeof reference !== 'string' || !ITEM_MERCHANT_REFERENCE_PATTERN.test(reference)) {
    return fail(
      invalidInput(`${at}.MerchantReference`, `The field MerchantReference must match the regular expression '${ITEM_MERCHANT_REFERENCE_PATTERN.source}'.`),
    );
  }
  const description = raw['Description'];
  if (description !== undefined && description !== null && typeof description !== 'string') {
    return fail(invalidInput(`${at}.Description`, 'The field Description must be a string.'));
  }
  if (typeof description === 'string' && description.length > 4000) {
    return fail(invalidInput(`${at}.Description`, 'The field Description must be a string with a maximum length of 4000.'));
  }

  const rawType = raw['Type'];
  let type: SimulatedItemType = 'Product';
  if (!isMissing(rawType)) {
    const known = ITEM_TYPES.find((k) => typeof rawType === 'string' && k.toLowerCase() === rawType.toLowerCase());
    if (!known) return fail(invalidInput(`${at}.Type`, `The value '${String(rawType)}' is not valid for Type.`));
    type = known;
  }

  if (isMissing(raw['Quantity'])) return fail(required(`${at}.Quantity`));
  const quantity = toDecimal(raw['Quantity']);
  if (quantity === undefined || !Number.isInteger(quantity)) {
    return fail(invalidInput(`${at}.Quantity`, 'The field Quantity must be an integer.'));
  }
  if (quantity < 1 || quantity > 2147483647) {
    return fail(invalidInput(`${at}.Quantity`, 'The field Quantity must be between 1 and 2147483647.'));
  }

  if (isMissing(raw['PricePerItemIncVat'])) return fail(required(`${at}.PricePerItemIncVat`));
  const decimals: Partial<Record<'PricePerItemIncVat' | 'PricePerItemExVat' | 'VatRate', number>> = {};
  for (const field of ['PricePerItemIncVat', 'PricePerItemExVat', 'VatRate'] as const) {
    if (isMissing(raw[field])) continue;
    const value = toDecimal(raw[field]);
    if (value === undefined) return fail(invalidInput(`${at}.${field}`, `The field ${field} must be a number.`));
    if (!hasAtMostTwoDecimals(value)) return fail(tooManyDecimals());
    decimals[field] = value;
  }
  const incVat = decimals.PricePerItemIncVat!;
  const exVat = decimals.PricePerItemExVat;
  const vatRate = decimals.VatRate;

  if (exVat !== undefined && Math.abs(incVat) < Math.abs(exVat)) {
    return fail(invalidInput(`${at}.PricePerItemIncVat`, 'PricePerItemIncVat must be greater than or equal to PricePerItemExVat.'));
  }
  if (exVat !== undefined && Math.sign(incVat) * Math.sign(exVat) < 0) {
    return fail(invalidInput(`${at}.PricePerItemExVat`, 'PricePerItemIncVat and PricePerItemExVat must have the same sign.'));
  }
  if (type === 'Discount') {
    if (options.strictDiscountSign && (incVat > 0 || (exVat ?? 0) > 0)) {
      return fail(invalidInput(`${at}.PricePerItemIncVat`, 'Items of type Discount must have a price less than or equal to 0.'));
    }
  } else if (incVat < 0 || (exVat ?? 0) < 0) {
    return fail(invalidInput(`${at}.PricePerItemIncVat`, `Items of type ${type} must have a price greater than or equal to 0.`));
  }
  if (vatRate !== undefined && (vatRate < 0 || vatRate >= 100)) {
    return fail(invalidInput(`${at}.VatRate`, 'The field VatRate must be between 0 and 100.'));
  }

  const metadata = raw['Metadata'];
  return ok({
    MerchantReference: reference,
    ...(typeof description === 'string' ? { Description: description } : {}),
    Type: type,
    Quantity: quantity,
    PricePerItemIncVat: incVat,
    ...(exVat !== undefined ? { PricePerItemExVat: exVat } : {}),
    ...(vatRate !== undefined ? { VatRate: vatRate } : {}),
    ...(isRecord(metadata) ? { Metadata: metadata } : {}),
  });
}

function checkItems(raw: unknown, options: RuleOptions): RuleResult<SimulatedOrderItem[]> {
  if (raw === undefined || raw === null) return fail(required('OrderItems'));
  if (!Array.isArray(raw)) return fail(invalidInput('OrderItems', 'The field OrderItems must be a list.'));
  if (raw.length > MAX_ORDER_ITEMS) {
    return fail(invalidInput('OrderItems', `The field OrderItems must be a list with a maximum length of ${MAX_ORDER_ITEMS}.`));
  }
  const items: SimulatedOrderItem[] = [];
  for (const [index, entry] of raw.entries()) {
    const item = checkItem(entry, index, options);
    if (!item.ok) return item;
    items.push(item.value);
  }
  return ok(items);
}

/** CreateOrder's field rules (the uniqueness of MerchantReference is the store's business). */
export function checkCreateOrder(raw: unknown, options: RuleOptions): RuleResult<ValidCreateOrder> {
  const checked = checkBody(raw);
  if (!checked.ok) return checked;
  const body = checked.value;

  for (const field of CREATE_REQUIRED) if (isMissing(body[field])) return fail(required(field));
  for (const field of ['MerchantReference', 'Currency', 'Country', 'Language'] as const) {
    if (typeof body[field] !== 'string') return fail(invalidInput(field, `The field ${field} must be a string.`));
  }
  const merchantReference = body['MerchantReference'] as string;
  const currency = body['Currency'] as string;
  const country = body['Country'] as string;
  const language = body['Language'] as string;

  if (!MERCHANT_REFERENCE_PATTERN.test(merchantReference)) {
    return fail(
      invalidInput('MerchantReference', `The field MerchantReference must match the regular expression '${MERCHANT_REFERENCE_PATTERN.source}'.`),
    );
  }
  for (const field of URL_FIELDS) {
    if (!isMissing(body[field]) && !isAbsoluteHttpUrl(body[field])) {
      return fail(invalidInput(field, `The ${field} field is not a valid fully-qualified http, https, or ftp URL.`));
    }
  }
  if (!(SUPPORTED_LANGUAGES as readonly string[]).includes(language.toLowerCase())) {
    return fail(invalidInput('Language', `The language '${language}' is not supported.`));
  }
  if (CONFIGURED_MARKETS[currency] !== country) {
    return fail({
      status: 400,
      ErrorCode: 'PAYMENT_METHOD_NOT_CONFIGURED',
      ErrorMessage: `Evaluation, No payment method is configured for country '${country}' and currency '${currency}'.`,
    });
  }
  const items = checkItems(body['OrderItems'], options);
  if (!items.ok) return items;

  return ok({
    merchantApiKey: body['MerchantApiKey'] as string,
    merchantReference,
    currency,
    country,
    language: language.toLowerCase(),
    items: items.value,
    body,
  });
}

/** UpdateOrder's field rules (existence, ownership and state of the order are the store's business). */
export function checkUpdateOrder(raw: unknown, options: RuleOptions): RuleResult<ValidUpdateOrder> {
  const checked = checkBody(raw);
  if (!checked.ok) return checked;
  const body = checked.value;
  const version = body['MerchantUpdateVersion'];
  if (!isMissing(version) && (typeof version !== 'string' || version.length > 36)) {
    return fail(invalidInput('MerchantUpdateVersion', 'The field MerchantUpdateVersion must be a string with a length between 1 and 36.'));
  }
  const items = checkItems(body['OrderItems'], options);
  if (!items.ok) return items;
  return ok({ merchantApiKey: body['MerchantApiKey'] as string, items: items.value, body });
}
