// Graceful shutdown: readiness fails at once, the request in flight is answered, keep-alive sockets close,
// stop() resolves; and the real process exits 0 on SIGTERM, or 1 with one line on a bad configuration.
import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { loadFixture } from '../support/fixtures';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from '../e2e/sandbox-client';

const ROOT = path.resolve(__dirname, '..', '..');

/** Polls until `check` holds (every 20 ms, at most `withinMs`): waits for an event, never for a guessed time. */
async function until(check: () => boolean | Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A GET over a given agent: status, body and the Connection header. */
function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
      .on('error', reject);
  });
}

describe('operations: graceful shutdown', function () {
  this.timeout(30000);

  describe('stop() of a running adapter', () => {
    let sandbox: RunningSandbox;
    beforeEach(async () => {
      sandbox = await startTestSandbox();
    });
    afterEach(async () => {
      await sandbox.stop();
    });

    it('answers the request in flight, refuses new work meanwhile, closes keep-alive sockets and resolves', async () => {
      const orderId = await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'));
      const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
      expect(created.status).to.equal(200);

      // A keep-alive client with an idle socket to the adapter: it must not hold the shutdown open.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      const idle = await get(`${sandbox.adapter.url}/health/ready`, agent);
      expect(idle.status).to.equal(200);

      // Qliro answers the next GetOrder slowly: the GET payment below is in flight when stop() starts.
      sandbox.qliro.failNext({ op: 'getOrder', delayMs: 1200 });
      const pending = sandbox.qliro.store.requests.length;
      const inFlight = get(`${paymentsUrl(sandbox, orderId)}/${created.body.paymentId}`, agent, norceHeaders());
      await until(() => sandbox.qliro.store.requests.slice(pending).some((r) => r.op === 'getOrder' && r.status === undefined), 5000, 'the slow GetOrder');

      const started = Date.now();
      let stopped = false;
      const stopping = sandbox.adapter.stop(10_000).then(() => (stopped = true));

      // Readiness: a 503 on a connection that was already open, else a refused connection; never a 200.
      const ready = await get(`${sandbox.adapter.url}/health/ready`, new http.Agent({ keepAlive: false })).then(
        (r) => String(r.status),
        (e: NodeJS.ErrnoException) => e.code ?? 'error',
      );
      expect(ready).to.be.oneOf(['503', 'ECONNREFUSED', 'ECONNRESET']);
      expect(stopped, 'stop waits for the request in flight').to.equal(false);

      const answer = await inFlight;
      expect(answer.status).to.equal(200);
      expect(JSON.parse(answer.body).paymentId).to.equal(created.body.paymentId);
      expect(answer.connection, 'the answer closes its keep-alive connection').to.equal('close');

      await stopping;
      // Well inside the 10 s grace and the 65 s keep-alive timeout: nothing was left to wait for.
      expect(Date.now() - started).to.be.below(5000);
      agent.destroy();
    });

    it('resolves at once with only idle keep-alive sockets open', async () => {
      const agent = new http.Agent({ keepAlive: true });
      await get(`${sandbox.adapter.url}/health/live`, agent);
      await get(`${sandbox.adapter.url}/health/live`, agent);
      const started = Date.now();
      await sandbox.adapter.stop(10_000);
      expect(Date.now() - started).to.be.below(2000);
      agent.destroy();
    });
  });

  describe('the process (node src/infrastructure/main.ts)', () => {
    const UPSTREAM_VARS = ['NORCE_ORDER_API_URL', 'NORCE_CONFIGURATION_API_URL', 'ADAPTER_CONFIG_FILE', 'NORCE_API_TOKEN', 'ADAPTER_API_TOKENS', 'CALLBACK_SIGNING_SECRET'];
    const baseEnv = (): NodeJS.ProcessEnv => {
      const env = { ...process.env };
      for (const name of [...UPSTREAM_VARS, 'PORT', 'HOST', 'LOG_LEVEL', 'SANDBOX_PUBLIC_URL']) delete env[name];
      return env;
    };
    const start = (env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams =>
      spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/infrastructure/main.ts'], { cwd: ROOT, env });
    const exitOf = (child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
      new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

    let child: ChildProcessWithoutNullStreams | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child = undefined;
    });

    it('exits 0 on SIGTERM after answering the request in flight', async () => {
      child = start({ ...baseEnv(), PORT: '0', SANDBOX_NORCE_PORT: '0', SANDBOX_QLIRO_PORT: '0', LOG_LEVEL: 'warn' });
      const exited = exitOf(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      await until(() => /Qliro simulator\s+http:\S+/.test(stdout) || child!.exitCode !== null, 20000, `the sandbox banner (stderr: ${stderr})`);
      const adapterUrl = /adapter\s+(http:\/\/\S+)/.exec(stdout)![1]!;
      const ncoUrl = /NCO simulator\s+(http:\/\/\S+)/.exec(stdout)![1]!;
      const qliroUrl = /Qliro simulator\s+(http:\/\/\S+)/.exec(stdout)![1]!;

      const order = await call(`${ncoUrl}/api/v0/checkout/orders`, { method: 'POST', headers: norceHeaders(), body: loadFixture('norce', 'order-api', 'create-order.request.json') });
      expect(order.status).to.equal(201);
      const created = await call(`${adapterUrl}/api/checkout/v1/orders/${order.body.id}/payments`, { method: 'POST', headers: norceHeaders() });
      expect(created.status).to.equal(200);

      const fault = await call(`${qliroUrl}/sandbox/fail-next`, { method: 'POST', body: { op: 'getOrder', delayMs: 1200 } });
      expect(fault.status).to.equal(204);
      const before = ((await call(`${qliroUrl}/sandbox/requests`)).body as unknown[]).length;
      const inFlight = call(`${adapterUrl}/api/checkout/v1/orders/${order.body.id}/payments/${created.body.paymentId}`, { headers: norceHeaders() });
      await until(
        async () => ((await call(`${qliroUrl}/sandbox/requests`)).body as { op: string; status?: number }[]).slice(before).some((r) => r.op === 'getOrder' && r.status === undefined),
        5000,
        'the slow GetOrder',
      );

      const signalled = Date.now();
      child.kill('SIGTERM');
      const answer = await inFlight;
      expect(answer.status).to.equal(200);
      expect(answer.body.paymentId).to.equal(created.body.paymentId);
      const { code, signal } = await exited;
      expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
      expect(Date.now() - signalled, 'within the shutdown bound').to.be.below(15000);
    });

    it('exits 1 with one line naming the variable when the configuration is malformed', async () => {
      child = start({
        ...baseEnv(),
        NORCE_ORDER_API_URL: 'http://127.0.0.1:9/checkout/order',
        NORCE_CONFIGURATION_API_URL: 'http://127.0.0.1:9/checkout/configuration',
        NORCE_API_TOKEN: 'norce-api-token',
        ADAPTER_API_TOKENS: 'adapter-token-1',
        CALLBACK_SIGNING_SECRET: 'short',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const { code } = await exitOf(child);
      expect(code).to.equal(1);
      const lines = stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/CALLBACK_SIGNING_SECRET is malformed/);
      expect(stderr).to.not.contain('short\n');
      expect(stdout).to.equal('');
    });
  });
});
