// `npm start` with no upstream configured: the adapter plus local NCO and Qliro simulators, seeded (BEHAVIOUR §9).
import { startQliroSimulator, type QliroSimulatorOptions, type RunningQliroSimulator } from '../../sandbox/qliro-simulator';
import { startNcoSimulator, sandboxConfigurations, type RunningNcoSimulator } from '../../sandbox/nco-simulator';
import type { ProcessConfig } from './config';
import { startAdapter, type RunningAdapter } from './server';
import { createLogger } from './logger';
import type { DestinationStream } from 'pino';

export const SANDBOX = {
  merchant: 'sandbox',
  channels: ['se', 'no', 'fi', 'dk'],
  token: 'sandbox-token',
  qliroApiKey: 'sandbox-key',
  qliroApiSecret: 'sandbox-secret',
  callbackSigningSecret: 'sandbox-callback-signing-secret',
} as const;

export interface RunningSandbox {
  readonly adapter: RunningAdapter;
  readonly norceUrl: string;
  readonly qliroUrl: string;
  /** The simulators themselves: stores and fault controls for tests and demos. */
  readonly nco: RunningNcoSimulator;
  readonly qliro: RunningQliroSimulator;
  stop(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly ProcessConfig['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const logLevelFrom = (env: Env): ProcessConfig['logLevel'] => {
  const raw = env['LOG_LEVEL'];
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (level === undefined) throw new Error(`LOG_LEVEL is malformed: expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
};

const portFrom = (env: Env, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} is malformed: expected port (0–65535)`);
  return n;
};

/** Starts all three; `tuning` lets tests shorten timeouts, `logDestination` captures the adapter's log. Ports 0 give ephemeral ports. */
export async function startSandbox(
  env: Env,
  tuning: Partial<Pick<ProcessConfig, 'norceTimeoutMs' | 'qliroTimeoutMs' | 'logLevel' | 'validationBudgetMs'>> = {},
  options: {
    readonly logDestination?: DestinationStream;
    /** Simulator behaviour for tests and demos (e.g. compressed push retries). */
    readonly qliro?: Partial<Omit<QliroSimulatorOptions, 'merchants' | 'port' | 'host'>>;
  } = {},
): Promise<RunningSandbox> {
  const adapterPort = portFrom(env, 'PORT', 8080);
  const host = env['HOST'] ?? '127.0.0.1';
  const qliro = await startQliroSimulator({
    port: portFrom(env, 'SANDBOX_QLIRO_PORT', 8082),
    host,
    merchants: [{ apiKey: SANDBOX.qliroApiKey, secret: SANDBOX.qliroApiSecret }],
    ...options.qliro,
  });
  const nco = await startNcoSimulator({ port: portFrom(env, 'SANDBOX_NORCE_PORT', 8081), host, apiToken: SANDBOX.token });
  const config: ProcessConfig = {
    port: adapterPort,
    host,
    norceOrderApiUrl: nco.url,
    configurationSource: { kind: 'api', url: nco.url },
    norceApiToken: SANDBOX.token,
    adapterApiTokens: [SANDBOX.token],
    callbackSigningSecret: SANDBOX.callbackSigningSecret,
    logLevel: logLevelFrom(env),
    norceTimeoutMs: 5000,
    qliroTimeoutMs: 10000,
    configCacheTtlMs: 0,
    validationBudgetMs: 3500,
    ...tuning,
  };
  const adapter = await startAdapter({ config, logger: createLogger(config.logLevel, options.logDestination) });
  // Seeded after the adapter listens, so the callback URLs in the channel documents name its real port.
  // 127.0.0.1 rather than localhost: the adapter listens on IPv4 and `localhost` may resolve to ::1 first.
  const publicUrl = env['SANDBOX_PUBLIC_URL'] ?? `http://127.0.0.1:${adapter.port}`;
  for (const [merchant, channels] of Object.entries(sandboxConfigurations(qliro.url, publicUrl))) {
    for (const [channel, documents] of Object.entries(channels)) {
      for (const [name, document] of Object.entries(documents)) nco.store.putConfiguration(merchant, channel, name, document);
    }
  }
  return {
    adapter,
    norceUrl: nco.url,
    qliroUrl: qliro.url,
    nco,
    qliro,
    stop: async () => {
      await adapter.stop(2000);
      await Promise.all([nco.close(), qliro.close()]);
    },
  };
}
