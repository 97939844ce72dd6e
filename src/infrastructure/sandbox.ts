// `npm start` with no upstream configured: the adapter plus local NCO and Qliro simulators, seeded (BEHAVIOUR §9).
import { startQliroSimulator } from '../../sandbox/qliro-simulator';
import { startNcoSimulator, sandboxConfigurations } from '../../sandbox/nco-simulator';
import type { ProcessConfig } from './config';
import { startAdapter, type RunningAdapter } from './server';
import { createLogger } from './logger';

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
  stop(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const portFrom = (env: Env, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} is malformed: expected port (0–65535)`);
  return n;
};

export async function startSandbox(env: Env): Promise<RunningSandbox> {
  const adapterPort = portFrom(env, 'PORT', 8080);
  const host = env['HOST'] ?? '127.0.0.1';
  const qliro = await startQliroSimulator({
    port: portFrom(env, 'SANDBOX_QLIRO_PORT', 8082),
    host,
    merchants: [{ apiKey: SANDBOX.qliroApiKey, secret: SANDBOX.qliroApiSecret }],
  });
  const publicUrl = env['SANDBOX_PUBLIC_URL'] ?? `http://localhost:${adapterPort}`;
  const nco = await startNcoSimulator({
    port: portFrom(env, 'SANDBOX_NORCE_PORT', 8081),
    host,
    apiToken: SANDBOX.token,
    configurations: sandboxConfigurations(qliro.url, publicUrl),
  });
  const config: ProcessConfig = {
    port: adapterPort,
    host,
    norceOrderApiUrl: nco.url,
    configurationSource: { kind: 'api', url: nco.url },
    norceApiToken: SANDBOX.token,
    adapterApiTokens: [SANDBOX.token],
    callbackSigningSecret: SANDBOX.callbackSigningSecret,
    logLevel: (env['LOG_LEVEL'] as ProcessConfig['logLevel']) ?? 'info',
    norceTimeoutMs: 5000,
    qliroTimeoutMs: 10000,
    configCacheTtlMs: 0,
  };
  const adapter = await startAdapter({ config, logger: createLogger(config.logLevel) });
  return {
    adapter,
    norceUrl: nco.url,
    qliroUrl: qliro.url,
    stop: async () => {
      await adapter.stop(2000);
      await Promise.all([nco.close(), qliro.close()]);
    },
  };
}
