// Runs the NCO simulator alone: `node -r ts-node/register/transpile-only sandbox/nco-simulator/main.ts`.
// SANDBOX_NORCE_PORT (default 8081), SANDBOX_NORCE_HOST (127.0.0.1), token `sandbox-token`; seeded
// with the sandbox channels, pointing at SANDBOX_QLIRO_URL and SANDBOX_PUBLIC_URL.
import { SANDBOX_MERCHANT, sandboxConfigurations, startNcoSimulator } from './index';

async function main(): Promise<void> {
  const port = Number(process.env['SANDBOX_NORCE_PORT'] ?? 8081);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SANDBOX_NORCE_PORT must be a port number');
  const qliroUrl = process.env['SANDBOX_QLIRO_URL'] ?? 'http://localhost:8082';
  const publicUrl = process.env['SANDBOX_PUBLIC_URL'] ?? 'http://localhost:8080';
  const simulator = await startNcoSimulator({
    port,
    host: process.env['SANDBOX_NORCE_HOST'] ?? '127.0.0.1',
    apiToken: 'sandbox-token',
    configurations: sandboxConfigurations(qliroUrl, publicUrl),
  });
  process.stdout.write(
    `NCO simulator listening on ${simulator.url} (Order API ${simulator.url}/api/v0/checkout/orders, ` +
      `Configuration API ${simulator.url}/api/v1/configuration; token sandbox-token; merchant ${SANDBOX_MERCHANT}, ` +
      `channels se, no, fi, dk)\n`,
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
  process.stderr.write(`NCO simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
