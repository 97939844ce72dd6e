// How the simulated NCO reaches a hook: a real HTTP POST (node-fetch, keep-alive agents) with a timeout.
// The simulator is not the adapter, so it has its own small client instead of the adapter's outbound code.
import http from 'node:http';
import https from 'node:https';
import fetch from 'node-fetch';

export interface HookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The hook answered (any status), did not answer in time, or could not be reached. */
export type HookAnswer =
  | { readonly kind: 'answered'; readonly status: number; readonly text: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'unreachable'; readonly message: string };

export type HookInvoker = (request: HookRequest) => Promise<HookAnswer>;

export interface HttpHookInvoker {
  readonly invoke: HookInvoker;
  /** Closes the kept-alive sockets (and with them any call still running). */
  destroy(): void;
}

export function createHttpHookInvoker(): HttpHookInvoker {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const invoke: HookInvoker = async (request) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        agent: (url) => (url.protocol === 'https:' ? agents.https : agents.http),
        signal: controller.signal,
      });
      // The body is read within the same timeout: a hook that sends headers and then stalls still times out.
      const text = await response.text();
      return { kind: 'answered', status: response.status, text };
    } catch (e) {
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'unreachable', message: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    invoke,
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
