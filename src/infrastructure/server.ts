// Start and stop the adapter: HTTP server, wiring, graceful shutdown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildContainer, type PortOverrides } from './container';
import { createApp } from './app';
import type { ProcessConfig } from './config';
import { createLogger } from './logger';

export interface RunningAdapter {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** Readiness fails at once, in-flight requests finish, sockets and agents close. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly config: ProcessConfig;
  readonly logger?: Logger;
  readonly overrides?: PortOverrides;
}

export async function startAdapter(options: StartOptions): Promise<RunningAdapter> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const wiring = buildContainer(config, options.overrides);
  let shuttingDown = false;
  const app = createApp({
    container: wiring.container,
    logger,
    adapterApiTokens: config.adapterApiTokens,
    isReady: () => !shuttingDown,
  });
  const server = http.createServer(app.callback());
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
  return { url, port, server, stop };
}
