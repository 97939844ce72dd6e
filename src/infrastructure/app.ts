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
import { orderManagementRoutes } from '../adapters/http/order-management-routes';
import { docsRoutes } from '../adapters/http/docs-routes';
import type { Metrics } from './metrics';
import { observeRequests, routeTemplate } from './request-observation';
import { adapterError } from '../domain/errors';

export interface AppOptions {
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly adapterApiTokens: readonly string[];
  /** Readiness: false while shutting down. */
  readonly isReady: () => boolean;
  /** Served at /metrics and fed by the request middleware; absent = no /metrics. */
  readonly metrics?: Metrics;
}

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  app.proxy = true;
  const log = options.logger;

  // Outermost: correlation id, request log line and duration metric also for answers the error boundary gives.
  app.use(observeRequests({ logger: log, ...(options.metrics ? { metrics: options.metrics } : {}) }));
  app.use(
    errorBoundary((e, ctx) => {
      log.error({ err: { type: (e as Error)?.name, message: (e as Error)?.message, stack: (e as Error)?.stack }, method: ctx.method, route: routeTemplate(ctx) }, 'unexpected error');
    }),
  );

  const health = new Router();
  health.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  health.get('/health/ready', (ctx) => {
    const ready = options.isReady();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'shutting-down' };
  });
  const metrics = options.metrics;
  if (metrics) {
    health.get('/metrics', async (ctx) => {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    });
  }
  app.use(health.routes());
  app.use(docsRoutes().routes());

  const norceFacing = new Router();
  norceFacing.use(bearerAuth(options.adapterApiTokens), jsonBody());
  for (const group of [
    paymentRoutes(options.container),
    clientEventRoutes(options.container),
    norceHookRoutes(options.container),
    orderManagementRoutes(options.container),
  ]) {
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
