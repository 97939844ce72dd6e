// NorceOrderRepository over NCO Order API v0 (`{baseUrl}/api/v0/checkout/orders/...`).
// Every write carries `x-adapterid: qliro_checkout_adapter` so NCO does not call our own hooks for it.
// Reads are retried once on a transient failure; writes never are (the caller decides, after re-reading).
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Decoder } from 'io-ts';
import type { NorceOrderRepository } from '../../application/ports/norce-order-repository';
import type { ChannelRef } from '../../domain/channel-configuration';
import { adapterError, type AdapterError } from '../../domain/errors';
import {
  ADAPTER_ID,
  type NewNorceHook,
  type NewNorcePayment,
  type NewNorceShipping,
  type NewPaymentTransaction,
  type NorceAddress,
  type NorceOrder,
  type NorcePayment,
  type NorcePaymentAction,
  type NorceShipping,
  type OrderStatus,
} from '../../domain/norce-order';
import { HttpCallError, httpCall, parseJson, type KeepAliveAgents } from '../outbound/http-call';
import { CreatedIdCodec, NorceErrorBodyCodec, NorceOrderCodec, NorcePaymentCodec, decodeWith } from './codecs';

// ---------------------------------------------------------------------------------------------
// Error mapping, shared with the in-memory fake so both give the same AdapterErrors

/** What an Order API call was about: names the resource in messages and resolves an ambiguous 404. */
export interface NorceOperation {
  /** The port method, e.g. `getPayment`. */
  readonly operation: string;
  readonly orderId: string;
  readonly paymentId?: string;
  readonly shippingId?: string;
  readonly hookId?: string;
}

export const norceOrderErrors = {
  orderNotFound: (orderId: string): AdapterError =>
    adapterError('order-not-found', `Order ${orderId} was not found in Norce Checkout`),
  paymentNotFound: (orderId: string, paymentId: string): AdapterError =>
    adapterError('payment-not-found', `Payment ${paymentId} was not found on order ${orderId} in Norce Checkout`),
  shippingNotFound: (orderId: string, shippingId: string): AdapterError =>
    adapterError('shipping-not-found', `Shipping ${shippingId} was not found on order ${orderId} in Norce Checkout`),
  conflict: (op: NorceOperation): AdapterError =>
    adapterError('order-conflict', `Norce Checkout reported a conflict on ${op.operation} for order ${op.orderId}; retry after re-reading the order`, {
      transient: true,
    }),
  badRequest: (op: NorceOperation, norceMessage: string | undefined): AdapterError =>
    adapterError(
      'order-bad-request',
      `Norce Checkout rejected ${op.operation} for order ${op.orderId}` +
        (norceMessage !== undefined && norceMessage !== '' ? `: ${scrubPersonalData(norceMessage)}` : ''),
    ),
  unauthorized: (op: NorceOperation, status: number): AdapterError =>
    adapterError(
      'order-error',
      `Norce Checkout refused the adapter's API token (HTTP ${status}) on ${op.operation}; check NORCE_API_TOKEN`,
    ),
  upstreamStatus: (op: NorceOperation, status: number): AdapterError =>
    adapterError('order-error', `Norce Checkout answered HTTP ${status} on ${op.operation} for order ${op.orderId}`, {
      transient: status >= 500 || status === 429 || status === 408,
    }),
  timeout: (op: NorceOperation, detail: string): AdapterError =>
    adapterError('order-error', `Norce Checkout did not answer ${op.operation} for order ${op.orderId}: ${detail}`, {
      transient: true,
    }),
  network: (op: NorceOperation, detail: string): AdapterError =>
    adapterError('order-error', `Could not reach Norce Checkout for ${op.operation} of order ${op.orderId} (${detail})`, {
      transient: true,
    }),
  undecodable: (op: NorceOperation, detail: string): AdapterError =>
    adapterError(
      'order-error',
      `Norce Checkout answered ${op.operation} for order ${op.orderId} with a body the adapter cannot read: ${detail}`,
      { transient: true },
    ),
} as const;

/** Norce messages may echo input; keep them useful but free of e-mail addresses and long numbers. */
export function scrubPersonalData(message: string): string {
  const scrubbed = message
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g, '[email]')
    .replace(/\+?\d[\d\s-]{5,}\d/g, '[number]');
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 297)}...` : scrubbed;
}

function norceMessageOf(body: unknown): { code?: string; message?: string } {
  const decoded = NorceErrorBodyCodec.decode(body);
  if (isLeft(decoded)) return {};
  const { code, message } = decoded.right;
  // ProblemDetails (v1) bodies carry `detail`/`title` instead of `message`.
  const problem = body as { detail?: unknown; title?: unknown };
  const text =
    message ??
    (typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : undefined);
  return { ...(code !== undefined ? { code } : {}), ...(text !== undefined ? { message: text } : {}) };
}

/** A non-2xx Order API answer → the adapter's error. */
export function mapNorceErrorResponse(op: NorceOperation, status: number, body: unknown): AdapterError {
  const norce = norceMessageOf(body);
  if (status === 404) {
    switch (norce.code) {
      case 'order-not-found':
        return norceOrderErrors.orderNotFound(op.orderId);
      case 'payment-not-found':
        if (op.paymentId !== undefined) return norceOrderErrors.paymentNotFound(op.orderId, op.paymentId);
        break;
      case 'shipping-not-found':
        if (op.shippingId !== undefined) return norceOrderErrors.shippingNotFound(op.orderId, op.shippingId);
        break;
    }
    // No (known) code: the most specific resource the call addressed.
    if (op.paymentId !== undefined) return norceOrderErrors.paymentNotFound(op.orderId, op.paymentId);
    if (op.shippingId !== undefined) return norceOrderErrors.shippingNotFound(op.orderId, op.shippingId);
    return norceOrderErrors.orderNotFound(op.orderId);
  }
  if (status === 409) return norceOrderErrors.conflict(op);
  if (status === 400 || status === 422) return norceOrderErrors.badRequest(op, norce.message);
  if (status === 401 || status === 403) return norceOrderErrors.unauthorized(op, status);
  return norceOrderErrors.upstreamStatus(op, status);
}

// ---------------------------------------------------------------------------------------------

export interface UpstreamCallObservation {
  readonly upstream: 'norce-order-api';
  readonly operation: string;
  /** `success`, or the failure class of this attempt. */
  readonly outcome: 'success' | 'client-error' | 'server-error' | 'timeout' | 'network' | 'undecodable';
  readonly seconds: number;
}

export interface HttpNorceOrderRepositoryOptions {
  /** NCO Order API host, e.g. `https://{slug}.api-se.playground.norce.tech/checkout/order`. */
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly agents: KeepAliveAgents;
  readonly timeoutMs: number;
  /** Pause before the one retry of a read (default 100 ms). */
  readonly retryDelayMs?: number;
  /** Extra headers for every call, e.g. the request's `x-correlation-id`. */
  readonly headers?: () => Record<string, string>;
  /** Called after every attempt (metrics). */
  readonly observe?: (observation: UpstreamCallObservation) => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallSpec<A> {
  readonly op: NorceOperation;
  readonly method: Method;
  readonly path: string;
  readonly body?: unknown;
  /** Reads a 2xx answer; a Left is an undecodable body. */
  readonly read: (status: number, body: unknown, text: string, headers: Record<string, string>) => Either<string, A>;
  /** Lets one call treat a specific 404 (by Norce's error code) as success: idempotent delete. */
  readonly on404?: (norceCode: string | undefined) => Either<AdapterError, A> | undefined;
}

const seg = encodeURIComponent;

const decodeBody =
  <A>(codec: Decoder<unknown, A>, what: string) =>
  (_status: number, body: unknown, text: string): Either<string, A> =>
    body === undefined
      ? left(text.trim() === '' ? `empty body, expected ${what}` : `not JSON, expected ${what}`)
      : decodeWith(codec, body);

const ignoreBody = (): Either<string, void> => right(undefined);

/** `{id}` from the body, or the last segment of `Location` when a body is absent. */
const readCreatedId = (_status: number, body: unknown, text: string, headers: Record<string, string>): Either<string, string> => {
  if (body !== undefined) {
    const decoded = decodeWith(CreatedIdCodec, body);
    if (!isLeft(decoded)) return right(decoded.right.id);
    if (typeof body === 'string' && body !== '') return right(body);
  }
  const location = headers['location'];
  const fromLocation = location?.split('?')[0]?.split('/').filter((s) => s !== '').pop();
  if (fromLocation !== undefined) return right(decodeURIComponent(fromLocation));
  return left(text.trim() === '' ? 'empty body, expected {id}' : 'expected {id}');
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HttpNorceOrderRepository implements NorceOrderRepository {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpNorceOrderRepositoryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  getOrder(ref: ChannelRef, orderId: string): TaskEither<AdapterError, NorceOrder> {
    return this.task(ref, {
      op: { operation: 'getOrder', orderId },
      method: 'GET',
      path: this.orderPath(orderId),
      read: decodeBody(NorceOrderCodec, 'an Order'),
    });
  }

  getPayment(ref: ChannelRef, orderId: string, paymentId: string): TaskEither<AdapterError, NorcePayment> {
    return this.task(ref, {
      op: { operation: 'getPayment', orderId, paymentId },
      method: 'GET',
      path: `${this.orderPath(orderId)}/payments/${seg(paymentId)}`,
      read: decodeBody(NorcePaymentCodec, 'a Payment'),
    });
  }

  createPayment(ref: ChannelRef, orderId: string, payment: NewNorcePayment): TaskEither<AdapterError, string> {
    return this.task(ref, {
      op: { operation: 'createPayment', orderId },
      method: 'POST',
      path: `${this.orderPath(orderId)}/payments`,
      body: payment,
      read: readCreatedId,
    });
  }

  updatePayment(ref: ChannelRef, orderId: string, payment: NorcePayment): TaskEither<AdapterError, NorcePayment> {
    return this.task(ref, {
      op: { operation: 'updatePayment', orderId, paymentId: payment.id },
      method: 'PUT',
      path: `${this.orderPath(orderId)}/payments/${seg(payment.id)}`,
      body: payment,
      // NCO answers with the stored payment; an empty 200 means it took ours as is.
      read: (status, body, text) =>
        body === undefined && text.trim() === '' ? right(payment) : decodeBody(NorcePaymentCodec, 'a Payment')(status, body, text),
    });
  }

  addTransaction(
    ref: ChannelRef,
    orderId: string,
    paymentId: string,
    transaction: NewPaymentTransaction,
  ): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'addTransaction', orderId, paymentId },
      method: 'POST',
      path: `${this.orderPath(orderId)}/payments/${seg(paymentId)}/transactions`,
      body: transaction,
      read: ignoreBody,
    });
  }

  addPaymentActions(
    ref: ChannelRef,
    orderId: string,
    paymentId: string,
    actions: readonly Omit<NorcePaymentAction, 'id'>[],
  ): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'addPaymentActions', orderId, paymentId },
      method: 'POST',
      path: `${this.orderPath(orderId)}/payments/${seg(paymentId)}/actions`,
      body: actions,
      read: ignoreBody,
    });
  }

  addHook(ref: ChannelRef, orderId: string, hook: NewNorceHook): TaskEither<AdapterError, string> {
    return this.task(ref, {
      op: { operation: 'addHook', orderId },
      method: 'POST',
      path: `${this.orderPath(orderId)}/hooks`,
      body: hook,
      read: readCreatedId,
    });
  }

  deleteHook(ref: ChannelRef, orderId: string, hookId: string): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'deleteHook', orderId, hookId },
      method: 'DELETE',
      path: `${this.orderPath(orderId)}/hooks/${seg(hookId)}`,
      read: ignoreBody,
      // A hook that is already gone is deleted; a missing order (or a 404 that says nothing) is an error.
      on404: (code) => (code !== undefined && code !== 'order-not-found' ? right(undefined) : undefined),
    });
  }

  createShipping(ref: ChannelRef, orderId: string, shipping: NewNorceShipping): TaskEither<AdapterError, string> {
    return this.task(ref, {
      op: { operation: 'createShipping', orderId },
      method: 'POST',
      path: `${this.orderPath(orderId)}/shippings`,
      body: shipping,
      read: readCreatedId,
    });
  }

  updateShipping(ref: ChannelRef, orderId: string, shipping: NorceShipping & { id: string }): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'updateShipping', orderId, shippingId: shipping.id },
      method: 'PUT',
      path: `${this.orderPath(orderId)}/shippings/${seg(shipping.id)}`,
      body: shipping,
      read: ignoreBody,
    });
  }

  putCustomerBilling(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'putCustomerBilling', orderId },
      method: 'PUT',
      path: `${this.orderPath(orderId)}/customer/billing`,
      body: address,
      read: ignoreBody,
    });
  }

  putCustomerShipping(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'putCustomerShipping', orderId },
      method: 'PUT',
      path: `${this.orderPath(orderId)}/customer/shipping`,
      body: address,
      read: ignoreBody,
    });
  }

  putState(ref: ChannelRef, orderId: string, status: OrderStatus): TaskEither<AdapterError, void> {
    return this.task(ref, {
      op: { operation: 'putState', orderId },
      method: 'PUT',
      path: `${this.orderPath(orderId)}/state`,
      body: { currentStatus: status },
      // 202 = accepted, possibly superseded by a newer state request: still not ours to retry.
      read: ignoreBody,
    });
  }

  // -------------------------------------------------------------------------------------------

  private orderPath(orderId: string): string {
    return `/api/v0/checkout/orders/${seg(orderId)}`;
  }

  private task<A>(ref: ChannelRef, spec: CallSpec<A>): TaskEither<AdapterError, A> {
    return () => this.run(ref, spec);
  }

  private async run<A>(ref: ChannelRef, spec: CallSpec<A>): Promise<Either<AdapterError, A>> {
    const attempts = spec.method === 'GET' ? 2 : 1;
    let result = await this.attempt(ref, spec);
    for (let attempt = 2; attempt <= attempts && isLeft(result) && result.left.transient === true; attempt++) {
      await sleep(this.options.retryDelayMs ?? 100);
      result = await this.attempt(ref, spec);
    }
    return result;
  }

  private async attempt<A>(ref: ChannelRef, spec: CallSpec<A>): Promise<Either<AdapterError, A>> {
    const started = process.hrtime.bigint();
    const observe = (outcome: UpstreamCallObservation['outcome']) =>
      this.options.observe?.({
        upstream: 'norce-order-api',
        operation: spec.op.operation,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });

    const headers: Record<string, string> = {
      ...(this.options.headers?.() ?? {}),
      accept: 'application/json',
      authorization: `Bearer ${this.options.apiToken}`,
      'x-merchant': ref.merchant,
      'x-channel': ref.channel,
    };
    if (spec.method !== 'GET') headers['x-adapterid'] = ADAPTER_ID;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';

    let response;
    try {
      response = await httpCall(this.options.agents, {
        url: `${this.baseUrl}${spec.path}`,
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        timeoutMs: this.options.timeoutMs,
      });
    } catch (e) {
      if (e instanceof HttpCallError) {
        observe(e.failure.kind);
        return left(
          e.failure.kind === 'timeout'
            ? norceOrderErrors.timeout(spec.op, e.failure.message)
            : norceOrderErrors.network(spec.op, e.failure.message),
        );
      }
      // Not an HTTP failure (a bug on our side): still an answer, never a rejected task.
      observe('network');
      return left(adapterError('order-error', `Calling Norce Checkout for ${spec.op.operation} failed unexpectedly`));
    }

    const body = parseJson(response.text);
    if (response.status >= 200 && response.status < 300) {
      const read = spec.read(response.status, body, response.text, response.headers);
      if (isLeft(read)) {
        observe('undecodable');
        return left(norceOrderErrors.undecodable(spec.op, read.left));
      }
      observe('success');
      return read;
    }
    const error = mapNorceErrorResponse(spec.op, response.status, body);
    if (response.status === 404 && spec.on404 !== undefined) {
      const handled = spec.on404(norceMessageOf(body).code);
      if (handled !== undefined) {
        observe('success');
        return handled;
      }
    }
    observe(response.status >= 500 ? 'server-error' : 'client-error');
    return left(error);
  }
}
