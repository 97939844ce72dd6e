// The Koa application: middleware order and route groups.
import Koa from 'koa';
import Router from '@koa/router';
import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { bearerAuth, errorBoundary, jsonBody, sendError } from '../adapters/http/middleware';
import { paymentRoutes } from '../adapters/http/payment-routes';
import { qliroCallbackRoutes } from '../adapters/http/qliro-callback-routes';
import { clientEventRoutes } from '../adapters/http/client-event-routes';
import { norceHookRoutes } from '../adapters/http/norce-hook-routes';
import { adapterError } from '../domain/errors';

export interface AppOptions {
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly adapterApiTokens: readonly string[];
  /** Readiness: false while shutting down. */
  readonly isReady: () => boolean;
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  app.proxy = true;
  const log = options.logger;

  app.use(
    errorBoundary((e, ctx) => {
      log.error({ err: { type: (e as Error)?.name, message: (e as Error)?.message, stack: (e as Error)?.stack }, method: ctx.method, route: ctx._matchedRoute }, 'unexpected error');
    }),
  );
  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    await next();
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    log.info({ method: ctx.method, route: ctx._matchedRoute ?? 'unmatched', status: ctx.status, durationMs: Math.round(durationMs * 10) / 10 }, 'request');
  });

  const health = new Router();
  health.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  health.get('/health/ready', (ctx) => {
    const ready = options.isReady();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'shutting-down' };
  });
  app.use(health.routes());

  const norceFacing = new Router();
  norceFacing.use(bearerAuth(options.adapterApiTokens), jsonBody());
  for (const group of [paymentRoutes(options.container), clientEventRoutes(options.container), norceHookRoutes(options.container)]) {
    norceFacing.use(group.routes(), group.allowedMethods());
  }
  app.use(norceFacing.routes());

  // Qliro authenticates with the signed token in each callback URL, not with a bearer token.
  const qliroFacing = qliroCallbackRoutes(options.container);
  app.use(qliroFacing.routes());

  app.use(async (ctx) => {
    if (ctx.status === 404 && ctx.body === undefined) {
      sendError(ctx, adapterError('order-bad-request', `no endpoint ${ctx.method} ${ctx.path}`), 404);
    }
  });
  return app;
}
