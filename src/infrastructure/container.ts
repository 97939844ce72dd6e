// Wires ports to their adapters. Tests pass fakes through `overrides`.
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../application/ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../application/ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../application/ports/qliro-gateway';
import { CallbackTokens } from '../application/callback-urls';
import { CheckoutTelemetryToken, type CheckoutTelemetry } from '../application/ports/checkout-telemetry';
import { CallbackTokensToken } from '../application/tokens';
import { KeepAliveAgents } from '../adapters/outbound/http-call';
import { HttpNorceOrderRepository } from '../adapters/norce/http-norce-order-repository';
import { HttpConfigurationRepository } from '../adapters/norce/http-configuration-repository';
import { FileConfigurationRepository } from '../adapters/norce/file-configuration-repository';
import { HttpQliroGateway } from '../adapters/qliro/http-qliro-gateway';
import { HttpQliroAdminGateway } from '../adapters/qliro/http-qliro-admin-gateway';
import { QliroAdminGatewayToken, type QliroAdminGateway } from '../application/ports/qliro-admin-gateway';
import type { ProcessConfig } from './config';
import { OrderLock, OrderLockToken } from '../application/order-lock';
import { ValidationBudgetMsToken } from '../application/use-cases/validate-order';
import type { Logger } from './logger';
import { createMetrics, type Metrics, type UpstreamObservation } from './metrics';
import { correlationHeaders } from './request-context';

export interface PortOverrides {
  readonly norceOrders?: NorceOrderRepository;
  readonly configurations?: ConfigurationRepository;
  readonly qliro?: QliroGateway;
  readonly qliroAdmin?: QliroAdminGateway;
  readonly telemetry?: CheckoutTelemetry;
}

export interface Wiring {
  readonly container: DependencyContainer;
  /** The Prometheus registry and instruments of this instance (served at /metrics). */
  readonly metrics: Metrics;
  /** Closes what the wiring opened (keep-alive sockets to the upstreams). */
  dispose(): void;
}

export function buildContainer(config: ProcessConfig, overrides: PortOverrides = {}, logger?: Logger): Wiring {
  const container = rootContainer.createChildContainer();
  const metrics = createMetrics();
  // Every outbound attempt: a histogram observation and a debug line (operation and outcome; never URL or body).
  const upstreamCall = (upstream: UpstreamObservation['upstream']) => (o: Omit<UpstreamObservation, 'upstream'>) => {
    metrics.observeUpstream({ upstream, operation: o.operation, outcome: o.outcome, seconds: o.seconds });
    logger?.debug({ upstream, operation: o.operation, outcome: o.outcome, durationMs: Math.round(o.seconds * 1e4) / 10 }, 'upstream call');
  };
  const observeNorce = upstreamCall('norce');
  const observeQliro = upstreamCall('qliro');
  // One agent set per upstream so a slow Qliro cannot starve Norce calls of sockets.
  const norceAgents = new KeepAliveAgents();
  const qliroAgents = new KeepAliveAgents();

  const norceOrders =
    overrides.norceOrders ??
    new HttpNorceOrderRepository({
      baseUrl: config.norceOrderApiUrl,
      apiToken: config.norceApiToken,
      agents: norceAgents,
      timeoutMs: config.norceTimeoutMs,
      headers: correlationHeaders,
      observe: observeNorce,
    });
  const configurations =
    overrides.configurations ??
    (config.configurationSource.kind === 'api'
      ? new HttpConfigurationRepository({
          baseUrl: config.configurationSource.url,
          apiToken: config.norceApiToken,
          agents: norceAgents,
          timeoutMs: config.norceTimeoutMs,
          cacheTtlMs: config.configCacheTtlMs,
          headers: correlationHeaders,
          observe: observeNorce,
        })
      : new FileConfigurationRepository(config.configurationSource.path));
  const qliro = overrides.qliro ?? new HttpQliroGateway({ agents: qliroAgents, timeoutMs: config.qliroTimeoutMs, headers: correlationHeaders, observe: observeQliro });
  const qliroAdmin =
    overrides.qliroAdmin ?? new HttpQliroAdminGateway({ agents: qliroAgents, timeoutMs: config.qliroTimeoutMs, headers: correlationHeaders, observe: observeQliro });

  container.registerInstance(NorceOrderRepositoryToken, norceOrders);
  container.registerInstance(ConfigurationRepositoryToken, configurations);
  container.registerInstance(QliroGatewayToken, qliro);
  container.registerInstance(QliroAdminGatewayToken, qliroAdmin);
  container.registerInstance(CallbackTokensToken, new CallbackTokens(config.callbackSigningSecret));
  container.registerInstance(OrderLockToken, new OrderLock());
  container.registerInstance(ValidationBudgetMsToken, config.validationBudgetMs);
  container.registerInstance(CheckoutTelemetryToken, overrides.telemetry ?? metrics.telemetry);

  return {
    container,
    metrics,
    dispose: () => {
      norceAgents.destroy();
      qliroAgents.destroy();
    },
  };
}
