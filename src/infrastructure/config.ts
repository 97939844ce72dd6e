// Process configuration from the environment (BEHAVIOUR §2), decoded once at start-up.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';

export interface ProcessConfig {
  readonly port: number;
  readonly host: string;
  readonly norceOrderApiUrl: string;
  readonly configurationSource: { readonly kind: 'api'; readonly url: string } | { readonly kind: 'file'; readonly path: string };
  readonly norceApiToken: string;
  readonly adapterApiTokens: readonly string[];
  readonly callbackSigningSecret: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly norceTimeoutMs: number;
  readonly qliroTimeoutMs: number;
  readonly configCacheTtlMs: number;
  /** How long the validate callback may take before it declines (Qliro approves silently after 5 s). */
  readonly validationBudgetMs: number;
}

type Env = Record<string, string | undefined>;

/** Sandbox mode: none of the upstream locations is set (BEHAVIOUR §9). */
export const isSandbox = (env: Env): boolean =>
  !env['NORCE_ORDER_API_URL'] && !env['NORCE_CONFIGURATION_API_URL'] && !env['ADAPTER_CONFIG_FILE'];

const Port = new t.Type<number, string, unknown>(
  'port (1–65535)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return n >= 1 && n <= 65535 ? t.success(n) : t.failure(u, c);
  },
  String,
);

const Millis = new t.Type<number, string, unknown>(
  'milliseconds (1–120000)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return n >= 1 && n <= 120000 ? t.success(n) : t.failure(u, c);
  },
  String,
);

const NonNegativeMillis = new t.Type<number, string, unknown>(
  'milliseconds (0–3600000)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return n >= 0 && n <= 3_600_000 ? t.success(n) : t.failure(u, c);
  },
  String,
);

const ValidationBudget = new t.Type<number, string, unknown>(
  'milliseconds (500–4500, below Qliro\'s 5 s silent approval)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return n >= 500 && n <= 4500 ? t.success(n) : t.failure(u, c);
  },
  String,
);

const HttpUrl = new t.Type<string, string, unknown>(
  'http(s) URL',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    try {
      const url = new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:' ? t.success(u.replace(/\/+$/, '')) : t.failure(u, c);
    } catch {
      return t.failure(u, c);
    }
  },
  String,
);

const Secret = new t.Type<string, string, unknown>(
  'secret of at least 16 characters',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && u.length >= 16 ? t.success(u) : t.failure(u, c)),
  String,
);

const TokenList = new t.Type<readonly string[], string, unknown>(
  'comma-separated list of tokens (each at least 8 characters)',
  (u): u is readonly string[] => Array.isArray(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    const tokens = u.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    return tokens.length > 0 && tokens.every((s) => s.length >= 8) ? t.success(tokens) : t.failure(u, c);
  },
  (a) => a.join(','),
);

const LogLevel = t.keyof({ fatal: null, error: null, warn: null, info: null, debug: null, trace: null, silent: null });

const NonEmpty = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && u.trim().length > 0 ? t.success(u) : t.failure(u, c)),
  String,
);

/** One variable: its codec, and its default when absent (undefined = required). */
const field = <A>(name: string, codec: t.Type<A, string, unknown>, env: Env, fallback?: A): E.Either<string, A> => {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback === undefined ? E.left(`${name} is required (${codec.name})`) : E.right(fallback);
  }
  return pipe(
    codec.decode(raw),
    E.mapLeft(() => `${name} is malformed: expected ${codec.name}`),
  );
};

/** Decode the environment; Left is one line naming the variable at fault. */
export function loadConfig(env: Env): E.Either<string, ProcessConfig> {
  const configurationSource = (): E.Either<string, ProcessConfig['configurationSource']> => {
    if (env['NORCE_CONFIGURATION_API_URL']) return pipe(field('NORCE_CONFIGURATION_API_URL', HttpUrl, env), E.map((url) => ({ kind: 'api' as const, url })));
    if (env['ADAPTER_CONFIG_FILE']) return pipe(field('ADAPTER_CONFIG_FILE', NonEmpty, env), E.map((path) => ({ kind: 'file' as const, path })));
    return E.left('NORCE_CONFIGURATION_API_URL or ADAPTER_CONFIG_FILE is required (where channel configurations are read)');
  };
  return pipe(
    E.Do,
    E.apS('port', field('PORT', Port, env, 8080)),
    E.apS('host', field('HOST', NonEmpty, env, '0.0.0.0')),
    E.apS('norceOrderApiUrl', field('NORCE_ORDER_API_URL', HttpUrl, env)),
    E.apS('configurationSource', configurationSource()),
    E.apS('norceApiToken', field('NORCE_API_TOKEN', NonEmpty, env)),
    E.apS('adapterApiTokens', field('ADAPTER_API_TOKENS', TokenList, env)),
    E.apS('callbackSigningSecret', field('CALLBACK_SIGNING_SECRET', Secret, env)),
    E.apS('logLevel', field('LOG_LEVEL', LogLevel as unknown as t.Type<ProcessConfig['logLevel'], string, unknown>, env, 'info' as const)),
    E.apS('norceTimeoutMs', field('NORCE_TIMEOUT_MS', Millis, env, 5000)),
    E.apS('qliroTimeoutMs', field('QLIRO_TIMEOUT_MS', Millis, env, 10000)),
    E.apS('configCacheTtlMs', field('CONFIG_CACHE_TTL_MS', NonNegativeMillis, env, 30000)),
    E.apS('validationBudgetMs', field('VALIDATION_BUDGET_MS', ValidationBudget, env, 3500)),
  );
}
