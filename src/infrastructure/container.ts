// Wires ports to their adapters. Tests pass fakes through `overrides`.
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../application/ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../application/ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../application/ports/qliro-gateway';
import { CallbackTokens } from '../application/callback-urls';
import { CheckoutTelemetryToken, silentTelemetry, type CheckoutTelemetry } from '../application/ports/checkout-telemetry';
import { CallbackTokensToken } from '../application/tokens';
import { KeepAliveAgents } from '../adapters/outbound/http-call';
import { HttpNorceOrderRepository } from '../adapters/norce/http-norce-order-repository';
import { HttpConfigurationRepository } from '../adapters/norce/http-configuration-repository';
import { FileConfigurationRepository } from '../adapters/norce/file-configuration-repository';
import { HttpQliroGateway } from '../adapters/qliro/http-qliro-gateway';
import type { ProcessConfig } from './config';

export interface PortOverrides {
  readonly norceOrders?: NorceOrderRepository;
  readonly configurations?: ConfigurationRepository;
  readonly qliro?: QliroGateway;
  readonly telemetry?: CheckoutTelemetry;
}

export interface Wiring {
  readonly container: DependencyContainer;
  /** Closes what the wiring opened (keep-alive sockets to the upstreams). */
  dispose(): void;
}

export function buildContainer(config: ProcessConfig, overrides: PortOverrides = {}): Wiring {
  const container = rootContainer.createChildContainer();
  // One agent set per upstream so a slow Qliro cannot starve Norce calls of sockets.
  const norceAgents = new KeepAliveAgents();
  const qliroAgents = new KeepAliveAgents();

  const norceOrders =
    overrides.norceOrders ??
    new HttpNorceOrderRepository({ baseUrl: config.norceOrderApiUrl, apiToken: config.norceApiToken, agents: norceAgents, timeoutMs: config.norceTimeoutMs });
  const configurations =
    overrides.configurations ??
    (config.configurationSource.kind === 'api'
      ? new HttpConfigurationRepository({
          baseUrl: config.configurationSource.url,
          apiToken: config.norceApiToken,
          agents: norceAgents,
          timeoutMs: config.norceTimeoutMs,
          cacheTtlMs: config.configCacheTtlMs,
        })
      : new FileConfigurationRepository(config.configurationSource.path));
  const qliro = overrides.qliro ?? new HttpQliroGateway({ agents: qliroAgents, timeoutMs: config.qliroTimeoutMs });

  container.registerInstance(NorceOrderRepositoryToken, norceOrders);
  container.registerInstance(ConfigurationRepositoryToken, configurations);
  container.registerInstance(QliroGatewayToken, qliro);
  container.registerInstance(CallbackTokensToken, new CallbackTokens(config.callbackSigningSecret));
  container.registerInstance(CheckoutTelemetryToken, overrides.telemetry ?? silentTelemetry);

  return {
    container,
    dispose: () => {
      norceAgents.destroy();
      qliroAgents.destroy();
    },
  };
}
