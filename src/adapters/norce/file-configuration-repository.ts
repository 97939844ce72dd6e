// ConfigurationRepository over a local JSON file (`ADAPTER_CONFIG_FILE`): `{ merchant: { channel: document } }`.
// The file is read once at construction (a missing or malformed file stops start-up); each channel's
// document is decoded on every get, so an invalid channel fails exactly like one read from NCO.
import { readFileSync } from 'node:fs';
import { left } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { ConfigurationRepository } from '../../application/ports/configuration-repository';
import type { ChannelRef, QliroChannelConfiguration } from '../../domain/channel-configuration';
import type { AdapterError } from '../../domain/errors';
import { configurationNotFound, decodeChannelConfigurationFor } from './channel-configuration-codec';

type Documents = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/** Checks the file's outer shape (merchant → channel → document); the documents themselves are checked per get. */
export function parseConfigurationFile(text: string, source: string): Documents {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON`);
  }
  if (!isRecord(parsed)) throw new Error(`${source}: expected an object of merchant → channel → configuration`);
  for (const [merchant, channels] of Object.entries(parsed)) {
    if (!isRecord(channels)) throw new Error(`${source}: merchant ${merchant}: expected an object of channel → configuration`);
  }
  return parsed as Documents;
}

export class FileConfigurationRepository implements ConfigurationRepository {
  private readonly documents: Documents;

  constructor(path: string) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`ADAPTER_CONFIG_FILE ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    this.documents = parseConfigurationFile(text, `ADAPTER_CONFIG_FILE ${path}`);
  }

  get(ref: ChannelRef): TaskEither<AdapterError, QliroChannelConfiguration> {
    return async () => {
      const channels = Object.prototype.hasOwnProperty.call(this.documents, ref.merchant)
        ? this.documents[ref.merchant]
        : undefined;
      const document =
        channels !== undefined && Object.prototype.hasOwnProperty.call(channels, ref.channel) ? channels[ref.channel] : undefined;
      if (document === undefined || document === null) return left(configurationNotFound(ref));
      return decodeChannelConfigurationFor(ref, document);
    };
  }
}
