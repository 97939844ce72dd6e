// Start-up configuration: every variable decoded; a missing or malformed one is ONE line naming it.
import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { isSandbox, loadConfig } from '../../src/infrastructure/config';

const VALID = {
  NORCE_ORDER_API_URL: 'https://demo.api-se.norce.tech/checkout/order/',
  NORCE_CONFIGURATION_API_URL: 'https://demo.api-se.norce.tech/checkout/configuration',
  NORCE_API_TOKEN: 'norce-api-token',
  ADAPTER_API_TOKENS: 'first-token-1, second-token-2',
  CALLBACK_SIGNING_SECRET: 'a-callback-signing-secret',
} as const;

const failure = (env: Record<string, string | undefined>): string => {
  const result = loadConfig(env);
  if (E.isRight(result)) throw new Error(`expected a failure for ${JSON.stringify(env)}`);
  return result.left;
};

describe('infrastructure: loadConfig', () => {
  it('decodes a complete environment, with defaults for the optional variables', () => {
    const result = loadConfig(VALID);
    expect(E.isRight(result)).to.equal(true);
    const config = (result as E.Right<ReturnType<typeof loadConfig> extends E.Either<string, infer A> ? A : never>).right;
    expect(config).to.deep.include({
      port: 8080,
      host: '0.0.0.0',
      norceOrderApiUrl: 'https://demo.api-se.norce.tech/checkout/order',
      configurationSource: { kind: 'api', url: 'https://demo.api-se.norce.tech/checkout/configuration' },
      norceApiToken: 'norce-api-token',
      adapterApiTokens: ['first-token-1', 'second-token-2'],
      callbackSigningSecret: 'a-callback-signing-secret',
      logLevel: 'info',
      norceTimeoutMs: 5000,
      qliroTimeoutMs: 10000,
      configCacheTtlMs: 30000,
      validationBudgetMs: 3500,
    });
  });

  it('reads every optional variable when given', () => {
    const result = loadConfig({
      ...VALID,
      NORCE_CONFIGURATION_API_URL: undefined,
      ADAPTER_CONFIG_FILE: '/etc/adapter/channels.json',
      PORT: '9090',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      NORCE_TIMEOUT_MS: '2500',
      QLIRO_TIMEOUT_MS: '8000',
      CONFIG_CACHE_TTL_MS: '0',
      VALIDATION_BUDGET_MS: '3000',
    });
    expect(E.isRight(result) && result.right).to.deep.include({
      port: 9090,
      host: '127.0.0.1',
      configurationSource: { kind: 'file', path: '/etc/adapter/channels.json' },
      logLevel: 'debug',
      norceTimeoutMs: 2500,
      qliroTimeoutMs: 8000,
      configCacheTtlMs: 0,
      validationBudgetMs: 3000,
    });
  });

  const required = ['NORCE_ORDER_API_URL', 'NORCE_API_TOKEN', 'ADAPTER_API_TOKENS', 'CALLBACK_SIGNING_SECRET'] as const;
  for (const name of required) {
    it(`stops on a missing ${name}, naming it in one line`, () => {
      for (const absent of [undefined, '']) {
        const message = failure({ ...VALID, [name]: absent });
        expect(message).to.match(new RegExp(`^${name} is required`));
        expect(message).to.not.contain('\n');
      }
    });
  }

  it('stops when neither NORCE_CONFIGURATION_API_URL nor ADAPTER_CONFIG_FILE is set, naming both', () => {
    const message = failure({ ...VALID, NORCE_CONFIGURATION_API_URL: undefined });
    expect(message).to.match(/^NORCE_CONFIGURATION_API_URL or ADAPTER_CONFIG_FILE is required/);
    expect(message).to.not.contain('\n');
  });

  const malformed: [string, string[]][] = [
    ['NORCE_ORDER_API_URL', ['not a url', 'ftp://norce.example/order', 'norce.example']],
    ['NORCE_CONFIGURATION_API_URL', ['not a url', 'file:///etc/passwd']],
    ['ADAPTER_CONFIG_FILE', ['   ']],
    ['NORCE_API_TOKEN', ['   ']],
    ['ADAPTER_API_TOKENS', ['short', 'long-enough-token,short', ' , ']],
    ['CALLBACK_SIGNING_SECRET', ['short-secret', '   ']],
    ['PORT', ['0', '65536', 'http', '80.5', '-1']],
    ['HOST', ['   ']],
    ['LOG_LEVEL', ['verbose', 'INFO ']],
    ['NORCE_TIMEOUT_MS', ['0', '120001', '5s', '-5']],
    ['QLIRO_TIMEOUT_MS', ['0', '999999', 'ten']],
    ['CONFIG_CACHE_TTL_MS', ['-1', '3600001', '1e3']],
    ['VALIDATION_BUDGET_MS', ['499', '5000', 'soon']],
  ];
  for (const [name, values] of malformed) {
    it(`stops on a malformed ${name}, naming it (and not echoing the value) in one line`, () => {
      for (const value of values) {
        const env: Record<string, string | undefined> = { ...VALID, [name]: value };
        if (name === 'ADAPTER_CONFIG_FILE') delete env['NORCE_CONFIGURATION_API_URL'];
        const message = failure(env);
        expect(message, value).to.match(new RegExp(`^${name} is malformed: expected `));
        expect(message, value).to.not.contain('\n');
        if (value.trim().length > 3) expect(message, 'the value stays out of the message').to.not.contain(value.trim());
      }
    });
  }

  it('is the sandbox only when no upstream location is set', () => {
    expect(isSandbox({})).to.equal(true);
    expect(isSandbox({ NORCE_API_TOKEN: 'x' })).to.equal(true);
    expect(isSandbox({ NORCE_ORDER_API_URL: 'https://x' })).to.equal(false);
    expect(isSandbox({ ADAPTER_CONFIG_FILE: 'f.json' })).to.equal(false);
  });
});
