// Cross-cutting Koa middleware: error boundary, JSON body parsing, bearer auth, channel headers.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import bodyParser from 'koa-bodyparser';
import { adapterError, isAdapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import { errorBody, statusFor } from './error-response';

/**
 * A use case (or other stateless service) resolved from the container on first use and reused after: resolving on
 * every request builds the object graph again for nothing (measured in `npm run bench`, see BENCHMARKS.md).
 */
export function resolvedOnce<T>(container: DependencyContainer, token: InjectionToken<T>): () => T {
  let resolved: T | undefined;
  return () => (resolved ??= container.resolve(token));
}

export function sendError(ctx: Context, error: AdapterError, status = statusFor(error)): void {
  ctx.status = status;
  if (error.transient && status >= 500) ctx.set('Retry-After', '1');
  ctx.body = errorBody(error);
}

/** Nothing escapes as a stack trace or an HTML page: an unexpected fault is a 500 with the seed's body. */
export function errorBoundary(onUnexpected: (e: unknown, ctx: Context) => void): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (e) {
      if (isAdapterError(e)) return sendError(ctx, e);
      const status = (e as { status?: number; expose?: boolean }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const message = status === 413 ? 'request body is too large' : 'request could not be read';
        return sendError(ctx, adapterError('order-bad-request', message), status);
      }
      onUnexpected(e, ctx);
      sendError(ctx, adapterError('internal-server-error', 'unexpected error in the adapter; it has been logged'), 500);
    }
  };
}

/** No payload of Norce or Qliro nests anywhere near this; deeper bodies would only stress recursive readers. */
const MAX_JSON_DEPTH = 64;

/** Depth of a parsed JSON value, counted without recursion (the input is hostile). */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node as object)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** JSON bodies only; a malformed one is a 400 that says so, never a 500. */
export function jsonBody(): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', strict: true });
  return async (ctx: Context, next: Next) => {
    try {
      await parse(ctx, async () => undefined);
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      const message = status === 413 ? 'request body is larger than 1 MB' : 'request body is not valid JSON';
      return sendError(ctx, adapterError('order-bad-request', message), status === 413 ? 413 : 400);
    }
    if (nestingDepth(ctx.request.body) > MAX_JSON_DEPTH) {
      return sendError(ctx, adapterError('order-bad-request', `request body is nested deeper than ${MAX_JSON_DEPTH} levels`), 400);
    }
    await next();
  };
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `Authorization: Bearer <token>` with a token from ADAPTER_API_TOKENS. */
export function bearerAuth(tokens: readonly string[]): Middleware {
  return async (ctx: Context, next: Next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    const given = match?.[1];
    if (!given || !tokens.some((t) => safeEqual(t, given))) {
      ctx.set('WWW-Authenticate', 'Bearer');
      return sendError(ctx, adapterError('unauthorized', 'a valid bearer token is required in the Authorization header'), 401);
    }
    await next();
  };
}

const CHANNEL_VALUE = /^[A-Za-z0-9_.-]{1,100}$/;

/** `x-merchant` / `x-channel` headers, required on Norce-facing endpoints. */
export function channelFromHeaders(ctx: Context): ChannelRef {
  const merchant = ctx.get('x-merchant');
  const channel = ctx.get('x-channel');
  const missing = [!merchant && 'x-merchant', !channel && 'x-channel'].filter(Boolean);
  if (missing.length > 0) throw adapterError('order-bad-request', `missing required header ${missing.join(' and ')}`);
  if (!CHANNEL_VALUE.test(merchant) || !CHANNEL_VALUE.test(channel)) {
    throw adapterError('order-bad-request', 'x-merchant and x-channel may only contain letters, digits, dot, dash and underscore');
  }
  return { merchant, channel };
}

const ID_VALUE = /^[A-Za-z0-9_-]{1,100}$/;

/** Path ids are opaque to us, but they travel into upstream URLs: keep them to a safe alphabet. */
export function pathId(ctx: Context, name: string): string {
  const value = (ctx.params as Record<string, string | undefined>)[name];
  if (!value || !ID_VALUE.test(value)) {
    throw adapterError('order-bad-request', `path parameter ${name} must be 1–100 letters, digits, dashes or underscores`);
  }
  return value;
}
