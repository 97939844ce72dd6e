import type { InjectionToken } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import type { ChannelRef, QliroChannelConfiguration } from '../../domain/channel-configuration';

/**
 * The channel's `qliro_checkout_adapter` document. Errors: `configuration-not-found` (absent),
 * `configuration-error` (invalid — the message names the field —, inactive, or upstream failure,
 * the last one `transient`).
 */
export interface ConfigurationRepository {
  get(ref: ChannelRef): TaskEither<AdapterError, QliroChannelConfiguration>;
}

export const ConfigurationRepositoryToken: InjectionToken<ConfigurationRepository> = Symbol('ConfigurationRepository');
