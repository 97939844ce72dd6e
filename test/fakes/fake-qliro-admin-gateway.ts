// In-memory QliroAdminGateway for use-case tests. The ledger rules are the Qliro simulator's own (admin-ledger.ts),
// errors are mapped as HttpQliroAdminGateway maps them, answers pass the adapter's Admin codecs. Outcomes of started
// transactions wait for the test (settle / completeOutcome) unless `outcomes: 'immediate'`.
import { randomUUID } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { QliroAdminGateway } from '../../src/application/ports/qliro-admin-gateway';
import type { AdapterError } from '../../src/domain/errors';
import type { QliroCredentials } from '../../src/domain/qliro-order';
import type {
  CancelOrderRequest,
  MarkItemsAsShippedRequest,
  QliroAdminOrder,
  QliroOrderManagementPush,
  QliroPaymentTransaction,
  ReturnItemsRequest,
  StartedTransactions,
} from '../../src/domain/qliro-admin';
import { QliroAdminOrderCodec, QliroPaymentTransactionCodec, QliroStartedTransactionsCodec } from '../../src/adapters/qliro/admin-codecs';
import { QliroOrderManagementPushCodec } from '../../src/adapters/qliro/callback-codecs';
import { decodeWith } from '../../src/adapters/qliro/codecs';
import { qliroErrorToAdapterError } from '../../src/adapters/qliro/qliro-http';
import type { QliroAdminOperation } from '../../src/adapters/qliro/http-qliro-admin-gateway';
import {
  checkCancelOrder,
  checkMarkItemsAsShipped,
  checkReturnItems,
  ledgerView,
  newLedgerState,
  orderManagementPushOf,
  planCancelOrder,
  planMarkItemsAsShipped,
  planReturnItems,
  planStrayReversal,
  recordStrayReversal,
  RequestIdRegistry,
  settleTransaction,
  startedAnswer,
  startTransactions,
  syncReservations,
  type AdminTransactionType,
  type LedgerResult,
  type LedgerState,
  type NewTransaction,
  type PlannedTransaction,
} from '../../sandbox/qliro-simulator/admin-ledger';
import { totalPriceOf, type SimulatedItemType, type SimulatedOrderItem } from '../../sandbox/qliro-simulator/rules';
import type { OrderManagementStatusPush } from '../../sandbox/qliro-simulator/push-delivery';
import { DEFAULT_REQUEST_ID_REUSE } from '../../sandbox/qliro-simulator/order-management';
import type { SimulatedTransaction } from '../../sandbox/qliro-simulator/store';
import type { FakeQliroGateway } from './fake-qliro-gateway';

export type FakeAdminCall =
  | { readonly op: 'adminGetOrder'; readonly args: readonly [QliroCredentials, number] }
  | { readonly op: 'getPaymentTransaction'; readonly args: readonly [QliroCredentials, number] }
  | { readonly op: 'markItemsAsShipped'; readonly args: readonly [QliroCredentials, MarkItemsAsShippedRequest] }
  | { readonly op: 'returnItems'; readonly args: readonly [QliroCredentials, ReturnItemsRequest] }
  | { readonly op: 'cancelOrder'; readonly args: readonly [QliroCredentials, CancelOrderRequest] };

/** An order line as the fake reserves it (the Merchant API's order item). */
export interface FakeAdminLine {
  readonly MerchantReference: string;
  readonly Description?: string;
  readonly Type: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat?: number;
  readonly VatRate?: number;
}

export interface FakeAdminOrderInput {
  readonly orderId: number;
  readonly merchantReference?: string;
  /** Default SEK. */
  readonly currency?: string;
  /** When set, another merchant's calls get MERCHANT_MISMATCH. */
  readonly merchantApiKey?: string;
  readonly lines: readonly FakeAdminLine[];
  /** The checkout's Preauthorization: Success (Completed, default) or OnHold. */
  readonly preauthorization?: 'Success' | 'OnHold';
  /** Default QLIRO_INVOICE. */
  readonly paymentMethodName?: string;
}

export interface FakeOutcomeFault {
  readonly type?: AdminTransactionType;
  readonly errorCode?: string | null;
  readonly errorDescription?: string | null;
}

export interface FakeQliroAdminGatewayOptions {
  /** Default 3294101, as in the fixtures. */
  readonly firstPaymentTransactionId?: number;
  /** 'manual' (default): started transactions stay Created until settle()/completeOutcome(); 'immediate': they succeed right after the call answers. */
  readonly outcomes?: 'manual' | 'immediate';
}

interface FakeAdminOrder {
  readonly ledger: LedgerState;
  readonly merchantApiKey: string | undefined;
  readonly lines: SimulatedOrderItem[];
  readonly paymentMethodName: string;
  readonly outcomeFaults: FakeOutcomeFault[];
}

const ITEM_TYPES: readonly SimulatedItemType[] = ['Product', 'Discount', 'Fee', 'Shipping'];
const itemType = (type: string): SimulatedItemType => ITEM_TYPES.find((t) => t.toLowerCase() === type.toLowerCase()) ?? 'Product';
const timestamp = (): string => new Date().toISOString().slice(0, 23);

const qliroError = (op: QliroAdminOperation, status: number, ErrorCode: string, ErrorMessage: string): AdapterError =>
  qliroErrorToAdapterError(op, status, { ErrorCode, ErrorMessage, ErrorReference: randomUUID() });

export class FakeQliroAdminGateway implements QliroAdminGateway {
  readonly orders = new Map<number, FakeAdminOrder>();
  readonly calls: FakeAdminCall[] = [];
  /** Every order-management push an outcome (or a Qliro reversal) produced, as Qliro would post it, oldest first. */
  readonly pushes: OrderManagementStatusPush[] = [];
  private readonly failures: { op: QliroAdminOperation; error: AdapterError }[] = [];
  private readonly requestIds = new RequestIdRegistry();
  private nextTransactionId: number;
  private nextItemActionId = 18841201;
  private readonly outcomes: 'manual' | 'immediate';

  constructor(options: FakeQliroAdminGatewayOptions = {}) {
    this.nextTransactionId = options.firstPaymentTransactionId ?? 3294101;
    this.outcomes = options.outcomes ?? 'manual';
  }

  // -------------------------------------------------------------------------------------------
  // Controls

  /** A Qliro order the customer completed: a Preauthorization (Success or OnHold) reserving `lines`. */
  addOrder(input: FakeAdminOrderInput): { orderId: number; preauthorizationId: number } {
    const currency = input.currency ?? 'SEK';
    const ledger = newLedgerState({ orderId: input.orderId, merchantReference: input.merchantReference ?? `ref-${input.orderId}`, currency });
    const order: FakeAdminOrder = {
      ledger,
      merchantApiKey: input.merchantApiKey,
      lines: [],
      paymentMethodName: input.paymentMethodName ?? 'QLIRO_INVOICE',
      outcomeFaults: [],
    };
    this.orders.set(input.orderId, order);
    const items: SimulatedOrderItem[] = input.lines.map((l) => ({
      MerchantReference: l.MerchantReference,
      ...(l.Description !== undefined ? { Description: l.Description } : {}),
      Type: itemType(l.Type),
      Quantity: l.Quantity,
      PricePerItemIncVat: l.PricePerItemIncVat,
      ...(l.PricePerItemExVat !== undefined ? { PricePerItemExVat: l.PricePerItemExVat } : {}),
      ...(l.VatRate !== undefined ? { VatRate: l.VatRate } : {}),
    }));
    const preauthorization = this.newTransaction(order)({
      Type: 'Preauthorization',
      Amount: totalPriceOf(items),
      Status: input.preauthorization ?? 'Success',
      OriginalPaymentTransactionId: null,
    });
    order.lines.push(...items.map((i) => ({ ...i, PaymentTransactionId: preauthorization.PaymentTransactionId })));
    this.sync(order);
    return { orderId: input.orderId, preauthorizationId: preauthorization.PaymentTransactionId };
  }

  /** addOrder() from an order of the fake Merchant API gateway (its current lines, reference and currency). */
  addFromCheckout(qliro: FakeQliroGateway, orderId: number, options: Pick<FakeAdminOrderInput, 'preauthorization' | 'paymentMethodName'> = {}) {
    const checkout = qliro.orders.get(orderId);
    if (!checkout) throw new Error(`FakeQliroAdminGateway: the fake Merchant API has no order ${orderId}`);
    return this.addOrder({
      orderId,
      merchantReference: checkout.createRequest.MerchantReference,
      currency: checkout.createRequest.Currency,
      merchantApiKey: checkout.merchantApiKey,
      lines: checkout.items,
      ...options,
    });
  }

  /** An OnHold Preauthorization is decided: Success (the order becomes capturable) or Error. */
  resolvePreauthorization(orderId: number, status: 'Success' | 'Error'): void {
    const order = this.mustGet(orderId);
    const preauthorization = order.ledger.transactions.find((t) => t.Type === 'Preauthorization' && t.Status === 'OnHold');
    if (!preauthorization) throw new Error(`FakeQliroAdminGateway: order ${orderId} has no OnHold Preauthorization`);
    preauthorization.Status = status;
    preauthorization.Timestamp = timestamp();
  }

  /** The next call of `op` fails with `error` (and has no effect). Queued: several calls fail in order. */
  failNext(op: QliroAdminOperation, error: AdapterError): void {
    this.failures.push({ op, error });
  }

  /** The next outcome of the order (of `type`, when given) is Error: no item actions applied. */
  failNextOutcome(orderId: number, fault: FakeOutcomeFault = {}): void {
    this.mustGet(orderId).outcomeFaults.push(fault);
  }

  /**
   * Every transaction still waiting (of one order, or all) reaches its outcome — Success, or Error where a fault is
   * queued. Answers the order-management pushes Qliro would send, decoded as the adapter reads them.
   */
  settle(orderId?: number): QliroOrderManagementPush[] {
    const out: QliroOrderManagementPush[] = [];
    for (const [id, order] of this.orders) {
      if (orderId !== undefined && id !== orderId) continue;
      for (const transactionId of [...order.ledger.pending.keys()]) {
        const push = this.outcome(order, transactionId);
        if (push) out.push(push);
      }
    }
    return out;
  }

  /** One waiting transaction reaches the given outcome (ignores queued faults). Its push, decoded. */
  completeOutcome(paymentTransactionId: number, status: 'Success' | 'Error' = 'Success', codes: Omit<FakeOutcomeFault, 'type'> = {}): QliroOrderManagementPush {
    const order = [...this.orders.values()].find((o) => o.ledger.pending.has(paymentTransactionId));
    if (!order) throw new Error(`FakeQliroAdminGateway: transaction ${paymentTransactionId} is not waiting for an outcome`);
    const settled = settleTransaction(
      order.ledger,
      paymentTransactionId,
      { status, errorCode: codes.errorCode ?? null, errorDescription: codes.errorDescription ?? null },
      () => this.nextItemActionId++,
      timestamp(),
    )!;
    return this.record(order, settled);
  }

  /** Qliro reverses money on its own (not a cancel): a Success Reversal without Release actions, and its push. */
  reverse(orderId: number, amount?: number): QliroOrderManagementPush {
    const order = this.mustGet(orderId);
    const plan = planStrayReversal(order.ledger, amount);
    if (!plan.ok) throw new Error(`FakeQliroAdminGateway: ${plan.violation.ErrorMessage}`);
    return this.record(order, recordStrayReversal(plan.value, this.newTransaction(order)));
  }

  /** Transactions waiting for their outcome. */
  pending(orderId?: number): number[] {
    return [...this.orders]
      .filter(([id]) => orderId === undefined || id === orderId)
      .flatMap(([, o]) => [...o.ledger.pending.keys()]);
  }

  callsOf<Op extends FakeAdminCall['op']>(op: Op): Extract<FakeAdminCall, { op: Op }>[] {
    return this.calls.filter((c): c is Extract<FakeAdminCall, { op: Op }> => c.op === op);
  }

  // -------------------------------------------------------------------------------------------
  // QliroAdminGateway

  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroAdminOrder> {
    return async () => {
      this.calls.push({ op: 'adminGetOrder', args: [credentials, orderId] });
      const failure = this.takeFailure('adminGetOrder');
      if (failure) return left(failure);
      const order = this.orders.get(orderId);
      if (!order) return left(qliroError('adminGetOrder', 404, 'ORDER_NOT_FOUND', 'Order not found'));
      if (!this.owns(order, credentials)) return left(this.mismatch('adminGetOrder', orderId));
      this.sync(order);
      const wire = {
        OrderId: orderId,
        MerchantReference: order.ledger.merchantReference,
        Currency: order.ledger.currency,
        Country: null,
        ...ledgerView(order.ledger),
      };
      return right(this.decoded(QliroAdminOrderCodec, wire));
    };
  }

  getPaymentTransaction(credentials: QliroCredentials, paymentTransactionId: number): TaskEither<AdapterError, QliroPaymentTransaction> {
    return async () => {
      this.calls.push({ op: 'getPaymentTransaction', args: [credentials, paymentTransactionId] });
      const failure = this.takeFailure('getPaymentTransaction');
      if (failure) return left(failure);
      for (const order of this.orders.values()) {
        const transaction = order.ledger.transactions.find((t) => t.PaymentTransactionId === paymentTransactionId);
        if (!transaction) continue;
        if (!this.owns(order, credentials)) return left(this.mismatch('getPaymentTransaction', order.ledger.orderId));
        return right(this.decoded(QliroPaymentTransactionCodec, { ...transaction }));
      }
      return left(qliroError('getPaymentTransaction', 404, 'NO_PAYMENT_TRANSACTION', 'Payment transaction not found'));
    };
  }

  markItemsAsShipped(credentials: QliroCredentials, request: MarkItemsAsShippedRequest): TaskEither<AdapterError, StartedTransactions> {
    return async () => {
      this.calls.push({ op: 'markItemsAsShipped', args: [credentials, request] });
      return this.write('markItemsAsShipped', credentials, checkMarkItemsAsShipped({ MerchantApiKey: credentials.merchantApiKey, ...request }), planMarkItemsAsShipped);
    };
  }

  returnItems(credentials: QliroCredentials, request: ReturnItemsRequest): TaskEither<AdapterError, StartedTransactions> {
    return async () => {
      this.calls.push({ op: 'returnItems', args: [credentials, request] });
      return this.write('returnItems', credentials, checkReturnItems({ MerchantApiKey: credentials.merchantApiKey, ...request }), planReturnItems);
    };
  }

  cancelOrder(credentials: QliroCredentials, request: CancelOrderRequest): TaskEither<AdapterError, StartedTransactions> {
    return async () => {
      this.calls.push({ op: 'cancelOrder', args: [credentials, request] });
      return this.write('cancelOrder', credentials, checkCancelOrder({ MerchantApiKey: credentials.merchantApiKey, ...request }), (ledger) => planCancelOrder(ledger));
    };
  }

  // -------------------------------------------------------------------------------------------

  /** As the simulator: body checks, RequestId reuse denied (only accepted requests remembered), order, ledger rules. */
  private write<R extends { readonly requestId: string; readonly orderId: number }>(
    op: QliroAdminOperation,
    credentials: QliroCredentials,
    checked: LedgerResult<R>,
    plan: (ledger: LedgerState, request: R) => LedgerResult<PlannedTransaction[]>,
  ): Either<AdapterError, StartedTransactions> {
    const failure = this.takeFailure(op);
    if (failure) return left(failure);
    if (!checked.ok) return left(qliroError(op, checked.violation.status, checked.violation.ErrorCode, checked.violation.ErrorMessage));
    const request = checked.value;
    if (this.requestIds.seen(credentials.merchantApiKey, request.requestId)) {
      const reuse = DEFAULT_REQUEST_ID_REUSE;
      return left(qliroError(op, reuse.status, reuse.ErrorCode, reuse.ErrorMessage));
    }
    const order = this.orders.get(request.orderId);
    if (!order) return left(qliroError(op, 404, 'ORDER_NOT_FOUND', 'Order not found'));
    if (!this.owns(order, credentials)) return left(this.mismatch(op, request.orderId));
    this.sync(order);
    const plans = plan(order.ledger, request);
    if (!plans.ok) return left(qliroError(op, plans.violation.status, plans.violation.ErrorCode, plans.violation.ErrorMessage));
    this.requestIds.remember(credentials.merchantApiKey, request.requestId);
    const started = startTransactions(order.ledger, plans.value, this.newTransaction(order));
    const answer = this.decoded(QliroStartedTransactionsCodec, startedAnswer(started));
    if (this.outcomes === 'immediate') for (const t of started) this.outcome(order, t.PaymentTransactionId);
    return right(answer);
  }

  private outcome(order: FakeAdminOrder, transactionId: number): QliroOrderManagementPush | undefined {
    const type = order.ledger.transactions.find((t) => t.PaymentTransactionId === transactionId)?.Type;
    const faultAt = order.outcomeFaults.findIndex((f) => f.type === undefined || f.type === type);
    const fault = faultAt < 0 ? undefined : order.outcomeFaults.splice(faultAt, 1)[0];
    const settled = settleTransaction(
      order.ledger,
      transactionId,
      fault ? { status: 'Error', errorCode: fault.errorCode ?? null, errorDescription: fault.errorDescription ?? null } : { status: 'Success' },
      () => this.nextItemActionId++,
      timestamp(),
    );
    return settled ? this.record(order, settled) : undefined;
  }

  private record(order: FakeAdminOrder, transaction: SimulatedTransaction): QliroOrderManagementPush {
    const wire = orderManagementPushOf(order.ledger, transaction);
    this.pushes.push(wire);
    return this.decoded(QliroOrderManagementPushCodec, wire);
  }

  private newTransaction(order: FakeAdminOrder): NewTransaction {
    return (fields) => {
      const transaction: SimulatedTransaction = {
        PaymentTransactionId: this.nextTransactionId++,
        OrderId: order.ledger.orderId,
        OriginalPaymentTransactionId: fields.OriginalPaymentTransactionId,
        Type: fields.Type,
        Amount: fields.Amount,
        Currency: order.ledger.currency,
        ProviderTransactionId: null,
        ProviderResultCode: null,
        ProviderResultDescription: null,
        Status: fields.Status,
        Timestamp: timestamp(),
        PaymentMethodName: order.paymentMethodName,
        PaymentMethodSubtypeCode: order.paymentMethodName === 'QLIRO_INVOICE' ? 'INVOICE' : null,
        ErrorCode: null,
        ErrorCodeDescription: null,
      };
      order.ledger.transactions.push(transaction);
      return transaction;
    };
  }

  private sync(order: FakeAdminOrder): void {
    syncReservations(order.ledger, order.lines, () => this.nextItemActionId++);
  }

  private owns(order: FakeAdminOrder, credentials: QliroCredentials): boolean {
    return order.merchantApiKey === undefined || order.merchantApiKey === credentials.merchantApiKey;
  }

  private mismatch(op: QliroAdminOperation, orderId: number): AdapterError {
    return qliroError(op, 400, 'MERCHANT_MISMATCH', `Evaluation, Order ${orderId} does not belong to the merchant`);
  }

  private takeFailure(op: QliroAdminOperation): AdapterError | undefined {
    const index = this.failures.findIndex((f) => f.op === op);
    return index < 0 ? undefined : this.failures.splice(index, 1)[0]!.error;
  }

  private mustGet(orderId: number): FakeAdminOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`FakeQliroAdminGateway: no order ${orderId}`);
    return order;
  }

  /** Everything the fake answers goes through the adapter's codecs, so it reads like the real thing. */
  private decoded<A>(codec: Parameters<typeof decodeWith<A>>[0], wire: unknown): A {
    const decoded = decodeWith(codec, wire);
    if (isLeft(decoded)) throw new Error(`FakeQliroAdminGateway built an undecodable answer: ${decoded.left}`);
    return decoded.right;
  }
}
