// Prometheus metrics on a Registry of our own (never prom-client's global one), held by the wiring.
// Every label value comes from a bounded set: route templates, operation names, outcome classes, states.
// Never ids, URLs or anything a customer typed.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallbackOutcome, CallbackType, CheckoutTelemetry } from '../application/ports/checkout-telemetry';
import type { PaymentState } from '../domain/norce-order';

export type Upstream = 'norce' | 'qliro';

/** How one outbound attempt ended. */
export type UpstreamOutcome = 'success' | 'client-error' | 'server-error' | 'timeout' | 'network' | 'undecodable';

export interface UpstreamObservation {
  readonly upstream: Upstream;
  /** The client method, e.g. `getOrder`: a fixed name, never a path. */
  readonly operation: string;
  readonly outcome: UpstreamOutcome;
  readonly seconds: number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly upstreamRequestDuration: Histogram<'upstream' | 'operation' | 'outcome'>;
  readonly qliroCallbacks: Counter<'type' | 'outcome'>;
  readonly paymentTransitions: Counter<'from' | 'to'>;
  /** The CheckoutTelemetry port, counted here. */
  readonly telemetry: CheckoutTelemetry;
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  observeUpstream(observation: UpstreamObservation): void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'qliro-checkout-adapter' });
  collectDefaultMetrics({ register: registry });

  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests served, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamRequestDuration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Duration of calls to Norce Checkout and Qliro, by upstream, operation and outcome (one per attempt)',
    labelNames: ['upstream', 'operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const qliroCallbacks = new Counter({
    name: 'qliro_callbacks_total',
    help: 'Callbacks and hooks handled (Qliro callbacks, client-side events, NCO hooks), by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const paymentTransitions = new Counter({
    name: 'payment_transitions_total',
    help: 'Norce payment state transitions made by the adapter',
    labelNames: ['from', 'to'] as const,
    registers: [registry],
  });

  const telemetry: CheckoutTelemetry = {
    callbackHandled: (type: CallbackType, outcome: CallbackOutcome) => qliroCallbacks.inc({ type, outcome }),
    paymentTransition: (from: PaymentState, to: PaymentState) => paymentTransitions.inc({ from, to }),
  };

  return {
    registry,
    httpRequestDuration,
    upstreamRequestDuration,
    qliroCallbacks,
    paymentTransitions,
    telemetry,
    observeHttpRequest: (method, route, statusCode, seconds) =>
      httpRequestDuration.observe({ method, route, status_code: String(statusCode) }, seconds),
    observeUpstream: ({ upstream, operation, outcome, seconds }) =>
      upstreamRequestDuration.observe({ upstream, operation, outcome }, seconds),
  };
}
