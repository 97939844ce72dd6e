// In-memory ConfigurationRepository: raw documents keyed by merchant/channel, decoded on every get
// with the same codec and messages as the HTTP and file repositories.
import { left } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { ConfigurationRepository } from '../../src/application/ports/configuration-repository';
import type { ChannelRef, QliroChannelConfiguration } from '../../src/domain/channel-configuration';
import type { AdapterError } from '../../src/domain/errors';
import { configurationNotFound, decodeChannelConfigurationFor } from '../../src/adapters/norce/channel-configuration-codec';

const key = (ref: ChannelRef): string => `${ref.merchant}/${ref.channel}`;

export class FakeConfigurationRepository implements ConfigurationRepository {
  /** Every get, in order. */
  readonly calls: ChannelRef[] = [];
  private readonly documents = new Map<string, unknown>();
  private readonly failures: { error: AdapterError; times: number }[] = [];

  /** `documents`: merchant → channel → `qliro_checkout_adapter` document (or a QliroChannelConfiguration). */
  constructor(documents: Record<string, Record<string, unknown>> = {}) {
    for (const [merchant, channels] of Object.entries(documents)) {
      for (const [channel, document] of Object.entries(channels)) this.set({ merchant, channel }, document);
    }
  }

  /** Sets a channel's document (any value: invalid ones fail on get, like in NCO). */
  set(ref: ChannelRef, document: unknown): this {
    this.documents.set(key(ref), structuredClone(document));
    return this;
  }

  delete(ref: ChannelRef): this {
    this.documents.delete(key(ref));
    return this;
  }

  /** The next `times` gets fail with `error`. */
  failNext(error: AdapterError, times = 1): void {
    this.failures.push({ error, times });
  }

  get(ref: ChannelRef): TaskEither<AdapterError, QliroChannelConfiguration> {
    return async () => {
      this.calls.push({ ...ref });
      const failure = this.failures[0];
      if (failure !== undefined) {
        if (failure.times <= 1) this.failures.shift();
        else failure.times -= 1;
        return left(failure.error);
      }
      const k = key(ref);
      if (!this.documents.has(k)) return left(configurationNotFound(ref));
      return decodeChannelConfigurationFor(ref, structuredClone(this.documents.get(k)));
    };
  }
}
