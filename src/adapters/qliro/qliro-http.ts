// What the Merchant API and Admin API gateways share: signed calls, Qliro's error mapping, decoding, GET retries.
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { adapterError, type AdapterError, type QliroErrorBody } from '../../domain/errors';
import type { QliroCredentials } from '../../domain/qliro-order';
import {
  httpCall,
  HttpCallError,
  parseJson,
  type HttpCallRequest,
  type HttpCallResponse,
  type KeepAliveAgents,
} from '../outbound/http-call';
import { decodeWith, QliroErrorBodyCodec } from './codecs';
import { qliroAuthorization } from './signing';

export interface QliroHttpOptions {
  readonly agents: KeepAliveAgents;
  /** Hard limit per attempt. */
  readonly timeoutMs: number;
  /** Extra attempts for a GET after a transient failure (default 1). POST/PUT are never retried here. */
  readonly getRetries?: number;
  /** Extra headers for every call, e.g. the request's `x-correlation-id`. */
  readonly headers?: () => Record<string, string>;
  /** Called after every attempt (metrics, logs). */
  readonly observe?: (observation: QliroCallObservation) => void;
}

export interface QliroCallObservation {
  readonly upstream: 'qliro';
  /** The gateway method, e.g. `getOrder`. */
  readonly operation: string;
  /** `success`, or the failure class of this attempt. */
  readonly outcome: 'success' | 'client-error' | 'server-error' | 'timeout' | 'network';
  readonly seconds: number;
}

const MAX_MESSAGE_EXCERPT = 200;

/** Qliro's own message, shortened, with anything that looks like an e-mail address masked. */
const excerpt = (message: string | undefined): string => {
  if (!message) return '';
  const masked = message.replace(/[^\s'"<>@]+@[^\s'"<>@]+/g, '<email>');
  return masked.length > MAX_MESSAGE_EXCERPT ? `${masked.slice(0, MAX_MESSAGE_EXCERPT)}…` : masked;
};

/** Error codes Qliro uses for faults in the fields of our request (the caller must change the request). */
const VALIDATION_ERROR_CODES = new Set(['INVALID_INPUT', 'SYSTEM_ERROR']);

/**
 * Maps a non-2xx Qliro answer (Merchant or Admin API) to the adapter's error vocabulary.
 *
 * | Qliro answer                                   | AdapterError                         |
 * | 401 / 403 (signature or key refused)           | qliro-error, not transient           |
 * | ErrorCode ORDER_NOT_FOUND, or HTTP 404         | qliro-order-not-found                |
 * | ErrorCode ORDER_EXPIRED                        | qliro-order-expired                  |
 * | 5xx, 408, 429                                  | qliro-error, transient               |
 * | 4xx with INVALID_INPUT, or SYSTEM_ERROR on 4xx | qliro-validation                     |
 * | any other 4xx (ORDER_ALREADY_EXISTS, …)        | qliro-bad-request                    |
 * | anything else (3xx, 1xx)                       | qliro-error, not transient           |
 *
 * SYSTEM_ERROR on a 4xx counts as validation because Qliro reports input-format faults that way
 * ("Input must have no more than two decimal places"); on a 5xx it is a real system error.
 * Qliro's body, when it is one, always travels along as `qliroError`.
 */
export function qliroErrorToAdapterError(op: string, status: number, body: QliroErrorBody | undefined): AdapterError {
  const extra = body ? { qliroError: body } : {};
  const detail = body ? ` ${body.ErrorCode ?? ''}${body.ErrorMessage ? `: ${excerpt(body.ErrorMessage)}` : ''}`.trimEnd() : '';
  const what = `Qliro ${op} answered HTTP ${status}${detail}`;

  if (status === 401 || status === 403) {
    return adapterError(
      'qliro-error',
      `Qliro ${op} refused the merchant credentials or request signature (HTTP ${status}); check merchantApiKey and merchantApiSecret`,
      extra,
    );
  }
  if (body?.ErrorCode === 'ORDER_NOT_FOUND' || status === 404) return adapterError('qliro-order-not-found', what, extra);
  if (body?.ErrorCode === 'ORDER_EXPIRED') return adapterError('qliro-order-expired', what, extra);
  if (status >= 500 || status === 408 || status === 429) {
    return adapterError('qliro-error', what, { ...extra, transient: true });
  }
  if (status >= 400) {
    const validation = body?.ErrorCode !== undefined && VALIDATION_ERROR_CODES.has(body.ErrorCode);
    return adapterError(validation ? 'qliro-validation' : 'qliro-bad-request', what, extra);
  }
  return adapterError('qliro-error', `Qliro ${op} answered with unexpected HTTP ${status}`, extra);
}

const decodeErrorBody = (text: string): QliroErrorBody | undefined => {
  const decoded = decodeWith(QliroErrorBodyCodec, parseJson(text));
  return isLeft(decoded) ? undefined : decoded.right;
};

/**
 * Signed calls under one API prefix (`/checkout/merchantapi`, `/checkout/adminapi`): the body is serialised once with
 * `MerchantApiKey` first and exactly those bytes are signed and sent; GET signs the empty string. GETs are retried
 * after a transient failure, POST/PUT never.
 */
export class QliroHttpClient {
  private readonly getRetries: number;

  constructor(
    private readonly options: QliroHttpOptions,
    private readonly apiPrefix: string,
  ) {
    this.getRetries = Math.max(0, options.getRetries ?? 1);
  }

  /** One signed call (GETs retried on transient failures); Left for every non-2xx answer. */
  async send(
    op: string,
    credentials: QliroCredentials,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    payload?: object,
  ): Promise<Either<AdapterError, HttpCallResponse>> {
    // Sign exactly the bytes that are sent; MerchantApiKey travels inside every POST/PUT body.
    const body = payload === undefined ? undefined : JSON.stringify({ MerchantApiKey: credentials.merchantApiKey, ...payload });
    const headers: Record<string, string> = {
      Authorization: qliroAuthorization(body ?? '', credentials.merchantApiSecret),
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const request: HttpCallRequest = {
      url: `${credentials.apiUrl.replace(/\/+$/, '')}${this.apiPrefix}${path}`,
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.options.timeoutMs,
    };

    const attempts = method === 'GET' ? 1 + this.getRetries : 1;
    let outcome: Either<AdapterError, HttpCallResponse> = left(adapterError('qliro-error', `Qliro ${op} was not attempted`));
    for (let attempt = 1; attempt <= attempts; attempt++) {
      outcome = await this.attempt(op, request);
      if (!isLeft(outcome) || outcome.left.transient !== true) return outcome;
    }
    return outcome;
  }

  /** The answer's JSON decoded with `codec`; no JSON or no fit is a transient qliro-error naming paths, never values. */
  decodeBody<A, B>(op: string, response: HttpCallResponse, codec: t.Type<A, unknown, unknown>, select: (a: A) => B): Either<AdapterError, B> {
    const json = parseJson(response.text);
    if (json === undefined) {
      return left(adapterError('qliro-error', `Qliro ${op} answered HTTP ${response.status} without a JSON body`, { transient: true }));
    }
    const decoded = decodeWith(codec, json);
    if (isLeft(decoded)) {
      return left(
        adapterError('qliro-error', `Qliro ${op} answered HTTP ${response.status} with a body that does not decode (${decoded.left})`, {
          transient: true,
        }),
      );
    }
    return right(select(decoded.right));
  }

  private async attempt(op: string, request: HttpCallRequest): Promise<Either<AdapterError, HttpCallResponse>> {
    const started = process.hrtime.bigint();
    const observe = (outcome: QliroCallObservation['outcome']) =>
      this.options.observe?.({ upstream: 'qliro', operation: op, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    const extraHeaders = this.options.headers?.();
    let response: HttpCallResponse;
    try {
      response = await httpCall(this.options.agents, extraHeaders ? { ...request, headers: { ...extraHeaders, ...request.headers } } : request);
    } catch (e) {
      observe(e instanceof HttpCallError ? e.failure.kind : 'network');
      if (e instanceof HttpCallError) {
        const message =
          e.failure.kind === 'timeout'
            ? `Qliro ${op} timed out: ${e.failure.message}`
            : `Qliro ${op} could not be reached: ${e.failure.message}`;
        return left(adapterError('qliro-error', message, { transient: true }));
      }
      return left(adapterError('qliro-error', `Qliro ${op} failed unexpectedly`, { transient: true }));
    }
    observe(response.status >= 200 && response.status < 300 ? 'success' : response.status >= 500 ? 'server-error' : 'client-error');
    if (response.status >= 200 && response.status < 300) return right(response);
    return left(qliroErrorToAdapterError(op, response.status, decodeErrorBody(response.text)));
  }
}
