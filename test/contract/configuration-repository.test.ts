// The ConfigurationRepository contract against the fake, the HTTP adapter + NCO simulator, and the file adapter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpConfigurationRepository } from '../../src/adapters/norce/http-configuration-repository';
import { FileConfigurationRepository } from '../../src/adapters/norce/file-configuration-repository';
import { KeepAliveAgents } from '../../src/adapters/outbound/http-call';
import { startNcoSimulator } from '../../sandbox/nco-simulator';
import { FakeConfigurationRepository } from '../fakes/fake-configuration-repository';
import { describeConfigurationRepositoryContract } from './configuration-repository.contract';

describeConfigurationRepositoryContract('FakeConfigurationRepository', async (documents) => ({
  repository: new FakeConfigurationRepository(documents),
}));

describeConfigurationRepositoryContract('HttpConfigurationRepository + NCO simulator', async (documents) => {
  const configurations = Object.fromEntries(
    Object.entries(documents).map(([merchant, channels]) => [
      merchant,
      Object.fromEntries(Object.entries(channels).map(([channel, doc]) => [channel, { qliro_checkout_adapter: doc }])),
    ]),
  );
  const simulator = await startNcoSimulator({ port: 0, apiToken: 'config-token', configurations });
  const agents = new KeepAliveAgents();
  return {
    repository: new HttpConfigurationRepository({ baseUrl: simulator.url, apiToken: 'config-token', agents, timeoutMs: 5000 }),
    close: async () => {
      agents.destroy();
      await simulator.close();
    },
  };
});

describeConfigurationRepositoryContract('FileConfigurationRepository', async (documents) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qliro-adapter-config-'));
  const file = path.join(dir, 'channels.json');
  fs.writeFileSync(file, JSON.stringify(documents));
  return {
    repository: new FileConfigurationRepository(file),
    close: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
