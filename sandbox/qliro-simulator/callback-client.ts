// How the simulated Qliro reaches the merchant's callback URLs (validation, pushes): a real HTTP POST of JSON,
// keep-alive agents, a timeout per call. Unauthenticated, as Qliro's callbacks are (reference §1.3).
import http from 'node:http';
import https from 'node:https';
import fetch from 'node-fetch';

/** The merchant answered (any status), did not answer in time, or could not be reached. */
export type CallbackAnswer =
  | { readonly kind: 'answered'; readonly status: number; readonly text: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'unreachable'; readonly message: string };

export type CallbackPoster = (url: string, body: unknown, timeoutMs: number) => Promise<CallbackAnswer>;

export interface CallbackClient {
  readonly post: CallbackPoster;
  /** Aborts the calls still running and closes the kept-alive sockets. */
  destroy(): void;
}

export function createCallbackClient(): CallbackClient {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const running = new Set<AbortController>();
  let destroyed = false;
  const post: CallbackPoster = async (url, body, timeoutMs) => {
    if (destroyed) return { kind: 'unreachable', message: 'the simulator is closed' };
    const controller = new AbortController();
    running.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(body),
        agent: (u) => (u.protocol === 'https:' ? agents.https : agents.http),
        signal: controller.signal,
      });
      // Read within the same timeout: an answer that stalls after its headers is no answer.
      const text = await response.text();
      return { kind: 'answered', status: response.status, text };
    } catch (e) {
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'unreachable', message: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
      running.delete(controller);
    }
  };
  return {
    post,
    destroy: () => {
      destroyed = true;
      for (const controller of running) controller.abort();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
