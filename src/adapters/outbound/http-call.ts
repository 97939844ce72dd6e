// One outbound HTTP call: keep-alive agent, hard timeout, raw text back. Shared by the Norce and Qliro clients.
import http from 'node:http';
import https from 'node:https';
import fetch, { FetchError } from 'node-fetch';

export interface HttpCallRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Record<string, string>;
  /** Sent byte for byte (signatures are computed over it). */
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpCallResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Record<string, string>;
}

/** Why a call produced no HTTP response at all. */
export type HttpCallFailure =
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'network'; readonly message: string };

export class HttpCallError extends Error {
  constructor(readonly failure: HttpCallFailure) {
    super(failure.message);
  }
}

/** One keep-alive agent pair per upstream, so sockets are reused across requests. */
export class KeepAliveAgents {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

  for(url: URL): http.Agent {
    return url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

export async function httpCall(agents: KeepAliveAgents, request: HttpCallRequest): Promise<HttpCallResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      agent: (parsed: URL) => agents.for(parsed),
      signal: controller.signal as never,
      redirect: 'manual',
      compress: true,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, text, headers };
  } catch (e) {
    if (controller.signal.aborted || (e as { name?: string }).name === 'AbortError') {
      throw new HttpCallError({ kind: 'timeout', message: `no answer within ${request.timeoutMs} ms` });
    }
    const message = e instanceof FetchError ? `${e.code ?? 'network error'}` : 'network error';
    throw new HttpCallError({ kind: 'network', message });
  } finally {
    clearTimeout(timer);
  }
}

/** Parse a JSON body; undefined when empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
