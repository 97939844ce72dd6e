// The seed's error codes, and the one error type every layer speaks.

export const ERROR_CODES = [
  'internal-server-error',
  'unauthorized',
  'configuration-error',
  'configuration-not-found',
  'order-not-found',
  'order-error',
  'order-bad-request',
  'order-conflict',
  'order-validation',
  'shipping-not-found',
  'shipping-error',
  'payment-not-found',
  'payment-error',
  'payment-conflict',
  'qliro-error',
  'qliro-bad-request',
  'qliro-validation',
  'qliro-order-not-found',
  'qliro-order-expired',
  'translation-not-found',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Qliro's own error body, carried through to the caller as `qliroError`. */
export interface QliroErrorBody {
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
  readonly ErrorReference?: string;
}

export interface AdapterError {
  readonly code: ErrorCode;
  /** A message a person can act on. Never contains personal data. */
  readonly message: string;
  readonly qliroError?: QliroErrorBody;
  /**
   * True when the same request may succeed if retried later (upstream timeout, 5xx, network).
   * Decides the retry signal: 5xx to the caller when transient, 4xx otherwise.
   */
  readonly transient?: boolean;
}

export const adapterError = (
  code: ErrorCode,
  message: string,
  extra: { qliroError?: QliroErrorBody; transient?: boolean } = {},
): AdapterError => ({ code, message, ...extra });

export const isAdapterError = (u: unknown): u is AdapterError =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as AdapterError).code === 'string' &&
  (ERROR_CODES as readonly string[]).includes((u as AdapterError).code) &&
  typeof (u as AdapterError).message === 'string';
