// HttpConfigurationRepository beyond the shared contract: path, auth, transient failures, the cache.
import { expect } from 'chai';
import { HttpConfigurationRepository } from '../../../src/adapters/norce/http-configuration-repository';
import { KeepAliveAgents } from '../../../src/adapters/outbound/http-call';
import type { ChannelRef } from '../../../src/domain/channel-configuration';
import { startNcoSimulator, type RunningNcoSimulator } from '../../../sandbox/nco-simulator';
import { leftOf, right } from '../../contract/norce-order-repository.contract';
import { readNorceFixture } from './norce-fixtures';

const TOKEN = 'config-test-token';
const REF: ChannelRef = { merchant: 'norce-open-demo', channel: 'nc-qliro-se' };
const PATH = '/api/v1/configuration/merchants/norce-open-demo/channels/nc-qliro-se/configurations/qliro_checkout_adapter';

describe('HttpConfigurationRepository', () => {
  let simulator: RunningNcoSimulator;
  let agents: KeepAliveAgents;
  let clock: number;

  const repository = (options: Partial<ConstructorParameters<typeof HttpConfigurationRepository>[0]> = {}) =>
    new HttpConfigurationRepository({
      baseUrl: `${simulator.url}/`,
      apiToken: TOKEN,
      agents,
      timeoutMs: 5000,
      retryDelayMs: 0,
      now: () => clock,
      ...options,
    });
  const fetches = () => simulator.store.requests.filter((r) => r.path === PATH).length;
  const fixture = () => readNorceFixture('config/qliro_checkout_adapter.json') as Record<string, unknown>;

  before(async () => {
    simulator = await startNcoSimulator({ port: 0, apiToken: TOKEN });
    agents = new KeepAliveAgents();
  });
  after(async () => {
    agents.destroy();
    await simulator.close();
  });
  beforeEach(() => {
    clock = 1_000_000;
    simulator.store.reset();
    simulator.store.putConfiguration(REF.merchant, REF.channel, 'qliro_checkout_adapter', fixture());
  });
  afterEach(() => {
    expect(simulator.clearFaults(), 'scripted faults left unused').to.equal(0);
  });

  it('reads {baseUrl}/api/v1/configuration/merchants/{m}/channels/{c}/configurations/qliro_checkout_adapter', async () => {
    const config = right(await repository({ cacheTtlMs: 0 }).get(REF)());
    expect(config.merchantApiKey).to.equal('TESTMERCHANTKEY');
    expect(simulator.store.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).to.deep.equal([`GET ${PATH} 200`]);
  });

  it('a wrong token → configuration-error, not transient', async () => {
    const error = leftOf(await repository({ apiToken: 'wrong' }).get(REF)());
    expect(error.code).to.equal('configuration-error');
    expect(error.message).to.contain("refused the adapter's API token (HTTP 401)");
    expect(error.transient).to.not.equal(true);
    expect(fetches()).to.equal(1);
  });

  it('5xx → retried once, then configuration-error, transient', async () => {
    simulator.failNext({ path: PATH, status: 503 });
    expect(right(await repository().get(REF)()).id).to.equal('qliro_checkout_adapter');
    expect(fetches()).to.equal(2);

    simulator.failNext({ path: PATH, status: 500, times: 2 });
    const error = leftOf(await repository().get(REF)());
    expect(error).to.include({ code: 'configuration-error', transient: true });
    expect(error.message).to.equal(
      'Could not read the qliro_checkout_adapter configuration of merchant norce-open-demo channel nc-qliro-se: the Configuration API answered HTTP 500',
    );
  });

  it('a timeout or a non-JSON body → configuration-error, transient', async () => {
    simulator.failNext({ path: PATH, hang: true, times: 2 });
    const timeout = leftOf(await repository({ timeoutMs: 100 }).get(REF)());
    expect(timeout).to.include({ code: 'configuration-error', transient: true });
    expect(timeout.message).to.contain('did not answer');

    simulator.failNext({ path: PATH, status: 200, body: '<html>', times: 2 });
    expect(leftOf(await repository().get(REF)())).to.include({ code: 'configuration-error', transient: true });
  });

  describe('cache', () => {
    it('reuses a valid configuration within the TTL, then fetches again', async () => {
      const repo = repository({ cacheTtlMs: 30_000 });
      right(await repo.get(REF)());
      clock += 29_999;
      right(await repo.get(REF)());
      expect(fetches()).to.equal(1);
      clock += 1;
      right(await repo.get(REF)());
      expect(fetches()).to.equal(2);
    });

    it('defaults to a TTL (30 s) and keys by merchant and channel', async () => {
      simulator.store.putConfiguration(REF.merchant, 'nc-qliro-no', 'qliro_checkout_adapter', { ...fixture(), apiUrl: 'https://no.example' });
      const repo = repository();
      right(await repo.get(REF)());
      right(await repo.get(REF)());
      expect(fetches()).to.equal(1);
      expect(right(await repo.get({ ...REF, channel: 'nc-qliro-no' })()).apiUrl).to.equal('https://no.example');
    });

    it('shares one fetch between concurrent gets', async () => {
      const repo = repository();
      const results = await Promise.all([repo.get(REF)(), repo.get(REF)(), repo.get(REF)()]);
      results.forEach((r) => right(r));
      expect(fetches()).to.equal(1);
    });

    it('0 disables it', async () => {
      const repo = repository({ cacheTtlMs: 0 });
      right(await repo.get(REF)());
      right(await repo.get(REF)());
      expect(fetches()).to.equal(2);
    });

    it('does not keep errors: a fixed document is used on the next get', async () => {
      const repo = repository({ cacheTtlMs: 30_000 });
      simulator.store.putConfiguration(REF.merchant, REF.channel, 'qliro_checkout_adapter', { ...fixture(), apiUrl: 'nope' });
      expect(leftOf(await repo.get(REF)()).message).to.contain('configuration field apiUrl: must be an absolute http(s) URL');
      simulator.store.putConfiguration(REF.merchant, REF.channel, 'qliro_checkout_adapter', fixture());
      expect(right(await repo.get(REF)()).apiUrl).to.equal('https://pago.qit.nu');
    });

    it('clearCache forgets a channel', async () => {
      const repo = repository();
      right(await repo.get(REF)());
      repo.clearCache(REF);
      right(await repo.get(REF)());
      expect(fetches()).to.equal(2);
    });
  });
});
