// AdapterError → HTTP status and the seed's error body. The error decides; routes only pass it on.
import type { AdapterError, ErrorCode } from '../../domain/errors';

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly qliroError?: unknown;
}

const NOT_FOUND: ReadonlySet<ErrorCode> = new Set(['order-not-found', 'payment-not-found', 'shipping-not-found']);
const CONFLICT: ReadonlySet<ErrorCode> = new Set(['payment-conflict', 'order-conflict']);
/** Failures of an upstream (Norce or Qliro) rather than of the caller's request. */
const UPSTREAM: ReadonlySet<ErrorCode> = new Set(['order-error', 'payment-error', 'shipping-error', 'qliro-error']);

/**
 * Status for a Norce-facing endpoint: 4xx when the caller can fix the request, 502 when an upstream failed
 * (with `transient` the caller may retry as is), 500 only for the adapter's own faults.
 */
export function statusFor(error: AdapterError): number {
  if (error.code === 'unauthorized') return 401;
  if (error.code === 'internal-server-error') return 500;
  if (error.transient) return error.code === 'order-conflict' ? 409 : 502;
  if (NOT_FOUND.has(error.code)) return 404;
  if (CONFLICT.has(error.code)) return 409;
  if (UPSTREAM.has(error.code)) return 502;
  return 400;
}

export function errorBody(error: AdapterError): ErrorBody {
  return { code: error.code, message: error.message, ...(error.qliroError ? { qliroError: error.qliroError } : {}) };
}
