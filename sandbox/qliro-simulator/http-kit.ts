// What the simulator's Merchant API and Admin API routes share: the raw body (signatures are over its bytes), Qliro's
// error answers, request logging with injected faults, and the two ways Qliro identifies the merchant.
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { RouterContext } from '@koa/router';
import { defaultFaultBody, type FaultQueue } from './faults';
import type { MerchantDirectory, SimulatedMerchant } from './signature';
import type { QliroSimulatorStore, SimulatedOperation, SimulatedRequest } from './store';

const MAX_BODY_BYTES = 1024 * 1024;

export interface State {
  rawBody: Buffer;
}
export type Ctx = Koa.ParameterizedContext<State> & Partial<Pick<RouterContext<State>, 'params'>>;

/** What the route helpers need of the simulator. */
export interface KitContext {
  readonly store: QliroSimulatorStore;
  readonly merchants: MerchantDirectory;
  readonly faults: FaultQueue;
  /** A delay that close() cuts short. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Reads the body byte for byte: the signature is over exactly these bytes, so nothing may re-serialise it. */
export async function readRawBody(ctx: Ctx, next: Koa.Next): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      ctx.status = 413;
      ctx.body = '';
      return;
    }
    chunks.push(buffer);
  }
  ctx.state.rawBody = Buffer.concat(chunks);
  await next();
}

export const sendJson = (ctx: Ctx, status: number, body: unknown): void => {
  ctx.status = status;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body);
};

export const sendEmpty = (ctx: Ctx, status: number): void => {
  ctx.status = status;
  ctx.body = '';
};

export const sendQliroError = (ctx: Ctx, status: number, error: { ErrorCode: string; ErrorMessage: string }): void =>
  sendJson(ctx, status, { ErrorCode: error.ErrorCode, ErrorMessage: error.ErrorMessage, ErrorReference: randomUUID() });

export const parseJsonBody = (raw: Buffer): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
};

/** The MerchantApiKey of a body, whatever the casing of the property name. */
export const apiKeyOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const entry = Object.entries(body).find(([k]) => k.toLowerCase() === 'merchantapikey');
  return typeof entry?.[1] === 'string' && entry[1] !== '' ? entry[1] : undefined;
};

export const parseOrderId = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : undefined;

/** Logs the request, applies an injected fault if one is pending (status, delay, reset), then runs the real handler. */
export const operation =
  (sim: KitContext, op: SimulatedOperation, handler: (ctx: Ctx, request: SimulatedRequest) => Promise<void> | void) =>
  async (ctx: Ctx): Promise<void> => {
    const request: SimulatedRequest = {
      op,
      method: ctx.method,
      path: ctx.url,
      authorization: ctx.get('authorization') || undefined,
      rawBody: ctx.state.rawBody.toString('utf8'),
      receivedAt: sim.store.now().toISOString(),
    };
    sim.store.log(request);
    const fault = sim.faults.take(op);
    if (fault?.delayMs) await sim.sleep(fault.delayMs);
    if (fault?.reset) {
      // No answer at all: the socket is destroyed and Koa told not to respond.
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const body = fault.body === undefined ? defaultFaultBody(fault.status) : fault.body;
      if (body === undefined) sendEmpty(ctx, fault.status);
      else if (typeof body === 'string') {
        ctx.status = fault.status;
        ctx.type = 'application/json; charset=utf-8';
        ctx.body = body;
      } else if (typeof body === 'object' && body !== null && 'ErrorCode' in body && !('ErrorReference' in body)) {
        sendQliroError(ctx, fault.status, body as { ErrorCode: string; ErrorMessage: string });
      } else sendJson(ctx, fault.status, body);
    } else {
      await handler(ctx, request);
    }
    request.status = ctx.status;
  };

/** POST/PUT: MerchantApiKey in the body names the merchant; the token must sign the raw body. 401 empty otherwise. */
export const authenticateBody = (sim: KitContext, ctx: Ctx): { merchant: SimulatedMerchant; body: unknown } | undefined => {
  const parsed = parseJsonBody(ctx.state.rawBody);
  if (!parsed.ok) {
    sendQliroError(ctx, 400, { ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Property: request, Message: The request body is not valid JSON.' });
    return undefined;
  }
  const apiKey = apiKeyOf(parsed.value);
  if (apiKey === undefined) {
    sendQliroError(ctx, 400, {
      ErrorCode: 'INVALID_INPUT',
      ErrorMessage: 'Property: MerchantApiKey, Message: The MerchantApiKey field is required.',
    });
    return undefined;
  }
  const merchant = sim.merchants.forSignedBody(apiKey, ctx.state.rawBody, ctx.get('authorization') || undefined);
  if (!merchant) {
    sendEmpty(ctx, 401);
    return undefined;
  }
  return { merchant, body: parsed.value };
};

/** GET: the token (sha256 of the secret) identifies the merchant. */
export const authenticateGet = (sim: KitContext, ctx: Ctx): SimulatedMerchant | undefined => {
  const merchant = sim.merchants.forGet(ctx.get('authorization') || undefined);
  if (!merchant) sendEmpty(ctx, 401);
  return merchant;
};
