// Qliro's Admin API vocabulary (order management): the order's ledger of item actions and payment transactions.

export type QliroTransactionType =
  | 'Preauthorization'
  | 'Debit'
  | 'Credit'
  | 'Capture'
  | 'Reversal'
  | 'Refund'
  | 'UpdateInvoice'
  | 'Registration'
  | string;

export type QliroTransactionStatus = 'Created' | 'UserInteractionRequired' | 'InProcess' | 'OnHold' | 'Success' | 'Error' | 'Cancelled' | string;

export interface QliroPaymentTransaction {
  readonly PaymentTransactionId: number;
  readonly OriginalPaymentTransactionId?: number | null;
  readonly Type: QliroTransactionType;
  readonly Status: QliroTransactionStatus;
  readonly Amount: number;
  readonly Currency?: string;
  readonly PaymentMethodName?: string | null;
  readonly ErrorCode?: string | null;
  readonly ErrorCodeDescription?: string | null;
}

export type QliroItemActionType = 'Create' | 'Reserve' | 'Ship' | 'Return' | 'Release' | string;

export interface QliroOrderItemAction {
  readonly MerchantReference: string;
  readonly Description?: string | null;
  readonly Type: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat?: number | null;
  readonly VatRate?: number | null;
  readonly ActionType: QliroItemActionType;
  readonly PaymentTransactionId: number;
}

export interface QliroAdminOrder {
  readonly OrderId: number;
  readonly MerchantReference: string;
  readonly Currency: string;
  readonly OrderItemActions: readonly QliroOrderItemAction[];
  readonly PaymentTransactions: readonly QliroPaymentTransaction[];
}

/** An item as the Admin API takes it in MarkItemsAsShipped / ReturnItems. */
export interface QliroAdminItem {
  readonly MerchantReference: string;
  readonly Type: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat?: number;
  readonly Description?: string;
}

export interface MarkItemsAsShippedRequest {
  readonly RequestId: string;
  readonly OrderId: number;
  readonly Currency: string;
  readonly Shipments: readonly { readonly PaymentTransactionId: number; readonly OrderItems: readonly QliroAdminItem[] }[];
}

export interface ReturnItemsRequest {
  readonly RequestId: string;
  readonly OrderId: number;
  readonly Currency: string;
  readonly Returns: readonly { readonly PaymentTransactionId: number; readonly OrderItems: readonly QliroAdminItem[] }[];
}

export interface CancelOrderRequest {
  readonly RequestId: string;
  readonly OrderId: number;
}

/** What every Admin write answers: the transactions it started, in `Created`; the outcome comes by push. */
export interface StartedTransactions {
  readonly PaymentTransactions: readonly { readonly PaymentTransactionId: number; readonly Status: QliroTransactionStatus }[];
}

/** The order-management status push (MerchantOrderManagementStatusPushUrl). */
export interface QliroOrderManagementPush {
  readonly OrderId: number;
  readonly PaymentTransactionId: number;
  readonly OriginalPaymentTransactionId?: number;
  readonly PaymentType?: string;
  readonly Status?: string;
  readonly Amount?: number;
  readonly Currency?: string;
  readonly MerchantReference?: string;
}
