// The shopper's side of a Qliro checkout (reference §4.2, §4.5, §8): complete an InProcess order as a customer would
// (customer details, payment method, shipping pick, the validation callback, then Completed | OnHold | Refused with a
// Preauthorization and a checkout-status push), and later resolve an OnHold order to Completed or Refused.
import type { CallbackPoster } from './callback-client';
import { checkPushFault, type CheckoutStatusPush, type PushDelivery, type PushFault } from './push-delivery';
import { canonicalKeys, hasAtMostTwoDecimals, type SimulatedOrderItem } from './rules';
import { qliroTimestamp, type QliroSimulatorStore, type SimulatedOrder } from './store';
import { customerDetailsFor, type CustomerInput } from './test-identity';
import { validationRequestOf, verdictOf, type ValidationTimeoutOutcome, type ValidationVerdict } from './validation-callback';

export type CompletionOutcome = 'Completed' | 'OnHold' | 'Refused';
export type ResolutionOutcome = 'Completed' | 'Refused';

/** The shipping method the shopper picks in Qliro's checkout; missing fields come from the order's AvailableShippingMethods. */
export interface ShippingMethodChoice {
  readonly MerchantReference: string;
  readonly DisplayName?: string;
  readonly PriceIncVat?: number;
  readonly PriceExVat?: number;
  /** Percent (25 = 25 %); used for PriceExVat when that is missing (default 25). */
  readonly VatRate?: number;
  /** A pickup point or other secondary option (SelectedShippingSecondaryOption). */
  readonly SecondaryOption?: string;
  /** Reference of the Shipping line Qliro adds (default: that of the offered method, else MerchantReference). */
  readonly ShippingFeeMerchantReference?: string;
}

export interface CompleteOptions {
  readonly outcome: CompletionOutcome;
  /** PaymentMethodName, e.g. QLIRO_INVOICE (default), CREDITCARDS, TRUSTLY. */
  readonly paymentMethod?: string;
  /** PaymentTypeCode (default INVOICE for QLIRO_INVOICE, else null). */
  readonly paymentTypeCode?: string | null;
  /** Default: Qliro's SE test identity (test-identity.ts). */
  readonly customer?: CustomerInput;
  /** Adds the Shipping line Qliro adds when it owns shipping. */
  readonly shippingMethod?: ShippingMethodChoice;
  readonly push?: PushFault;
}

export interface ResolveOptions {
  readonly outcome: ResolutionOutcome;
  readonly push?: PushFault;
}

/** What the validation URL did: its HTTP status, no answer, or not called (no URL on the order). */
export type ValidationCall = number | 'timeout' | 'unreachable' | 'not-called';

export type CompletionAnswer =
  | { readonly orderId: number; readonly status: string; readonly paymentTransactionId: number; readonly validation: ValidationCall }
  | {
      readonly orderId: number;
      readonly status: string;
      readonly declined: true;
      readonly declineReason: string;
      readonly declineReasonMessage: string | null;
      readonly validation: ValidationCall;
    };

export interface ResolutionAnswer {
  readonly orderId: number;
  readonly status: string;
  readonly paymentTransactionId: number | null;
}

export type ControlResult<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly status: 400 | 404 | 409; readonly error: string };

export interface CheckoutSettings {
  readonly store: QliroSimulatorStore;
  readonly post: CallbackPoster;
  readonly pushes: PushDelivery;
  /** Qliro waits 5 s for the validation answer. */
  readonly validationTimeoutMs: number;
  /** Qliro approves when the merchant does not answer in time; it can be configured to decline instead. */
  readonly validationTimeoutOutcome: ValidationTimeoutOutcome;
}

const COMPLETION_OUTCOMES: readonly CompletionOutcome[] = ['Completed', 'OnHold', 'Refused'];
const RESOLUTION_OUTCOMES: readonly ResolutionOutcome[] = ['Completed', 'Refused'];
/** PaymentTypeCode Qliro reports for its own methods (fixture validate-order.request.norce-order-3). */
const PAYMENT_TYPE_CODES: Readonly<Record<string, string>> = { QLIRO_INVOICE: 'INVOICE' };
/** The Preauthorization's status for each checkout status. */
const PREAUTHORIZATION_STATUS: Readonly<Record<CompletionOutcome, string>> = { Completed: 'Success', OnHold: 'OnHold', Refused: 'Error' };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const invalid = <A>(error: string): ControlResult<A> => ({ ok: false, status: 400, error });
const outcomeOf = <T extends string>(u: unknown, allowed: readonly T[]): T | undefined =>
  allowed.find((o) => typeof u === 'string' && o.toLowerCase() === u.toLowerCase());

/** The body of POST /sandbox/orders/{id}/complete (or the in-process options), checked. */
export function checkCompleteOptions(u: unknown): ControlResult<CompleteOptions> {
  const usage = `body must be {"outcome": ${COMPLETION_OUTCOMES.map((o) => `"${o}"`).join('|')}, "paymentMethod"?, "paymentTypeCode"?, "customer"?, "shippingMethod"?, "push"?}`;
  if (!isRecord(u)) return invalid(usage);
  const outcome = outcomeOf(u['outcome'], COMPLETION_OUTCOMES);
  if (!outcome) return invalid(usage);
  if (u['paymentMethod'] !== undefined && (typeof u['paymentMethod'] !== 'string' || u['paymentMethod'] === '')) {
    return invalid('paymentMethod must be a PaymentMethodName such as "QLIRO_INVOICE" or "CREDITCARDS"');
  }
  if (u['paymentTypeCode'] !== undefined && u['paymentTypeCode'] !== null && typeof u['paymentTypeCode'] !== 'string') {
    return invalid('paymentTypeCode must be a string or null');
  }
  if (u['customer'] !== undefined && !isRecord(u['customer'])) return invalid('customer must be an object of Qliro Customer and address fields');
  let shippingMethod: ShippingMethodChoice | undefined;
  if (u['shippingMethod'] !== undefined) {
    const m = canonicalKeys(u['shippingMethod']);
    if (!isRecord(m) || typeof m['MerchantReference'] !== 'string' || m['MerchantReference'] === '') {
      return invalid('shippingMethod must be {"MerchantReference", "DisplayName"?, "PriceIncVat"?, "PriceExVat"?, "VatRate"?, "SecondaryOption"?}');
    }
    for (const field of ['PriceIncVat', 'PriceExVat', 'VatRate'] as const) {
      const value = m[field];
      if (value !== undefined && (typeof value !== 'number' || value < 0 || !hasAtMostTwoDecimals(value))) {
        return invalid(`shippingMethod.${field} must be a number ≥ 0 with at most two decimals`);
      }
    }
    shippingMethod = m as unknown as ShippingMethodChoice;
  }
  const push = u['push'] === undefined ? undefined : checkPushFault(u['push']);
  if (push !== undefined && !push.ok) return invalid(`push: ${push.error}`);
  return {
    ok: true,
    value: {
      outcome,
      ...(typeof u['paymentMethod'] === 'string' ? { paymentMethod: u['paymentMethod'] } : {}),
      ...(u['paymentTypeCode'] !== undefined ? { paymentTypeCode: u['paymentTypeCode'] as string | null } : {}),
      ...(isRecord(u['customer']) ? { customer: u['customer'] as CustomerInput } : {}),
      ...(shippingMethod ? { shippingMethod } : {}),
      ...(push?.ok ? { push: push.value } : {}),
    },
  };
}

/** The body of POST /sandbox/orders/{id}/resolve, checked. */
export function checkResolveOptions(u: unknown): ControlResult<ResolveOptions> {
  const outcome = isRecord(u) ? outcomeOf(u['outcome'], RESOLUTION_OUTCOMES) : undefined;
  if (!isRecord(u) || !outcome) return invalid('body must be {"outcome": "Completed"|"Refused", "push"?}');
  const push = u['push'] === undefined ? undefined : checkPushFault(u['push']);
  if (push !== undefined && !push.ok) return invalid(`push: ${push.error}`);
  return { ok: true, value: { outcome, ...(push?.ok ? { push: push.value } : {}) } };
}

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

/** The Shipping line Qliro adds for a picked method, or why it cannot (no price anywhere). */
function shippingLineFor(order: SimulatedOrder, choice: ShippingMethodChoice): ControlResult<SimulatedOrderItem> {
  const offered = (order.availableShippingMethods ?? [])
    .map((m) => canonicalKeys(m))
    .filter(isRecord)
    .find((m) => m['MerchantReference'] === choice.MerchantReference);
  const number = (u: unknown): number | undefined => (typeof u === 'number' ? u : undefined);
  const incVat = choice.PriceIncVat ?? number(offered?.['PriceIncVat']);
  if (incVat === undefined) {
    return invalid(`shippingMethod.PriceIncVat is required: "${choice.MerchantReference}" is not one of the order's AvailableShippingMethods`);
  }
  const vatRate = choice.VatRate ?? number(offered?.['VatRate']);
  const exVat = choice.PriceExVat ?? number(offered?.['PriceExVat']) ?? round2((incVat * 100) / (100 + (vatRate ?? 25)));
  const feeReference = choice.ShippingFeeMerchantReference ?? (typeof offered?.['ShippingFeeMerchantReference'] === 'string' ? offered['ShippingFeeMerchantReference'] : undefined);
  const displayName = choice.DisplayName ?? (typeof offered?.['DisplayName'] === 'string' ? offered['DisplayName'] : choice.MerchantReference);
  return {
    ok: true,
    value: {
      MerchantReference: feeReference ?? choice.MerchantReference,
      Description: displayName,
      Type: 'Shipping',
      Quantity: 1,
      PricePerItemIncVat: incVat,
      PricePerItemExVat: exVat,
      ...(vatRate !== undefined ? { VatRate: vatRate } : {}),
      Metadata: {
        ShippingMethodMerchantReference: choice.MerchantReference,
        ...(choice.SecondaryOption ? { ShippingMethodSecondaryOptionMerchantReference: choice.SecondaryOption } : {}),
      },
    },
  };
}

export class CustomerCheckout {
  /** Orders whose completion is waiting for the validation answer: a second completion meanwhile is a conflict. */
  private readonly completing = new Set<number>();

  constructor(private readonly settings: CheckoutSettings) {}

  /**
   * The shopper identifies in the iframe (personal number lookup, e-mail) before buying: the order gets the customer
   * and addresses, nothing else happens — the storefront then forwards Qliro's customer event to the adapter.
   */
  identify(orderId: number, customer: CustomerInput | undefined): ControlResult<{ orderId: number }> {
    const order = this.settings.store.get(orderId);
    if (!order) return { ok: false, status: 404, error: `order ${orderId} not found` };
    if (order.status !== 'InProcess') return { ok: false, status: 409, error: `order ${orderId} is ${order.status}: the shopper can no longer change details` };
    const details = customerDetailsFor(order.country, customer);
    order.customer = details.customer;
    order.billingAddress = details.billingAddress;
    order.shippingAddress = details.shippingAddress;
    return { ok: true, value: { orderId } };
  }

  /**
   * The shopper fills in the checkout and clicks "Complete purchase": the order gets the customer, payment method
   * and shipping pick; Qliro asks the merchant's validation URL; on approval the order moves to `outcome`, a
   * Preauthorization is recorded and the checkout-status push goes out in the background. Answers once the
   * validation is decided, without waiting for the push.
   */
  async complete(orderId: number, raw: CompleteOptions | unknown): Promise<ControlResult<CompletionAnswer>> {
    const checked = checkCompleteOptions(raw);
    if (!checked.ok) return checked;
    const options = checked.value;
    const order = this.settings.store.get(orderId);
    if (!order) return { ok: false, status: 404, error: `order ${orderId} not found` };
    if (order.status !== 'InProcess') {
      return { ok: false, status: 409, error: `order ${orderId} is ${order.status}: only an InProcess order can be completed` };
    }
    if (order.expired) return { ok: false, status: 409, error: `order ${orderId} has expired and can no longer be completed` };
    if (this.completing.has(orderId)) return { ok: false, status: 409, error: `order ${orderId} is being completed already (validation pending)` };
    const line = options.shippingMethod ? shippingLineFor(order, options.shippingMethod) : undefined;
    if (line && !line.ok) return line;

    this.completing.add(orderId);
    try {
      const details = customerDetailsFor(order.country, options.customer);
      const paymentMethod = options.paymentMethod ?? 'QLIRO_INVOICE';
      order.customer = details.customer;
      order.billingAddress = details.billingAddress;
      order.shippingAddress = details.shippingAddress;
      order.paymentMethod = {
        PaymentMethodName: paymentMethod,
        PaymentTypeCode: options.paymentTypeCode !== undefined ? options.paymentTypeCode : (PAYMENT_TYPE_CODES[paymentMethod] ?? null),
      };
      if (line?.ok) {
        order.shippingLine = line.value;
        order.selectedShippingMethod = options.shippingMethod!.MerchantReference;
        order.selectedShippingSecondaryOption = options.shippingMethod!.SecondaryOption ?? null;
      }
      order.updatedAt = this.settings.store.now();

      const validationUrl = order.urls.orderValidation;
      let validation: ValidationCall = 'not-called';
      // No validation URL: nothing to ask, Qliro goes ahead.
      let verdict: ValidationVerdict = { approved: true };
      if (validationUrl !== undefined) {
        const answer = await this.settings.post(validationUrl, validationRequestOf(order), this.settings.validationTimeoutMs);
        validation = answer.kind === 'answered' ? answer.status : answer.kind;
        verdict = verdictOf(answer, this.settings.validationTimeoutOutcome);
      }
      if (!verdict.approved) {
        // Qliro shows the reason to the shopper; the order stays InProcess and can be completed again.
        return {
          ok: true,
          value: {
            orderId,
            status: order.status,
            declined: true,
            declineReason: verdict.declineReason,
            declineReasonMessage: verdict.declineReasonMessage,
            validation,
          },
        };
      }
      const preauthorization = this.settings.store.addTransaction(order, {
        Type: 'Preauthorization',
        Amount: this.settings.store.totalPrice(order),
        Status: PREAUTHORIZATION_STATUS[options.outcome],
      });
      if (options.outcome !== 'Refused') {
        // The lines now belong to the reservation (GetOrder's OrderItems[].PaymentTransactionId).
        const id = preauthorization.PaymentTransactionId;
        order.items = order.items.map((i) => ({ ...i, PaymentTransactionId: id }));
        if (order.shippingLine) order.shippingLine = { ...order.shippingLine, PaymentTransactionId: id };
      }
      this.moveTo(order, options.outcome, preauthorization.PaymentTransactionId, options.push);
      return { ok: true, value: { orderId, status: order.status, paymentTransactionId: preauthorization.PaymentTransactionId, validation } };
    } finally {
      this.completing.delete(orderId);
    }
  }

  /** Qliro's credit assessment of an OnHold order ends: Completed (reservation Success) or Refused (Error). */
  resolve(orderId: number, raw: ResolveOptions | unknown): ControlResult<ResolutionAnswer> {
    const checked = checkResolveOptions(raw);
    if (!checked.ok) return checked;
    const options = checked.value;
    const order = this.settings.store.get(orderId);
    if (!order) return { ok: false, status: 404, error: `order ${orderId} not found` };
    if (order.status !== 'OnHold') {
      return { ok: false, status: 409, error: `order ${orderId} is ${order.status}: only an OnHold order can be resolved` };
    }
    const preauthorization = [...order.transactions].reverse().find((t) => t.Type === 'Preauthorization' && t.Status === 'OnHold');
    if (preauthorization) {
      preauthorization.Status = options.outcome === 'Completed' ? 'Success' : 'Error';
      preauthorization.Timestamp = qliroTimestamp(this.settings.store.now());
    }
    const id = preauthorization?.PaymentTransactionId ?? null;
    this.moveTo(order, options.outcome, id, options.push);
    return { ok: true, value: { orderId, status: order.status, paymentTransactionId: id } };
  }

  private moveTo(order: SimulatedOrder, status: CompletionOutcome, paymentTransactionId: number | null, fault: PushFault | undefined): void {
    const now = this.settings.store.now();
    order.status = status;
    order.updatedAt = now;
    const push: CheckoutStatusPush = {
      OrderId: order.orderId,
      MerchantReference: order.merchantReference,
      Status: status,
      Timestamp: qliroTimestamp(now),
      NotificationType: 'CustomerCheckoutStatus',
      PaymentTransactionId: paymentTransactionId,
    };
    this.settings.pushes.send(order, push, fault);
  }
}
