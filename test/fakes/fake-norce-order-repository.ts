// In-memory NorceOrderRepository for application tests. It runs on the NCO simulator's store (same
// Order API semantics: ids, totals, merchant isolation, validation) and maps its errors and decodes
// its answers exactly as HttpNorceOrderRepository does, so it cannot drift from the HTTP adapter.
// The shared contract suite (test/contract/norce-order-repository.contract.ts) checks both.
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { Decoder } from 'io-ts';
import type { NorceOrderRepository } from '../../src/application/ports/norce-order-repository';
import type { ChannelRef } from '../../src/domain/channel-configuration';
import type { AdapterError } from '../../src/domain/errors';
import {
  ADAPTER_ID,
  type NewNorceHook,
  type NewNorcePayment,
  type NewNorceShipping,
  type NewPaymentTransaction,
  type NorceAddress,
  type NorceOrder,
  type NorcePayment,
  type NorcePaymentAction,
  type NorceShipping,
  type OrderStatus,
} from '../../src/domain/norce-order';
import { NorceOrderCodec, NorcePaymentCodec, decodeWith } from '../../src/adapters/norce/codecs';
import {
  mapNorceErrorResponse,
  norceOrderErrors,
  type NorceOperation,
} from '../../src/adapters/norce/http-norce-order-repository';
import { NcoStore, type JsonObject, type NcoError, type NcoResult } from '../../sandbox/nco-simulator/store';

export type NorceOrderOperation = keyof NorceOrderRepository;

export interface FakeNorceOrderCall {
  readonly operation: NorceOrderOperation;
  readonly ref: ChannelRef;
  readonly orderId: string;
  /** The arguments after `ref` and `orderId`, deep-cloned. */
  readonly args: readonly unknown[];
}

export interface FakeNorceOrderRepositoryOptions {
  /** Orders to start with; each is visible to its own merchant/channel (or to all when it has none). */
  readonly orders?: readonly NorceOrder[];
  /** Use this store (e.g. one shared with a running NCO simulator). */
  readonly store?: NcoStore;
}

export class FakeNorceOrderRepository implements NorceOrderRepository {
  readonly store: NcoStore;
  /** Every call, in order, including failed ones. */
  readonly calls: FakeNorceOrderCall[] = [];
  private readonly failures: { operation: NorceOrderOperation; error: AdapterError; times: number }[] = [];

  constructor(options: FakeNorceOrderRepositoryOptions = {}) {
    this.store = options.store ?? new NcoStore();
    for (const order of options.orders ?? []) this.seed(order);
  }

  // -------------------------------------------------------------------------------------------
  // Controls

  /** Stores a deep copy of the order; `ref` overrides its merchant/channel. Returns its id. */
  seed(order: NorceOrder | JsonObject, ref?: ChannelRef): string {
    return this.store.insertOrder(structuredClone(order) as JsonObject, ref);
  }

  /** The order as stored now (decoded, a copy), whoever it belongs to. */
  order(orderId: string): NorceOrder | undefined {
    const raw = this.store.order(orderId);
    if (raw === undefined) return undefined;
    const decoded = decodeWith(NorceOrderCodec, raw);
    if (isLeft(decoded)) throw new Error(`FakeNorceOrderRepository: stored order ${orderId} does not decode: ${decoded.left}`);
    return decoded.right;
  }

  /** The transactions posted to a payment, oldest first (each with the server-set `created`). */
  transactions(orderId: string, paymentId: string): (NewPaymentTransaction & { created: string })[] {
    return this.store.transactionsOf(orderId, paymentId) as unknown as (NewPaymentTransaction & { created: string })[];
  }

  /** The next `times` calls of `operation` fail with `error` (before touching anything). */
  failNext(operation: NorceOrderOperation, error: AdapterError, times = 1): void {
    this.failures.push({ operation, error, times });
  }

  callsOf(operation: NorceOrderOperation): FakeNorceOrderCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  // -------------------------------------------------------------------------------------------
  // The port

  getOrder(ref: ChannelRef, orderId: string): TaskEither<AdapterError, NorceOrder> {
    return this.run('getOrder', ref, { operation: 'getOrder', orderId }, [], async () =>
      this.decoded({ operation: 'getOrder', orderId }, this.store.getOrder(ref, orderId), NorceOrderCodec),
    );
  }

  getPayment(ref: ChannelRef, orderId: string, paymentId: string): TaskEither<AdapterError, NorcePayment> {
    const op = { operation: 'getPayment', orderId, paymentId };
    return this.run('getPayment', ref, op, [paymentId], async () =>
      this.decoded(op, this.store.getPayment(ref, orderId, paymentId), NorcePaymentCodec),
    );
  }

  createPayment(ref: ChannelRef, orderId: string, payment: NewNorcePayment): TaskEither<AdapterError, string> {
    const op = { operation: 'createPayment', orderId };
    return this.run('createPayment', ref, op, [payment], async () =>
      this.mapped(op, await this.store.createPayment(ref, orderId, structuredClone(payment), ADAPTER_ID), (r) => r.id),
    );
  }

  updatePayment(ref: ChannelRef, orderId: string, payment: NorcePayment): TaskEither<AdapterError, NorcePayment> {
    const op = { operation: 'updatePayment', orderId, paymentId: payment.id };
    return this.run('updatePayment', ref, op, [payment], async () =>
      this.decoded(op, await this.store.updatePayment(ref, orderId, payment.id, structuredClone(payment), ADAPTER_ID), NorcePaymentCodec),
    );
  }

  addTransaction(ref: ChannelRef, orderId: string, paymentId: string, transaction: NewPaymentTransaction): TaskEither<AdapterError, void> {
    const op = { operation: 'addTransaction', orderId, paymentId };
    return this.run('addTransaction', ref, op, [paymentId, transaction], async () =>
      this.mapped(op, await this.store.addTransaction(ref, orderId, paymentId, structuredClone(transaction), ADAPTER_ID), () => undefined),
    );
  }

  addPaymentActions(
    ref: ChannelRef,
    orderId: string,
    paymentId: string,
    actions: readonly Omit<NorcePaymentAction, 'id'>[],
  ): TaskEither<AdapterError, void> {
    const op = { operation: 'addPaymentActions', orderId, paymentId };
    return this.run('addPaymentActions', ref, op, [paymentId, actions], async () =>
      this.mapped(op, await this.store.addPaymentActions(ref, orderId, paymentId, structuredClone(actions), ADAPTER_ID), () => undefined),
    );
  }

  addHook(ref: ChannelRef, orderId: string, hook: NewNorceHook): TaskEither<AdapterError, string> {
    const op = { operation: 'addHook', orderId };
    return this.run('addHook', ref, op, [hook], async () =>
      this.mapped(op, await this.store.addHook(ref, orderId, structuredClone(hook), ADAPTER_ID), (r) => r.id),
    );
  }

  deleteHook(ref: ChannelRef, orderId: string, hookId: string): TaskEither<AdapterError, void> {
    const op = { operation: 'deleteHook', orderId, hookId };
    return this.run('deleteHook', ref, op, [hookId], async () => {
      const result = await this.store.deleteHook(ref, orderId, hookId, ADAPTER_ID);
      // As the HTTP adapter: a hook that is already gone counts as deleted.
      if (isLeft(result) && result.left.status === 404 && result.left.code !== 'order-not-found') return right(undefined);
      return this.mapped(op, result, () => undefined);
    });
  }

  createShipping(ref: ChannelRef, orderId: string, shipping: NewNorceShipping): TaskEither<AdapterError, string> {
    const op = { operation: 'createShipping', orderId };
    return this.run('createShipping', ref, op, [shipping], async () =>
      this.mapped(op, await this.store.createShipping(ref, orderId, structuredClone(shipping), ADAPTER_ID), (r) => r.id),
    );
  }

  updateShipping(ref: ChannelRef, orderId: string, shipping: NorceShipping & { id: string }): TaskEither<AdapterError, void> {
    const op = { operation: 'updateShipping', orderId, shippingId: shipping.id };
    return this.run('updateShipping', ref, op, [shipping], async () =>
      this.mapped(op, await this.store.updateShipping(ref, orderId, shipping.id, structuredClone(shipping), ADAPTER_ID), () => undefined),
    );
  }

  putCustomerBilling(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void> {
    const op = { operation: 'putCustomerBilling', orderId };
    return this.run('putCustomerBilling', ref, op, [address], async () =>
      this.mapped(op, await this.store.putCustomerAddress(ref, orderId, 'billing', structuredClone(address), ADAPTER_ID), () => undefined),
    );
  }

  putCustomerShipping(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void> {
    const op = { operation: 'putCustomerShipping', orderId };
    return this.run('putCustomerShipping', ref, op, [address], async () =>
      this.mapped(op, await this.store.putCustomerAddress(ref, orderId, 'shipping', structuredClone(address), ADAPTER_ID), () => undefined),
    );
  }

  putState(ref: ChannelRef, orderId: string, status: OrderStatus): TaskEither<AdapterError, void> {
    const op = { operation: 'putState', orderId };
    return this.run('putState', ref, op, [status], async () =>
      this.mapped(op, await this.store.putState(ref, orderId, { currentStatus: status }, ADAPTER_ID), () => undefined),
    );
  }

  // -------------------------------------------------------------------------------------------

  private run<A>(
    operation: NorceOrderOperation,
    ref: ChannelRef,
    op: NorceOperation,
    args: readonly unknown[],
    body: () => Promise<Either<AdapterError, A>>,
  ): TaskEither<AdapterError, A> {
    return async () => {
      this.calls.push({ operation, ref: { ...ref }, orderId: op.orderId, args: structuredClone(args) });
      const index = this.failures.findIndex((f) => f.operation === operation);
      if (index >= 0) {
        const failure = this.failures[index]!;
        if (failure.times <= 1) this.failures.splice(index, 1);
        else this.failures[index] = { ...failure, times: failure.times - 1 };
        return left(failure.error);
      }
      return body();
    };
  }

  private mapped<T, A>(op: NorceOperation, result: NcoResult<T>, f: (value: T) => A): Either<AdapterError, A> {
    return isLeft(result) ? left(this.error(op, result.left)) : right(f(result.right));
  }

  private decoded<A>(op: NorceOperation, result: NcoResult<unknown>, codec: Decoder<unknown, A>): Either<AdapterError, A> {
    if (isLeft(result)) return left(this.error(op, result.left));
    const decoded = decodeWith(codec, result.right);
    return isLeft(decoded) ? left(norceOrderErrors.undecodable(op, decoded.left)) : right(decoded.right);
  }

  private error(op: NorceOperation, error: NcoError): AdapterError {
    return mapNorceErrorResponse(op, error.status, { code: error.code, message: error.message });
  }
}
