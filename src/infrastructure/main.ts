// Process entry point: production when upstreams are configured, the sandbox otherwise.
import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { isSandbox, loadConfig } from './config';
import { startAdapter } from './server';

async function main(): Promise<void> {
  const env = process.env;
  let stop: () => Promise<void>;
  if (isSandbox(env)) {
    const { startSandbox } = await import('./sandbox');
    const sandbox = await startSandbox(env);
    console.log(
      [
        `Sandbox running:`,
        `  adapter        ${sandbox.adapter.url}  (Bearer sandbox-token, x-merchant: sandbox, x-channel: se|no|fi|dk)`,
        `  NCO simulator  ${sandbox.norceUrl}`,
        `  Qliro simulator ${sandbox.qliroUrl}`,
      ].join('\n'),
    );
    stop = sandbox.stop;
  } else {
    const config = loadConfig(env);
    if (E.isLeft(config)) {
      console.error(`configuration error: ${config.left}`);
      process.exit(1);
    }
    const adapter = await startAdapter({ config: config.right });
    stop = () => adapter.stop();
  }
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    void signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((e: unknown) => {
  console.error(`start-up failed: ${(e as Error)?.message ?? String(e)}`);
  process.exit(1);
});
