// A tiny HTTP client for the e2e suites: the sandbox, and requests as a storefront or NCO would send them.
import fetch from 'node-fetch';
import { startSandbox, SANDBOX, type RunningSandbox } from '../../src/infrastructure/sandbox';

export interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly headers: Record<string, string>;
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | object } = {},
): Promise<Answer> {
  const body = typeof init.body === 'string' || init.body === undefined ? init.body : JSON.stringify(init.body);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  return { status: response.status, body: parsed, headers };
}

export const norceHeaders = (channel = 'se'): Record<string, string> => ({
  authorization: `Bearer ${SANDBOX.token}`,
  'x-merchant': SANDBOX.merchant,
  'x-channel': channel,
});

/** The sandbox on ephemeral ports, quiet, with a short Qliro timeout so timeout tests stay fast. */
export const startTestSandbox = (tuning: Parameters<typeof startSandbox>[1] = {}): Promise<RunningSandbox> =>
  startSandbox(
    { PORT: '0', SANDBOX_NORCE_PORT: '0', SANDBOX_QLIRO_PORT: '0', LOG_LEVEL: 'silent' },
    { qliroTimeoutMs: 1000, norceTimeoutMs: 1500, validationBudgetMs: 2000, ...tuning },
    // Qliro's push retries (2 s, 5 s, 10 s …) compressed a thousandfold so retried deliveries finish within a test.
    { qliro: { retryDelayScale: 0.001, validationTimeoutMs: 4000 } },
  );

/** POST an Order body to the NCO simulator, as a storefront's platform adapter would. */
export async function createNorceOrder(sandbox: RunningSandbox, order: object, channel = 'se'): Promise<string> {
  const answer = await call(`${sandbox.norceUrl}/api/v0/checkout/orders`, { method: 'POST', headers: norceHeaders(channel), body: order });
  if (answer.status !== 201) throw new Error(`NCO simulator refused the order: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

export const paymentsUrl = (sandbox: RunningSandbox, orderId: string): string =>
  `${sandbox.adapter.url}/api/checkout/v1/orders/${orderId}/payments`;
