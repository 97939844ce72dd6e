// The simulated checkout pages the snippet loads (a placeholder for Qliro's web app; the customer flow comes later).
import { totalPriceOf } from './rules';
import { htmlEscape, isThankYouStatus, renderOrderHtmlSnippet } from './snippet';
import { linesOf, type SimulatedOrder } from './store';

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${htmlEscape(title)}</title></head><body>${body}</body></html>`;

/** The iframe content: order, lines, total; the thank-you view once the order is Completed or OnHold. */
export function renderCheckoutPage(order: SimulatedOrder): string {
  const rows = linesOf(order)
    .map(
      (i) =>
        `<tr><td>${htmlEscape(i.MerchantReference)}</td><td>${htmlEscape(i.Description ?? '')}</td><td>${i.Type}</td>` +
        `<td>${i.Quantity}</td><td>${i.PricePerItemIncVat.toFixed(2)}</td></tr>`,
    )
    .join('');
  const heading = isThankYouStatus(order.status) ? 'Thank you for your purchase' : 'Qliro Checkout (simulator)';
  return page(
    heading,
    `<main data-qliro-order-id="${order.orderId}" data-qliro-status="${htmlEscape(order.status)}">` +
      `<h1>${heading}</h1><p>Order ${order.orderId} — ${htmlEscape(order.status)}</p>` +
      `<table><thead><tr><th>Reference</th><th>Description</th><th>Type</th><th>Qty</th><th>Unit incl. VAT</th></tr></thead>` +
      `<tbody>${rows}</tbody></table><p>Total ${totalPriceOf(linesOf(order)).toFixed(2)} ${htmlEscape(order.currency)}</p></main>`,
  );
}

/** A payment link opens the snippet on a page of its own. */
export function renderPaymentLinkPage(order: SimulatedOrder, baseUrl: string): string {
  return page(`Qliro order ${order.orderId}`, renderOrderHtmlSnippet(order, baseUrl));
}
