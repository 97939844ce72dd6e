// The adapter replicas of the chaos run: each started with the production environment (NORCE_*, ADAPTER_API_TOKENS,
// CALLBACK_SIGNING_SECRET, short timeouts) pointing at the one shared pair of simulators. Either child processes
// (`node -r ts-node/register/transpile-only src/infrastructure/main.ts`, as `npm start` runs it) or, for the quick
// test, in this process through the same configuration decoder (`loadConfig`) and `startAdapter`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as E from 'fp-ts/Either';
import fetch from 'node-fetch';
import { loadConfig } from '../src/infrastructure/config';
import { startAdapter, type RunningAdapter } from '../src/infrastructure/server';
import { createLogger } from '../src/infrastructure/logger';

export const HOST = '127.0.0.1';
const ROOT = path.resolve(__dirname, '..');

export interface Replica {
  readonly index: number;
  readonly url: string;
  /** Still serving (a child that exited is not). */
  alive(): boolean;
  /** How it ended, when it did (child processes). */
  exitInfo(): string | undefined;
  /** Error-level log lines (in-process) or the path of the log file (child process). */
  readonly logHint: () => string;
  stop(): Promise<void>;
}

export type ReplicaMode = 'process' | 'in-process';

/** A free loopback port (the production configuration wants a real one, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Children still running are killed if the runner dies, so no adapter outlives it. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

async function waitReady(url: string, isDead: () => string | undefined, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead) throw new Error(`adapter at ${url} exited during start-up (${dead})`);
    try {
      const answer = await fetch(`${url}/health/ready`, { timeout: 1000 });
      if (answer.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`adapter at ${url} not ready within ${maxMs} ms`);
}

export interface ReplicaSettings {
  readonly mode: ReplicaMode;
  /** The production environment of every replica (PORT and HOST are added per replica). */
  readonly env: Readonly<Record<string, string>>;
  /** Where child processes write their log (one file each). */
  readonly logDir: string;
}

export async function startReplica(index: number, settings: ReplicaSettings): Promise<Replica> {
  const port = await freePort();
  const env = { ...settings.env, PORT: String(port), HOST: HOST };
  const url = `http://${HOST}:${port}`;
  if (settings.mode === 'in-process') {
    const config = loadConfig(env);
    if (E.isLeft(config)) throw new Error(`configuration error: ${config.left}`);
    const errors: string[] = [];
    const destination = { write: (line: string) => void (errors.length < 50 && errors.push(line.trim())) };
    const adapter: RunningAdapter = await startAdapter({ config: config.right, logger: createLogger('error', destination) });
    let stopped = false;
    return {
      index,
      url: adapter.url,
      alive: () => !stopped,
      exitInfo: () => undefined,
      logHint: () => (errors.length === 0 ? 'no error lines logged' : errors.join('\n')),
      stop: async () => {
        stopped = true;
        await adapter.stop(2000);
      },
    };
  }
  fs.mkdirSync(settings.logDir, { recursive: true });
  const logPath = path.join(settings.logDir, `adapter-${index}.log`);
  const log = fs.openSync(logPath, 'a');
  // Only what a production process gets: PATH/HOME for node itself, and the adapter's variables.
  const baseEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name] !== undefined) baseEnv[name] = process.env[name]!;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'infrastructure', 'main.ts')], {
    cwd: ROOT,
    env: { ...baseEnv, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  live.add(child);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    live.delete(child);
    exit = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  await waitReady(url, () => exit, 60_000);
  return {
    index,
    url,
    alive: () => exit === undefined,
    exitInfo: () => exit,
    logHint: () => logPath,
    stop: async () => {
      if (exit !== undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
