// Failure injection: the next matching Merchant or Admin API call answers a chosen status/body, only after a delay, or
// not at all (the connection is reset).
import type { SimulatedOperation } from './store';

export interface QliroFault {
  readonly op: SimulatedOperation;
  /** Answer with this status instead of handling the call; without it the call is handled normally (after delayMs). */
  readonly status?: number;
  /** Body of that answer: an object is sent as JSON, a string as is; default: a Qliro error body for 4xx/5xx. */
  readonly body?: unknown;
  /** Wait this long before answering (to make a client time out). */
  readonly delayMs?: number;
  /**
   * Destroy the connection instead of answering (after delayMs, if given): the client sees a connection reset and
   * the call is not handled.
   */
  readonly reset?: boolean;
  /** How many consecutive matching calls the fault applies to (default 1). */
  readonly times?: number;
}

export const SIMULATED_OPERATIONS: readonly SimulatedOperation[] = [
  'createOrder',
  'getOrder',
  'updateOrder',
  'adminGetOrder',
  'getPaymentTransaction',
  'markItemsAsShipped',
  'returnItems',
  'cancelOrder',
];

export class FaultQueue {
  private readonly pending: { fault: QliroFault; remaining: number }[] = [];

  add(fault: QliroFault): void {
    this.pending.push({ fault, remaining: Math.max(1, Math.floor(fault.times ?? 1)) });
  }

  /** The first pending fault for `op`, consumed once. */
  take(op: SimulatedOperation): QliroFault | undefined {
    const index = this.pending.findIndex((p) => p.fault.op === op);
    if (index < 0) return undefined;
    const entry = this.pending[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.pending.length = 0;
  }
}

/** Qliro-shaped default bodies for injected failures. */
export function defaultFaultBody(status: number): { ErrorCode: string; ErrorMessage: string } | undefined {
  if (status === 401 || status < 400) return undefined;
  if (status === 404) return { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' };
  if (status >= 500) return { ErrorCode: 'SYSTEM_ERROR', ErrorMessage: 'An unexpected error occurred (simulated)' };
  return { ErrorCode: 'INVALID_REQUEST', ErrorMessage: 'Evaluation, simulated failure' };
}
