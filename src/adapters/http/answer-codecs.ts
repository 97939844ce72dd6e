// io-ts codecs of the bodies this adapter answers with: the seed's error body, the payment answer, the
// validation decline and the callback acknowledgement. The OpenAPI document's examples are checked against
// them, and routes can `encode` through them so that the wire and the document cannot drift apart.
import * as t from 'io-ts';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors';

const enumOf = <A extends string>(name: string, values: readonly A[]): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => typeof u === 'string' && (values as readonly string[]).includes(u),
    (u, c) => (typeof u === 'string' && (values as readonly string[]).includes(u) ? t.success(u as A) : t.failure(u, c)),
    t.identity,
  );

const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const ShortMessage = new t.Type<string, string, unknown>(
  'string of at most 150 characters',
  (u): u is string => typeof u === 'string' && u.length <= 150,
  (u, c) => (typeof u === 'string' && u.length <= 150 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const ErrorCodeCodec: t.Type<ErrorCode, ErrorCode, unknown> = enumOf('ErrorCode', ERROR_CODES);

/** `{code, message, qliroError?}` — every error answer. */
export const ErrorBodyCodec = t.exact(
  t.intersection([
    t.type({ code: ErrorCodeCodec, message: NonEmptyString }),
    t.partial({ qliroError: t.UnknownRecord }),
  ]),
  'ErrorBody',
);

/** `{paymentId, htmlSnippet}` — create, get, and the order-management operations. */
export const PaymentAnswerCodec = t.exact(t.type({ paymentId: NonEmptyString, htmlSnippet: t.string }), 'PaymentAnswer');

/** Qliro's decline reasons for the validation callback. */
export const DECLINE_REASONS = [
  'OutOfStock',
  'PostalCodeIsNotSupported',
  'ShippingIsNotSupportedForPostalCode',
  'CashOnDeliveryIsNotSupportedForShippingMethod',
  'IdentityNotVerified',
  'Other',
] as const;

/** 400 answer of the validate callback: `{declineReason, declineReasonMessage?}` (≤ 150 characters, shown to the shopper). */
export const ValidationDeclineCodec = t.exact(
  t.intersection([t.type({ declineReason: enumOf('DeclineReason', DECLINE_REASONS) }), t.partial({ declineReasonMessage: ShortMessage })]),
  'ValidationDecline',
);

/** 200 answer of the push callbacks. */
export const CallbackAnswerCodec = t.exact(t.type({ callbackResponse: t.literal('received') }), 'CallbackAnswer');

/** 200 answer of the NCO hooks: a JSON Patch of the proposed order. */
export const PatchOperationsCodec = t.array(
  t.exact(t.intersection([t.type({ op: NonEmptyString, path: t.string }), t.partial({ value: t.unknown })])),
  'PatchOperations',
);
