import { describeQliroGatewayContract } from './qliro-gateway.contract';
import { FakeQliroGateway } from '../fakes/fake-qliro-gateway';
import { HttpQliroGateway } from '../../src/adapters/qliro/http-qliro-gateway';
import { KeepAliveAgents } from '../../src/adapters/outbound/http-call';
import { startQliroSimulator } from '../../sandbox/qliro-simulator';

const MERCHANT = { apiKey: 'CONTRACTKEY', secret: 'contract-secret' };

describeQliroGatewayContract('FakeQliroGateway', async () => {
  const gateway = new FakeQliroGateway();
  return {
    gateway,
    credentials: { apiUrl: 'http://fake.invalid', merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret },
    controls: {
      setStatus: (orderId, status) => gateway.setStatus(orderId, status),
      expire: (orderId) => gateway.expire(orderId),
    },
    teardown: async () => undefined,
  };
});

describeQliroGatewayContract('HttpQliroGateway against the Qliro simulator', async () => {
  const simulator = await startQliroSimulator({ port: 0, merchants: [MERCHANT] });
  const agents = new KeepAliveAgents();
  return {
    gateway: new HttpQliroGateway({ agents, timeoutMs: 5000 }),
    credentials: { apiUrl: simulator.url, merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret },
    controls: {
      setStatus: (orderId, status) => void simulator.setStatus(orderId, status),
      expire: (orderId) => void simulator.expireOrder(orderId),
    },
    teardown: async () => {
      agents.destroy();
      await simulator.close();
    },
  };
});
