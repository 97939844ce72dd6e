// The NorceOrderRepository contract, run against the in-memory fake and against the HTTP adapter
// talking to the NCO simulator over a real socket.
import { isLeft } from 'fp-ts/Either';
import { HttpNorceOrderRepository } from '../../src/adapters/norce/http-norce-order-repository';
import { KeepAliveAgents, httpCall } from '../../src/adapters/outbound/http-call';
import { startNcoSimulator } from '../../sandbox/nco-simulator';
import { FakeNorceOrderRepository } from '../fakes/fake-norce-order-repository';
import { describeNorceOrderRepositoryContract } from './norce-order-repository.contract';

describeNorceOrderRepositoryContract('FakeNorceOrderRepository', async () => {
  const fake = new FakeNorceOrderRepository();
  return {
    repository: fake,
    createOrder: async (ref, body) => {
      const created = await fake.store.createOrder(ref, body);
      if (isLeft(created)) throw new Error(created.left.message);
      return created.right.id;
    },
    transactions: async (_ref, orderId, paymentId) => fake.transactions(orderId, paymentId) as unknown as Record<string, unknown>[],
  };
});

describeNorceOrderRepositoryContract('HttpNorceOrderRepository + NCO simulator', async () => {
  const token = 'contract-token';
  const simulator = await startNcoSimulator({ port: 0, apiToken: token });
  const agents = new KeepAliveAgents();
  const repository = new HttpNorceOrderRepository({ baseUrl: simulator.url, apiToken: token, agents, timeoutMs: 5000 });
  const headers = (ref: { merchant: string; channel: string }) => ({
    authorization: `Bearer ${token}`,
    'x-merchant': ref.merchant,
    'x-channel': ref.channel,
    'content-type': 'application/json',
  });
  return {
    repository,
    createOrder: async (ref, body) => {
      const response = await httpCall(agents, {
        url: `${simulator.url}/api/v0/checkout/orders`,
        method: 'POST',
        headers: headers(ref),
        body: JSON.stringify(body),
        timeoutMs: 5000,
      });
      if (response.status !== 201) throw new Error(`seeding failed: HTTP ${response.status} ${response.text}`);
      return (JSON.parse(response.text) as { id: string }).id;
    },
    transactions: async (ref, orderId, paymentId) => {
      const response = await httpCall(agents, {
        url: `${simulator.url}/api/v0/checkout/orders/${orderId}/payments/${paymentId}/transactions`,
        method: 'GET',
        headers: headers(ref),
        timeoutMs: 5000,
      });
      if (response.status !== 200) throw new Error(`reading transactions failed: HTTP ${response.status}`);
      return JSON.parse(response.text) as Record<string, unknown>[];
    },
    close: async () => {
      agents.destroy();
      await simulator.close();
    },
  };
});
