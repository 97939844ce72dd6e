// NCO's hooks (reference norce-checkout.md §2.7): before a change to one part of an order is stored, every hook
// subscribed to that part is POSTed the proposed order, one after the other. 2xx + JSON Patch approves and
// patches the proposal; anything else (non-2xx, timeout, unreachable, a patch that does not apply) denies the
// change and nothing is stored. Hooks of the adapter named by the write's x-adapterid are not called.
import { left, right } from 'fp-ts/Either';
import { applyPatch, parsePatch, type PatchOperation } from './json-patch';
import type { HookInvoker } from './hook-client';
import type { CommitContext, JsonObject, NcoError, NcoResult, SimOrder } from './store';

/** One hook call, kept on the store (`NcoStore.hookCalls`) for tests. */
export interface HookCall {
  readonly orderId: string;
  readonly subject: string;
  readonly hookId: string | undefined;
  readonly adapterId: string | undefined;
  /** The URL called ({order_id} filled in). */
  readonly invoke: string;
  /** The HTTP status of the answer, or why there was none. */
  readonly status: number | 'timeout' | 'unreachable';
  readonly outcome: 'approved' | 'denied';
  /** The operations applied (approved calls only). */
  readonly patch: readonly PatchOperation[];
  readonly durationMs: number;
  readonly at: string;
}

export interface OrderHookSettings {
  readonly invoke: HookInvoker;
  /**
   * Sent as `Authorization: Bearer <token>`. Norce does not document what NCO sends to hooks; adapters
   * (this one included) protect their hook endpoints with a Bearer token, so the simulator sends one.
   */
  readonly token: string;
  /** Per hook call (NCO's own limit is not documented; hooks "must be fast"). */
  readonly timeoutMs: number;
  /**
   * Which hooks are called: 'registered' (default) = those added through POST …/hooks, i.e. by adapters running
   * against the simulator; hooks that arrived inside an order body (fixtures copied from a real NCO, pointing at
   * Norce's hosted adapters) stay on the order as data. 'all' = every hook, as NCO does.
   */
  readonly which?: 'registered' | 'all';
}

export interface HooksApproved {
  readonly order: SimOrder;
  /** Paths the hooks patched (the store re-totals when a patch touched /cart or /shippings). */
  readonly patchedPaths: readonly string[];
}

/** The parts of an order hooks can subscribe to, in NCO's documented handling order. */
export const HOOK_SUBJECTS = ['/state', '/consents', '/customer', '/cart', '/shippings', '/payments', '/reference'] as const;

const rank = (target: unknown): number => {
  const i = typeof target === 'string' ? (HOOK_SUBJECTS as readonly string[]).indexOf(target) : -1;
  return i < 0 ? HOOK_SUBJECTS.length : i;
};

/**
 * The hooks a change to `context.subject` calls: subscribed to exactly that path (v0), not owned by the writer.
 * Order: hooks with a `target` first (by target, in NCO's subject order), then the rest; registration order within.
 */
export function hooksFor(order: SimOrder, context: CommitContext, eligible: (hook: JsonObject) => boolean = () => true): JsonObject[] {
  return order.hooks
    .filter((h) => h['subscribeTo'] === context.subject && typeof h['invoke'] === 'string' && eligible(h))
    .filter((h) => context.adapterId === undefined || h['adapterId'] !== context.adapterId)
    .map((h, i) => ({ h, i, r: h['target'] === undefined || h['target'] === null ? HOOK_SUBJECTS.length + 1 : rank(h['target']) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ h }) => h);
}

const invokeUrl = (template: string, orderId: string): string =>
  template.replace(/\{order_id\}/g, encodeURIComponent(orderId)).replace(/\{order\.id\}/g, encodeURIComponent(orderId));

const parseBody = (text: string): unknown => {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const denied = (message: string, hookResponse: unknown): NcoError => ({ status: 400, code: 'order-hook-failed', message, hookResponse });

/**
 * Calls the hooks of a change on the proposed order. Each hook sees the proposal as patched by the hooks
 * before it. Patches do not trigger further hooks (NCO's docs say they can; the simulator keeps one round).
 */
export async function runOrderHooks(
  proposed: SimOrder,
  context: CommitContext,
  settings: OrderHookSettings,
  record: (call: HookCall) => void,
  eligible?: (hook: JsonObject) => boolean,
): Promise<NcoResult<HooksApproved>> {
  let order = proposed;
  const patchedPaths: string[] = [];
  for (const hook of hooksFor(proposed, context, eligible)) {
    const adapterId = typeof hook['adapterId'] === 'string' ? hook['adapterId'] : undefined;
    const url = invokeUrl(hook['invoke'] as string, context.orderId);
    const started = Date.now();
    const answer = await settings.invoke({
      url,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-merchant': order.merchant ?? context.scope.merchant,
        'x-channel': order.channel ?? context.scope.channel,
        authorization: `Bearer ${settings.token}`,
      },
      body: JSON.stringify(order),
      timeoutMs: settings.timeoutMs,
    });
    const base = {
      orderId: context.orderId,
      subject: context.subject,
      hookId: typeof hook['id'] === 'string' ? hook['id'] : undefined,
      adapterId,
      invoke: url,
      durationMs: Date.now() - started,
      at: new Date().toISOString(),
    };
    const who = `The ${context.subject} hook of ${adapterId ?? 'an unnamed adapter'}`;
    if (answer.kind !== 'answered') {
      record({ ...base, status: answer.kind, outcome: 'denied', patch: [] });
      const why = answer.kind === 'timeout' ? `did not answer within ${settings.timeoutMs} ms` : `could not be reached (${answer.message})`;
      return left(denied(`${who} ${why}; the change was not made.`, null));
    }
    const body = parseBody(answer.text);
    if (answer.status < 200 || answer.status > 299) {
      record({ ...base, status: answer.status, outcome: 'denied', patch: [] });
      return left(denied(`${who} answered HTTP ${answer.status}; the change was not made.`, body));
    }
    // An empty 2xx approves without changes; any other body must be a JSON Patch that applies.
    const unusable = (reason: string) => {
      record({ ...base, status: answer.status, outcome: 'denied', patch: [] });
      return left(denied(`${who} answered HTTP ${answer.status} with a patch that cannot be applied: ${reason}; the change was not made.`, body));
    };
    const parsed = body === null ? { ok: true as const, value: [] } : parsePatch(body);
    if (!parsed.ok) return unusable(parsed.reason);
    const patched = applyPatch(order, parsed.value);
    if (!patched.ok) return unusable(patched.reason);
    record({ ...base, status: answer.status, outcome: 'approved', patch: parsed.value });
    order = patched.value;
    patchedPaths.push(...parsed.value.map((op) => op.path));
  }
  return right({ order, patchedPaths });
}
