// POST /api/checkout/v1/orders/{order_id}/payments — create (or reuse) the Qliro checkout for a Norce order.
import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import * as E from 'fp-ts/Either';
import * as T from 'fp-ts/Task';
import { pipe } from 'fp-ts/function';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef, QliroChannelConfiguration } from '../../domain/channel-configuration';
import {
  ADAPTER_ID,
  PAYMENT_NAME,
  type NewNorceHook,
  type NorceOrder,
  type NorcePayment,
} from '../../domain/norce-order';
import type { QliroCreateOrderRequest, QliroCredentials, QliroCustomerInformation } from '../../domain/qliro-order';
import { activeQliroPayment, qliroOrderIdOf, qliroPayments } from '../../domain/qliro-payment';
import { toQliroOrderLines, type MappedQliroOrder } from '../../domain/qliro-order-lines';
import { deriveMerchantReference, merchantReferenceSourceFor } from '../../domain/references';
import { toQliroLanguage } from '../../domain/qliro-market';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { CallbackTokens, fillUrlTemplate, type CallbackSubject } from '../callback-urls';
import { CallbackTokensToken } from '../tokens';
import { syncQliroOrder } from '../sync-qliro-order';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf, qliroOwnsShipping, toJsonWithoutPersonalData } from '../checkout-support';

export interface CreatePaymentInput extends ChannelRef {
  readonly orderId: string;
}

export interface CheckoutSnippet {
  readonly paymentId: string;
  readonly htmlSnippet: string;
}

/** Qliro payment states that already hold (or are about to hold) money: a new checkout would double it. */
const BEYOND_INTENT = new Set(['processing', 'pending', 'reserved', 'captured', 'confirmed', 'credited', 'refunded']);

@injectable()
export class CreatePayment {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
    @inject(CallbackTokensToken) private readonly tokens: CallbackTokens,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  /** Under the order's lock: parallel creates for one order (a double click) make one payment and one Qliro order. */
  execute(input: CreatePaymentInput): TE.TaskEither<AdapterError, CheckoutSnippet> {
    return this.lock.run(input.orderId, this.createOnce(input));
  }

  private createOnce(input: CreatePaymentInput): TE.TaskEither<AdapterError, CheckoutSnippet> {
    return pipe(
      this.configurations.get(input),
      TE.chain((config) =>
        pipe(
          this.norce.getOrder(input, input.orderId),
          TE.chainEitherK((order) => checkOrderAcceptsCheckout(order)),
          TE.chain((order) => this.createOrReuse(input, config, order)),
        ),
      ),
    );
  }

  private createOrReuse(
    ref: ChannelRef,
    config: QliroChannelConfiguration,
    order: NorceOrder,
  ): TE.TaskEither<AdapterError, CheckoutSnippet> {
    const existing = activeQliroPayment(order);
    if (existing && BEYOND_INTENT.has(existing.state)) {
      return TE.left(
        adapterError(
          'payment-conflict',
          `Order ${order.id} already has a Qliro payment in state ${existing.state}; remove it before creating a new checkout`,
        ),
      );
    }
    const existingQliroOrderId = existing ? qliroOrderIdOf(existing) : undefined;
    if (existing && existingQliroOrderId !== undefined) {
      // Idempotent create: the checkout exists; make sure its hooks do too (a replica may have died before adding them).
      // A reload also resyncs the lines, in case Qliro holds a cart change Norce refused.
      return pipe(
        this.ensureHooks(ref, config, order, existing.id),
        TE.chain(() => syncQliroOrder(this.qliro, config, order, existing.id, existingQliroOrderId)),
        TE.chain(() => this.snippet(credentialsOf(config), existing.id, existingQliroOrderId)),
      );
    }
    return pipe(
      TE.fromEither(toQliroOrderLines(order, { mapDiscountPerRow: config.mapDiscountPerRow, qliroOwnsShipping: qliroOwnsShipping(config) }, existing?.id)),
      TE.chain((mapped) =>
        pipe(
          existing ? TE.right(existing) : this.createNorcePayment(ref, order, mapped),
          TE.chain((payment) => this.createQliroOrder(ref, config, order, payment, mapped)),
        ),
      ),
    );
  }

  private createNorcePayment(ref: ChannelRef, order: NorceOrder, mapped: MappedQliroOrder): TE.TaskEither<AdapterError, NorcePayment> {
    const payment = {
      adapterId: ADAPTER_ID,
      name: PAYMENT_NAME,
      type: 'default' as const,
      currency: order.currency,
      amount: mapped.amountToCover,
      state: 'intent' as const,
      attributes: {},
    };
    return pipe(
      this.norce.createPayment(ref, order.id, payment),
      TE.map((id): NorcePayment => ({ ...payment, id })),
    );
  }

  private createQliroOrder(
    ref: ChannelRef,
    config: QliroChannelConfiguration,
    order: NorceOrder,
    payment: NorcePayment,
    mapped: MappedQliroOrder,
  ): TE.TaskEither<AdapterError, CheckoutSnippet> {
    const credentials = credentialsOf(config);
    const subject: CallbackSubject = { ...ref, orderId: order.id, paymentId: payment.id };
    // Every earlier Qliro payment of this order used a reference; a new checkout needs a new one.
    const attempt = qliroPayments(order).filter((p) => p.id !== payment.id).length;
    const source = merchantReferenceSourceFor(order, config.merchantReferenceSource);
    const requestFor = (n: number) => this.createOrderRequest(config, order, subject, mapped, deriveMerchantReference(source, n));

    const create = (n: number) =>
      pipe(
        TE.of(requestFor(n)),
        TE.chain((request) => pipe(this.qliro.createOrder(credentials, request), TE.map((r) => ({ ...r, request })))),
      );
    return pipe(
      create(attempt),
      // ORDER_ALREADY_EXISTS: the reference was used before (by an earlier try); derive another and retry once.
      TE.orElse((e) => (isOrderAlreadyExists(e) ? create(attempt + 1) : TE.left(e))),
      TE.orElse((e) => this.markFailed(ref, order.id, payment, isOrderAlreadyExists(e) ? referencesTaken(e) : e)),
      TE.chain(({ OrderId, request }) =>
        pipe(
          this.recordQliroOrder(ref, order.id, payment, OrderId, request),
          TE.chain(() => this.ensureHooks(ref, config, order, payment.id)),
          TE.chain(() => this.snippet(credentials, payment.id, OrderId)),
        ),
      ),
    );
  }

  private createOrderRequest(
    config: QliroChannelConfiguration,
    order: NorceOrder,
    subject: CallbackSubject,
    mapped: MappedQliroOrder,
    merchantReference: string,
  ): QliroCreateOrderRequest {
    const templateValues = { orderId: order.id, merchant: subject.merchant, channel: subject.channel };
    const publicUrl = config.adapter.publicUrl;
    const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
      value === undefined || value === null ? {} : ({ [key]: value } as Record<K, V>);
    return {
      MerchantReference: merchantReference,
      Currency: order.currency.toUpperCase(),
      Country: order.country.toUpperCase(),
      Language: toQliroLanguage(order.culture, config.defaultLanguage, order.country),
      MerchantTermsUrl: fillUrlTemplate(config.redirectUrls.termsUrl, templateValues),
      MerchantConfirmationUrl: fillUrlTemplate(config.redirectUrls.confirmationUrl, templateValues),
      ...optional(
        'MerchantIntegrityPolicyUrl',
        config.redirectUrls.integrityPolicyUrl && fillUrlTemplate(config.redirectUrls.integrityPolicyUrl, templateValues),
      ),
      MerchantCheckoutStatusPushUrl: this.tokens.qliroCallbackUrl(publicUrl, subject, 'push'),
      MerchantOrderValidationUrl: this.tokens.qliroCallbackUrl(publicUrl, subject, 'validate'),
      MerchantOrderManagementStatusPushUrl: this.tokens.qliroCallbackUrl(publicUrl, subject, 'status'),
      OrderItems: mapped.lines,
      ...optional('CustomerInformation', customerPrefill(order)),
      ...optional(
        'AvailableShippingMethods',
        config.shippingMethods?.map((m) => ({
          MerchantReference: m.merchantReference,
          DisplayName: m.displayName,
          PriceIncVat: m.priceIncVat,
          PriceExVat: m.priceExVat,
          VatRate: Math.round(m.vatRate * 10000) / 100,
          ...(m.description ? { Descriptions: [m.description] } : {}),
        })),
      ),
      ...optional('PrimaryColor', config.primaryColor),
      ...optional('BackgroundColor', config.backgroundColor),
      ...optional('CallToActionColor', config.callToActionColor),
      ...optional('CallToActionHoverColor', config.callToActionHoverColor),
      ...optional('CornerRadius', config.cornerRadius),
      ...optional('ButtonCornerRadius', config.buttonCornerRadius),
      ...optional('MinimumCustomerAge', config.minimumCustomerAge || undefined),
      ...optional('RequireIdentityVerification', config.requireIdentityVerification || undefined),
      ...optional('MerchantConstraintName', config.merchantConstraintName),
      MerchantProvidedMetadata: [
        { Key: 'norceOrderId', Value: order.id },
        { Key: 'norcePaymentId', Value: subject.paymentId },
      ],
    };
  }

  /** A failed Qliro create leaves the Norce payment `failed`, not dangling in `intent`. */
  private markFailed<A>(ref: ChannelRef, orderId: string, payment: NorcePayment, cause: AdapterError): TE.TaskEither<AdapterError, A> {
    return pipe(
      this.norce.updatePayment(ref, orderId, { ...payment, state: 'failed' }),
      TE.chain(() =>
        this.norce.addTransaction(ref, orderId, payment.id, {
          event: 'open',
          pspEvent: 'CreateOrder',
          pspStatus: cause.qliroError?.ErrorCode ?? cause.code,
          amount: payment.amount,
          isSuccess: false,
          errorDetail: cause.message,
          responseJson: JSON.stringify(cause.qliroError ?? { code: cause.code }),
        }),
      ),
      // Whatever happened while recording the failure, the caller must see why the checkout failed.
      T.map((): E.Either<AdapterError, A> => E.left(cause)),
    );
  }

  private recordQliroOrder(
    ref: ChannelRef,
    orderId: string,
    payment: NorcePayment,
    qliroOrderId: number,
    request: QliroCreateOrderRequest,
  ): TE.TaskEither<AdapterError, void> {
    return pipe(
      this.norce.updatePayment(ref, orderId, {
        ...payment,
        reference: String(qliroOrderId),
        attributes: { ...(payment.attributes ?? {}), qliroOrderId, qliroMerchantReference: request.MerchantReference },
      }),
      TE.chain(() =>
        this.norce.addTransaction(ref, orderId, payment.id, {
          event: 'open',
          pspEvent: 'CreateOrder',
          pspStatus: 'InProcess',
          amount: payment.amount,
          isSuccess: true,
          requestJson: toJsonWithoutPersonalData({ MerchantReference: request.MerchantReference, Currency: request.Currency, OrderItems: request.OrderItems }),
          responseJson: JSON.stringify({ OrderId: qliroOrderId }),
        }),
      ),
    );
  }

  /** The three NCO hooks of BEHAVIOUR §5, added only where missing so a repeated create adds none twice. */
  private ensureHooks(ref: ChannelRef, config: QliroChannelConfiguration, order: NorceOrder, paymentId: string): TE.TaskEither<AdapterError, void> {
    const subject: CallbackSubject = { ...ref, orderId: order.id, paymentId };
    const base = config.adapter.internalUrl ?? config.adapter.publicUrl;
    const cartChanged = this.tokens.norceHookUrl(base, subject, 'cart-changed');
    const wanted: NewNorceHook[] = [
      { adapterId: ADAPTER_ID, subscribeTo: '/cart', target: '/payments', invoke: cartChanged, version: 'v0' },
      { adapterId: ADAPTER_ID, subscribeTo: '/shippings', target: '/payments', invoke: cartChanged, version: 'v0' },
      { adapterId: ADAPTER_ID, subscribeTo: '/state', invoke: this.tokens.norceHookUrl(base, subject, 'state-changed'), version: 'v0' },
    ];
    const present = (h: NewNorceHook) =>
      (order.hooks ?? []).some((o) => o.adapterId === ADAPTER_ID && o.subscribeTo === h.subscribeTo && o.invoke === h.invoke);
    return pipe(
      wanted.filter((h) => !present(h)),
      TE.traverseSeqArray((h) => this.norce.addHook(ref, order.id, h)),
      TE.map(() => undefined),
    );
  }

  private snippet(credentials: QliroCredentials, paymentId: string, qliroOrderId: number): TE.TaskEither<AdapterError, CheckoutSnippet> {
    return pipe(
      this.qliro.getOrder(credentials, qliroOrderId),
      TE.map((q) => ({ paymentId, htmlSnippet: q.OrderHtmlSnippet })),
    );
  }
}

function checkOrderAcceptsCheckout(order: NorceOrder): E.Either<AdapterError, NorceOrder> {
  return order.state.currentStatus === 'checkout'
    ? E.right(order)
    : E.left(
        adapterError(
          'order-conflict',
          `Order ${order.id} is in state ${order.state.currentStatus}; a Qliro checkout can only be created while the order is in checkout`,
        ),
      );
}

const isOrderAlreadyExists = (e: AdapterError): boolean => e.qliroError?.ErrorCode === 'ORDER_ALREADY_EXISTS';

/**
 * Both references tried are taken: earlier tries created Qliro orders and then failed to record them in Norce. Not
 * the caller's fault and not final (a 409, not a 400): the payment is now `failed`, so the next create makes a new
 * payment whose references start further on.
 */
const referencesTaken = (e: AdapterError): AdapterError =>
  adapterError(
    'payment-conflict',
    'Qliro already holds orders under the next merchant references of this order (earlier attempts); the payment is marked failed: create the checkout again',
    e.qliroError ? { qliroError: e.qliroError } : {},
  );

/** Prefill what the shopper already told the store; Qliro lets them change it. */
function customerPrefill(order: NorceOrder): QliroCustomerInformation | undefined {
  const billing = order.customer?.billing ?? order.customer?.shipping;
  if (!billing) return undefined;
  const info: QliroCustomerInformation = {
    ...(billing.email ? { Email: billing.email } : {}),
    ...(billing.phone ? { MobileNumber: billing.phone } : {}),
    ...(billing.nationalIdentificationNumber ? { PersonalNumber: billing.nationalIdentificationNumber } : {}),
    ...(order.customer?.type ? { JuridicalType: order.customer.type.toLowerCase() === 'organization' ? 'Company' as const : 'Physical' as const } : {}),
    ...(billing.postalCode ? { Address: { PostalCode: billing.postalCode } } : {}),
  };
  return Object.keys(info).length > 0 ? info : undefined;
}
