// Start and stop the adapter: HTTP server, wiring, graceful shutdown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { DestinationStream, Logger } from 'pino';
import { buildContainer, type PortOverrides } from './container';
import { createApp } from './app';
import type { ProcessConfig } from './config';
import { createLogger } from './logger';
import type { Metrics } from './metrics';

export interface RunningAdapter {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** The Koa application (its routers list every endpoint). */
  readonly app: Koa;
  /** This instance's Prometheus registry and instruments. */
  readonly metrics: Metrics;
  /** Readiness fails at once, in-flight requests finish, sockets and agents close. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly config: ProcessConfig;
  readonly logger?: Logger;
  /** Where the logger made here writes (default stdout); ignored when `logger` is given. */
  readonly logDestination?: DestinationStream;
  readonly overrides?: PortOverrides;
}

export async function startAdapter(options: StartOptions): Promise<RunningAdapter> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel, options.logDestination);
  const wiring = buildContainer(config, options.overrides, logger);
  let shuttingDown = false;
  const app = createApp({
    container: wiring.container,
    logger,
    adapterApiTokens: config.adapterApiTokens,
    isReady: () => !shuttingDown,
    metrics: wiring.metrics,
  });
  const server = http.createServer(app.callback());
  // While shutting down, every answer closes its connection, so keep-alive clients reconnect elsewhere.
  const unanswered = new Set<http.ServerResponse>();
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (shuttingDown) res.setHeader('Connection', 'close');
    unanswered.add(res);
    res.once('close', () => {
      unanswered.delete(res);
      if (shuttingDown) setImmediate(() => server.closeIdleConnections());
    });
  });
  // Longer than a typical load balancer idle timeout, so the balancer closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port }, 'adapter listening');

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      shuttingDown = true;
      logger.info({ inFlight: unanswered.size, graceMs }, 'shutting down: readiness fails, in-flight requests finish');
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        wiring.dispose();
        logger.info('adapter stopped');
        resolve();
      });
      server.closeIdleConnections();
    });
    return stopping;
  };
  return { url, port, server, app, metrics: wiring.metrics, stop };
}
