// Runs the Qliro simulator alone: `node -r ts-node/register/transpile-only sandbox/qliro-simulator/main.ts`.
import { startQliroSimulator, type SimulatedMerchant } from './index';

/** SANDBOX_QLIRO_MERCHANTS="key:secret,key2:secret2"; a demo merchant when unset. */
function merchantsFromEnv(value: string | undefined): SimulatedMerchant[] {
  if (!value) return [{ apiKey: 'TESTMERCHANTKEY', secret: 'test-merchant-secret' }];
  return value.split(',').map((pair) => {
    const at = pair.indexOf(':');
    if (at <= 0 || at === pair.length - 1) throw new Error('SANDBOX_QLIRO_MERCHANTS must be "apiKey:secret[,apiKey:secret]"');
    return { apiKey: pair.slice(0, at).trim(), secret: pair.slice(at + 1).trim() };
  });
}

async function main(): Promise<void> {
  const port = Number(process.env['SANDBOX_QLIRO_PORT'] ?? 8082);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SANDBOX_QLIRO_PORT must be a port number');
  const merchants = merchantsFromEnv(process.env['SANDBOX_QLIRO_MERCHANTS']);
  const simulator = await startQliroSimulator({
    port,
    host: process.env['SANDBOX_QLIRO_HOST'] ?? '127.0.0.1',
    merchants,
    strictDiscountSign: process.env['SANDBOX_QLIRO_STRICT_DISCOUNT_SIGN'] !== 'false',
    ...(process.env['SANDBOX_QLIRO_PUBLIC_URL'] ? { publicUrl: process.env['SANDBOX_QLIRO_PUBLIC_URL'] } : {}),
  });
  process.stdout.write(
    `Qliro simulator listening on ${simulator.url} (merchant API ${simulator.url}/checkout/merchantapi, ` +
      `controls ${simulator.url}/sandbox; merchants: ${merchants.map((m) => m.apiKey).join(', ')})\n`,
  );
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`Qliro simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
