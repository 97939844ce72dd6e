// Use cases wired to the in-memory port fakes, as the container wires them in production.
import 'reflect-metadata';
import { container as root, type DependencyContainer } from 'tsyringe';
import { NorceOrderRepositoryToken } from '../../src/application/ports/norce-order-repository';
import { ConfigurationRepositoryToken } from '../../src/application/ports/configuration-repository';
import { QliroGatewayToken } from '../../src/application/ports/qliro-gateway';
import { CallbackTokens } from '../../src/application/callback-urls';
import { CallbackTokensToken } from '../../src/application/tokens';
import { OrderLock, OrderLockToken } from '../../src/application/order-lock';
import { CheckoutTelemetryToken, type CallbackOutcome, type CallbackType, type CheckoutTelemetry } from '../../src/application/ports/checkout-telemetry';
import { ValidationBudgetMsToken } from '../../src/application/use-cases/validate-order';
import type { PaymentState } from '../../src/domain/norce-order';
import { FakeNorceOrderRepository } from '../fakes/fake-norce-order-repository';
import { FakeConfigurationRepository } from '../fakes/fake-configuration-repository';
import { FakeQliroGateway } from '../fakes/fake-qliro-gateway';
import { FakeQliroAdminGateway } from '../fakes/fake-qliro-admin-gateway';
import { QliroAdminGatewayToken } from '../../src/application/ports/qliro-admin-gateway';
import { sandboxConfigurations } from '../../sandbox/nco-simulator';
import type { ChannelRef } from '../../src/domain/channel-configuration';

export const REF: ChannelRef = { merchant: 'sandbox', channel: 'se' };
export const SIGNING_SECRET = 'test-callback-signing-secret';

export interface CheckoutHarness {
  readonly container: DependencyContainer;
  readonly norce: FakeNorceOrderRepository;
  readonly configurations: FakeConfigurationRepository;
  readonly qliro: FakeQliroGateway;
  readonly admin: FakeQliroAdminGateway;
  readonly tokens: CallbackTokens;
  readonly telemetry: RecordingTelemetry;
}

/** Remembers what the use cases reported, for assertions. */
export class RecordingTelemetry implements CheckoutTelemetry {
  readonly callbacks: { type: CallbackType; outcome: CallbackOutcome }[] = [];
  readonly transitions: { from: PaymentState; to: PaymentState }[] = [];
  callbackHandled(type: CallbackType, outcome: CallbackOutcome): void {
    this.callbacks.push({ type, outcome });
  }
  paymentTransition(from: PaymentState, to: PaymentState): void {
    this.transitions.push({ from, to });
  }
}

export function checkoutHarness(options: { validationBudgetMs?: number } = {}): CheckoutHarness {
  const norce = new FakeNorceOrderRepository();
  const configs = sandboxConfigurations('https://qliro.test', 'https://adapter.test');
  const configurations = new FakeConfigurationRepository(
    Object.fromEntries(
      Object.entries(configs).map(([merchant, channels]) => [
        merchant,
        Object.fromEntries(Object.entries(channels).map(([channel, docs]) => [channel, docs['qliro_checkout_adapter']])),
      ]),
    ),
  );
  const qliro = new FakeQliroGateway();
  const tokens = new CallbackTokens(SIGNING_SECRET);
  const container = root.createChildContainer();
  container.registerInstance(NorceOrderRepositoryToken, norce);
  container.registerInstance(ConfigurationRepositoryToken, configurations);
  container.registerInstance(QliroGatewayToken, qliro);
  container.registerInstance(CallbackTokensToken, tokens);
  const telemetry = new RecordingTelemetry();
  container.registerInstance(CheckoutTelemetryToken, telemetry);
  container.registerInstance(OrderLockToken, new OrderLock());
  container.registerInstance(ValidationBudgetMsToken, options.validationBudgetMs ?? 3500);
  const admin = new FakeQliroAdminGateway();
  container.registerInstance(QliroAdminGatewayToken, admin);
  return { container, norce, configurations, qliro, admin, tokens, telemetry };
}
