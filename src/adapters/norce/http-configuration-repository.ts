// ConfigurationRepository over the NCO Configuration API:
// GET {baseUrl}/api/v1/configuration/merchants/{m}/channels/{c}/configurations/qliro_checkout_adapter
import { isLeft, left, type Either } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { ConfigurationRepository } from '../../application/ports/configuration-repository';
import type { ChannelRef, QliroChannelConfiguration } from '../../domain/channel-configuration';
import { adapterError, type AdapterError } from '../../domain/errors';
import { HttpCallError, httpCall, parseJson, type KeepAliveAgents } from '../outbound/http-call';
import {
  CONFIGURATION_NAME,
  configurationNotFound,
  decodeChannelConfigurationFor,
  describeChannel,
} from './channel-configuration-codec';

export interface HttpConfigurationRepositoryOptions {
  /** NCO Configuration API host, e.g. `https://{slug}.api-se.playground.norce.tech/checkout/configuration`. */
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly agents: KeepAliveAgents;
  readonly timeoutMs: number;
  /** How long a fetched, valid configuration is reused (default 30 000 ms; 0 disables the cache). */
  readonly cacheTtlMs?: number;
  /** Pause before the one retry of a transient failure (default 100 ms). */
  readonly retryDelayMs?: number;
  /** Extra headers for every call, e.g. the request's `x-correlation-id`. */
  readonly headers?: () => Record<string, string>;
  /** Called after every attempt (metrics, logs); `outcome` is the HTTP class, not the document's validity. */
  readonly observe?: (observation: {
    readonly upstream: 'norce-configuration-api';
    readonly operation: 'getConfiguration';
    readonly outcome: 'success' | 'client-error' | 'server-error' | 'timeout' | 'network';
    readonly seconds: number;
  }) => void;
  /** Clock for the cache (tests). */
  readonly now?: () => number;
}

interface CacheEntry {
  /** Until when a settled valid result may be reused; Infinity while the fetch is in flight. */
  expiresAt: number;
  readonly result: Promise<Either<AdapterError, QliroChannelConfiguration>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HttpConfigurationRepository implements ConfigurationRepository {
  private readonly baseUrl: string;
  // The configuration is read on every request (every hook, push and storefront call), and changes
  // rarely; a short TTL takes that load and latency off NCO while an edit still lands within seconds.
  // Concurrent reads of one channel share one fetch. Only valid configurations are cached, so a
  // fixed or newly added document is picked up on the next request.
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly options: HttpConfigurationRepositoryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get(ref: ChannelRef): TaskEither<AdapterError, QliroChannelConfiguration> {
    return () => this.cached(ref);
  }

  /** Forget cached configurations (all, or one channel's). */
  clearCache(ref?: ChannelRef): void {
    if (ref === undefined) this.cache.clear();
    else this.cache.delete(this.key(ref));
  }

  private key(ref: ChannelRef): string {
    return `${ref.merchant}\u0000${ref.channel}`;
  }

  private cached(ref: ChannelRef): Promise<Either<AdapterError, QliroChannelConfiguration>> {
    const ttl = this.options.cacheTtlMs ?? 30_000;
    if (ttl <= 0) return this.fetch(ref);
    const now = this.options.now ?? Date.now;
    const key = this.key(ref);
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.expiresAt > now()) return hit.result;

    const entry: CacheEntry = { expiresAt: Infinity, result: this.fetch(ref) };
    this.cache.set(key, entry);
    void entry.result.then(
      (result) => {
        if (this.cache.get(key) !== entry) return;
        if (isLeft(result)) this.cache.delete(key);
        else entry.expiresAt = now() + ttl;
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    return entry.result;
  }

  private async fetch(ref: ChannelRef): Promise<Either<AdapterError, QliroChannelConfiguration>> {
    let result = await this.attempt(ref);
    if (isLeft(result) && result.left.transient === true) {
      await sleep(this.options.retryDelayMs ?? 100);
      result = await this.attempt(ref);
    }
    return result;
  }

  private async attempt(ref: ChannelRef): Promise<Either<AdapterError, QliroChannelConfiguration>> {
    const url =
      `${this.baseUrl}/api/v1/configuration/merchants/${encodeURIComponent(ref.merchant)}` +
      `/channels/${encodeURIComponent(ref.channel)}/configurations/${CONFIGURATION_NAME}`;
    const transient = (why: string) =>
      left(adapterError('configuration-error', `Could not read the ${CONFIGURATION_NAME} configuration of ${describeChannel(ref)}: ${why}`, { transient: true }));

    const started = process.hrtime.bigint();
    const observe = (outcome: 'success' | 'client-error' | 'server-error' | 'timeout' | 'network') =>
      this.options.observe?.({ upstream: 'norce-configuration-api', operation: 'getConfiguration', outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    let response;
    try {
      response = await httpCall(this.options.agents, {
        url,
        method: 'GET',
        headers: {
          ...(this.options.headers?.() ?? {}),
          accept: 'application/json',
          authorization: `Bearer ${this.options.apiToken}`,
          'x-merchant': ref.merchant,
          'x-channel': ref.channel,
        },
        timeoutMs: this.options.timeoutMs,
      });
    } catch (e) {
      observe(e instanceof HttpCallError ? e.failure.kind : 'network');
      if (e instanceof HttpCallError) {
        return transient(
          e.failure.kind === 'timeout'
            ? `the Configuration API did not answer (${e.failure.message})`
            : `the Configuration API is unreachable (${e.failure.message})`,
        );
      }
      // Not an HTTP failure (a bug on our side): still an answer, never a rejected task.
      return left(adapterError('configuration-error', `Reading the ${CONFIGURATION_NAME} configuration of ${describeChannel(ref)} failed unexpectedly`));
    }

    const { status } = response;
    observe(status >= 200 && status < 300 ? 'success' : status >= 500 ? 'server-error' : 'client-error');
    if (status === 404) return left(configurationNotFound(ref));
    if (status === 401 || status === 403) {
      return left(
        adapterError(
          'configuration-error',
          `The Norce Configuration API refused the adapter's API token (HTTP ${status}) for ${describeChannel(ref)}; check NORCE_API_TOKEN`,
        ),
      );
    }
    if (status >= 500 || status === 429 || status === 408) return transient(`the Configuration API answered HTTP ${status}`);
    if (status < 200 || status >= 300) {
      return left(
        adapterError('configuration-error', `The Configuration API answered HTTP ${status} for the ${CONFIGURATION_NAME} configuration of ${describeChannel(ref)}`),
      );
    }
    const body = parseJson(response.text);
    if (body === undefined) return transient('the Configuration API answered with a body that is not JSON');
    return decodeChannelConfigurationFor(ref, body);
  }
}
