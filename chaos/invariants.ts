// The checks at the end of a chaos run, over EVERY order the simulators hold (not only the ones the driver finished).
// Each reads the simulators' own state (NCO orders and payments, Qliro orders and Admin ledgers) and the proxy's
// answer log; none calls the adapter, so nothing here can repair what it checks.
import type { RunningNcoSimulator } from '../sandbox/nco-simulator';
import type { RunningQliroSimulator, SimulatedOrder } from '../sandbox/qliro-simulator';
import { QLIRO_FACING, type ProxiedRequest } from './proxy';
import type { OrderRecord } from './driver';

export interface InvariantResult {
  readonly name: string;
  readonly description: string;
  /** How many subjects (orders, requests, replicas) were checked. */
  readonly checked: number;
  readonly violations: readonly string[];
}

export interface CheckInput {
  readonly nco: RunningNcoSimulator;
  readonly qliro: RunningQliroSimulator;
  readonly requests: readonly ProxiedRequest[];
  readonly replicas: readonly { readonly index: number; alive(): boolean; exitInfo(): string | undefined }[];
  /** What the callers did per order (their give-ups); empty when only the stored state is checked. */
  readonly records?: readonly OrderRecord[];
}

const ADAPTER_ID = 'qliro_checkout_adapter';
const minor = (amount: number) => Math.round(amount * 100);
const money = (m: number) => (m / 100).toFixed(2);

interface Ledger {
  readonly qliroOrderId: number;
  readonly status: string;
  readonly norceOrderId: string | undefined;
  readonly norcePaymentId: string | undefined;
  readonly reserved: number;
  readonly captured: number;
  readonly refunded: number;
  readonly successfulCaptures: number;
  readonly successfulRefunds: number;
  readonly reservedItems: number;
  readonly shippedItems: number;
  readonly returnedItems: number;
}

interface Tx {
  readonly Type: string;
  readonly Status: string;
  readonly Amount: number;
}
interface ItemAction {
  readonly ActionType: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
}

export function ledgerOf(qliro: RunningQliroSimulator, order: SimulatedOrder): Ledger {
  const admin = qliro.adminOrder(order.orderId) ?? {};
  const txs = (admin['PaymentTransactions'] as Tx[] | undefined) ?? [];
  const actions = (admin['OrderItemActions'] as ItemAction[] | undefined) ?? [];
  const ok = (type: string) => txs.filter((t) => t.Type === type && t.Status === 'Success');
  const sum = (list: readonly Tx[]) => list.reduce((s, t) => s + minor(t.Amount), 0);
  const items = (type: string) => actions.filter((a) => a.ActionType === type).reduce((s, a) => s + minor(a.PricePerItemIncVat) * a.Quantity, 0);
  const meta = new Map(order.merchantProvidedMetadata.map((m) => [m.Key, m.Value]));
  return {
    qliroOrderId: order.orderId,
    status: order.status,
    norceOrderId: meta.get('norceOrderId'),
    norcePaymentId: meta.get('norcePaymentId'),
    reserved: sum(ok('Preauthorization')),
    captured: sum(ok('Capture')),
    refunded: sum(ok('Refund')),
    successfulCaptures: ok('Capture').length,
    successfulRefunds: ok('Refund').length,
    reservedItems: items('Reserve'),
    shippedItems: items('Ship'),
    returnedItems: items('Return'),
  };
}

/** The Norce payment state Qliro's view calls for: by checkout status, and for Completed by the ledger. */
export function expectedNorceState(l: Ledger): string | undefined {
  switch (l.status) {
    case 'Completed':
      if (l.captured > 0 && l.refunded >= l.captured) return 'refunded';
      return l.captured > 0 ? 'captured' : 'reserved';
    case 'OnHold':
      return 'pending';
    case 'Refused':
      return 'declined';
    default:
      return undefined; // InProcess: no purchase yet (or an abandoned checkout)
  }
}

const ledgerText = (l: Ledger) => `reserved ${money(l.reserved)}, captured ${money(l.captured)} (${l.successfulCaptures}×), refunded ${money(l.refunded)} (${l.successfulRefunds}×)`;

export function checkInvariants(input: CheckInput): InvariantResult[] {
  const { nco, qliro } = input;
  const qliroOrders = qliro.store.list();
  const ledgers = qliroOrders.map((o) => ledgerOf(qliro, o));
  const ledgerById = new Map(ledgers.map((l) => [l.qliroOrderId, l]));
  const norceOrders = nco.store.orderIds().map((id) => nco.store.order(id) as any).filter(Boolean); // eslint-disable-line @typescript-eslint/no-explicit-any
  const paymentOf = (orderId: string | undefined, paymentId: string | undefined) =>
    (nco.store.order(orderId ?? '') as any)?.payments?.find((p: { id: string }) => p.id === paymentId); // eslint-disable-line @typescript-eslint/no-explicit-any

  // 1. Whatever Qliro says happened, Norce says too.
  const matches: string[] = [];
  let matchesChecked = 0;
  for (const l of ledgers) {
    const expected = expectedNorceState(l);
    if (expected === undefined) continue;
    matchesChecked += 1;
    const payment = paymentOf(l.norceOrderId, l.norcePaymentId);
    const order = nco.store.order(l.norceOrderId ?? '') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const expectedOrder = l.status === 'Completed' ? 'completed' : l.status === 'OnHold' ? 'accepted' : 'declined';
    if (payment?.state !== expected || order?.state?.currentStatus !== expectedOrder) {
      matches.push(
        `Norce order ${l.norceOrderId} payment ${l.norcePaymentId} (Qliro ${l.qliroOrderId}): Qliro ${l.status}, ledger ${ledgerText(l)} → expected payment ${expected}/order ${expectedOrder}, Norce has payment ${payment?.state ?? 'missing'}/order ${order?.state?.currentStatus ?? 'missing'}`,
      );
    }
  }

  // 2. Money moved at most once at Qliro.
  const once: string[] = [];
  for (const l of ledgers) {
    const problems = [
      l.successfulCaptures > 1 && `${l.successfulCaptures} successful full captures`,
      l.captured > l.reserved && `captured ${money(l.captured)} > reserved ${money(l.reserved)}`,
      l.shippedItems > l.reservedItems && `shipped items ${money(l.shippedItems)} > reserved items ${money(l.reservedItems)}`,
      l.refunded > l.captured && `refunded ${money(l.refunded)} > captured ${money(l.captured)}`,
      l.returnedItems > l.shippedItems && `returned items ${money(l.returnedItems)} > shipped items ${money(l.shippedItems)}`,
    ].filter(Boolean);
    if (problems.length > 0) once.push(`Qliro ${l.qliroOrderId} (Norce order ${l.norceOrderId}): ${problems.join('; ')}`);
  }

  // 3. No Norce order left half-way through validation.
  const stuck: string[] = [];
  for (const order of norceOrders) {
    const processingPayments = (order.payments ?? []).filter((p: { adapterId?: string; state?: string }) => p.adapterId === ADAPTER_ID && p.state === 'processing');
    if (order.state?.currentStatus === 'processing' || processingPayments.length > 0) {
      const qids = (order.payments ?? []).filter((p: { adapterId?: string }) => p.adapterId === ADAPTER_ID).map((p: { id: string; state: string; reference?: string }) => `${p.id}:${p.state}@Qliro ${p.reference ?? '-'}(${ledgerById.get(Number(p.reference))?.status ?? '?'})`);
      stuck.push(`Norce order ${order.id} is ${order.state?.currentStatus}; Qliro payments ${qids.join(', ')}`);
    }
  }

  // 4. Norce never ahead of Qliro: a state (or a success record) only when Qliro's ledger holds it.
  const ahead: string[] = [];
  let aheadChecked = 0;
  for (const order of norceOrders) {
    for (const p of (order.payments ?? []) as { id: string; adapterId?: string; state: string; reference?: string }[]) {
      if (p.adapterId !== ADAPTER_ID) continue;
      aheadChecked += 1;
      const l = p.reference ? ledgerById.get(Number(p.reference)) : undefined;
      const where = `Norce order ${order.id} payment ${p.id} (${p.state}, Qliro ${p.reference ?? '-'})`;
      const txs = nco.store.transactionsOf(order.id, p.id) as { event?: string; pspStatus?: string; isSuccess?: boolean }[];
      const succeeded = (event: string) => txs.some((t) => t.event === event && t.pspStatus === 'Success' && t.isSuccess);
      const problem =
        (['reserved', 'captured', 'refunded', 'pending'].includes(p.state) && !l && 'no Qliro order') ||
        (p.state === 'reserved' && l && !(l.status === 'Completed' && l.reserved > 0) && `Qliro ${l.status}, reserved ${money(l.reserved)}`) ||
        (p.state === 'pending' && l && !['OnHold', 'Completed'].includes(l.status) && `Qliro ${l.status}`) ||
        (p.state === 'captured' && l && !(l.captured > 0) && `Qliro ledger ${ledgerText(l)}`) ||
        (p.state === 'refunded' && l && !(l.refunded > 0 && l.refunded >= l.captured) && `Qliro ledger ${ledgerText(l)}`) ||
        (succeeded('capture') && (!l || l.captured === 0) && 'a capture Success recorded in Norce, none at Qliro') ||
        (succeeded('refund') && (!l || l.refunded === 0) && 'a refund Success recorded in Norce, none at Qliro');
      if (problem) ahead.push(`${where}: ${problem}`);
    }
  }

  // 5. Norce-facing endpoints answer upstream failures with 502 (Retry-After), never 500; 500 is only Qliro's retry signal.
  const norceFacing = input.requests.filter((r) => !QLIRO_FACING.has(r.kind));
  const fiveHundreds = norceFacing.filter((r) => r.status === 500);
  const byKind = new Map<string, number>();
  for (const r of fiveHundreds) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const no500 = [...byKind].map(([kind, n]) => `${n}× 500 on ${kind} (e.g. ${fiveHundreds.find((r) => r.kind === kind)!.path} via replica ${fiveHundreds.find((r) => r.kind === kind)!.replica})`);

  // 6. No caller left stuck: every order the storefront and OMS drove reached the end of its plan within their bounded
  //    retries (an order cut off by the run's time bound does not count).
  const records = input.records ?? [];
  const stuckCallers = records
    .filter((r) => r.gaveUp && !r.cutByDeadline)
    .map((r) => `${r.orderId ? `Norce order ${r.orderId}` : `order #${r.plan.index} (no Norce order)`}: the caller gave up — ${r.gaveUp}`);

  // 7. No replica crashed.
  const dead = input.replicas.filter((r) => !r.alive()).map((r) => `replica ${r.index} ended (${r.exitInfo() ?? 'stopped'})`);

  return [
    {
      name: 'qliro-and-norce-agree',
      description: 'every Qliro order that Qliro says Completed/OnHold/Refused has its Norce payment reserved|captured|refunded per the ledger / pending / declined',
      checked: matchesChecked,
      violations: matches,
    },
    {
      name: 'money-moves-once',
      description: 'per Qliro order: ≤ 1 successful full capture, captured ≤ reserved, refunded ≤ captured (transactions and Ship/Return item money)',
      checked: ledgers.length,
      violations: once,
    },
    { name: 'no-order-stuck-in-processing', description: 'no Norce order (or Qliro payment) left in processing', checked: norceOrders.length, violations: stuck },
    { name: 'norce-not-ahead-of-qliro', description: 'no Norce payment reserved/captured/refunded (or success record) that Qliro\'s ledger does not hold', checked: aheadChecked, violations: ahead },
    { name: 'no-500-on-norce-facing-routes', description: 'zero 500s answered to Norce-facing calls (500 allowed only on Qliro push/status/validate)', checked: norceFacing.length, violations: no500 },
    {
      name: 'no-caller-stuck',
      description: 'every order the storefront/OMS drove reached its planned end (checkout, purchase, capture, refund) within their bounded retries',
      checked: records.length,
      violations: stuckCallers,
    },
    { name: 'replicas-alive', description: 'both adapter replicas still running at the end', checked: input.replicas.length, violations: dead },
  ];
}
