// Outermost middleware: correlation id (accepted or made, echoed, kept for the request's async work),
// one log line and one duration observation per request, labelled with the route template.
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { CORRELATION_HEADER, correlationIdFrom, runInRequestContext } from './request-context';

interface MatchedLayer {
  readonly path: unknown;
  readonly methods: readonly string[];
}

/**
 * The template of the route that handled the request (`/api/checkout/v1/orders/:order_id/payments`), never the
 * raw path. Taken from the router's matched layers rather than the last `_matchedRoute` alone, because a
 * router-level middleware that answers early (bearer auth) leaves its own pattern there.
 */
export function routeTemplate(ctx: Context): string {
  const matched = (ctx as unknown as { matched?: readonly MatchedLayer[] }).matched ?? [];
  for (let i = matched.length - 1; i >= 0; i--) {
    const layer = matched[i]!;
    if (typeof layer.path === 'string' && layer.methods.includes(ctx.method)) return layer.path;
  }
  const fallback = (ctx as unknown as { _matchedRoute?: unknown })._matchedRoute;
  return typeof fallback === 'string' && fallback.startsWith('/') && !fallback.includes('(') ? fallback : 'unmatched';
}

/** Probes and scrapes come every few seconds: their lines are debug, everything else info. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

export function observeRequests(options: { readonly logger: Logger; readonly metrics?: Metrics }): Middleware {
  const { logger, metrics } = options;
  return (ctx, next) => {
    const correlationId = correlationIdFrom(ctx.get(CORRELATION_HEADER) || undefined);
    ctx.set(CORRELATION_HEADER, correlationId);
    return runInRequestContext({ correlationId }, async () => {
      const started = process.hrtime.bigint();
      try {
        await next();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = routeTemplate(ctx);
        metrics?.observeHttpRequest(ctx.method, route, ctx.status, seconds);
        // The error code (never the message body) and a use case's own note (e.g. why a validation declined).
        const body = ctx.body as { code?: unknown } | undefined;
        const code = ctx.status >= 400 && body && typeof body === 'object' && typeof body.code === 'string' ? body.code : undefined;
        const note = typeof ctx.state['logNote'] === 'string' ? ctx.state['logNote'] : undefined;
        const line = { method: ctx.method, route, status: ctx.status, durationMs: Math.round(seconds * 1e4) / 10, ...(code ? { code } : {}), ...(note ? { note } : {}) };
        if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
        else logger.info(line, 'request');
      }
    });
  };
}
