// The current request's correlation id, available to every log line and outbound call made on its behalf.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** A caller's id is kept only when it is short and plain (it goes into headers and logs); else a new one. */
const SANE_CORRELATION_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function correlationIdFrom(given: string | undefined): string {
  const trimmed = given?.trim();
  return trimmed !== undefined && SANE_CORRELATION_ID.test(trimmed) ? trimmed : randomUUID();
}

export function runInRequestContext<A>(context: RequestContext, fn: () => A): A {
  return storage.run(context, fn);
}

export const currentCorrelationId = (): string | undefined => storage.getStore()?.correlationId;

/** Headers for an outbound call: the correlation id of the request being served, if any. */
export function correlationHeaders(): Record<string, string> {
  const id = currentCorrelationId();
  return id === undefined ? {} : { [CORRELATION_HEADER]: id };
}
