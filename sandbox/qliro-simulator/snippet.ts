// The OrderHtmlSnippet in the shape Qliro's has (config script, root div, bootstrap script), pointing at the simulator.
import type { SimulatedOrder } from './store';

export const WEBAPP_VERSION = 'sim-1';

/** A JS string literal that is also safe inside a <script> element. */
const jsString = (s: string): string =>
  JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const htmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** After Completed/OnHold Qliro's snippet renders the thank-you page instead of the checkout. */
export const isThankYouStatus = (status: string): boolean => status === 'Completed' || status === 'OnHold';

const color = (u: unknown): string | undefined => (typeof u === 'string' && /^#[0-9A-Fa-f]{3,8}$/.test(u) ? u : undefined);

export function renderOrderHtmlSnippet(order: SimulatedOrder, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const view = isThankYouStatus(order.status) ? 'thankyou' : 'checkout';
  const styling = (
    [
      ['primaryColor', color(order.createRequest['PrimaryColor'])],
      ['callToActionColor', color(order.createRequest['CallToActionColor'])],
      ['backgroundColor', color(order.createRequest['BackgroundColor'])],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${jsString(v!)},\r\n`)
    .join('');
  const config = [
    `checkoutWebAppBaseUrl: ${jsString(`${base}/checkout/webapp/`)}`,
    `checkoutWebAppVersion: ${jsString(WEBAPP_VERSION)}`,
    `checkoutWebApiBaseUrl: ${jsString(`${base}/checkout/webapi/`)}`,
    `qliroTermsUrl: ${jsString(`${base}/checkout/webapp/terms`)}`,
    `orderId: ${jsString(String(order.orderId))}`,
    `country: ${jsString(order.country)}`,
    `language: ${jsString(order.language)}`,
    `auth: ${jsString(`Bearer sim-session-${order.orderId}`)}`,
    `merchantConfirmationUrl: ${jsString(order.urls.confirmation)}`,
    `merchantTermsUrl: ${jsString(order.urls.terms)}`,
    `customerCheckoutStatus: ${jsString(order.status)}`,
    `merchantIntegrityPolicyUrl: ${jsString(order.urls.integrityPolicy ?? '')}`,
    `view: ${jsString(view)}`,
    `simulator: true`,
    `orderPollSetting: []`,
    `paymentStatusPollSetting: []`,
    `styling: {\r\n${styling}}`,
  ]
    .map((line) => `${line},\r\n`)
    .join('');
  return (
    `<script type="text/javascript">(function(w, g) { w[g] = {\r\n${config}}\r\n})\r\n(window, 'qcoGlobal');</script>` +
    `<div id="qliro-root" data-qliro-simulator="true" data-qliro-order-id="${order.orderId}" ` +
    `data-qliro-status="${htmlEscape(order.status)}" data-qliro-view="${view}"></div>` +
    `<script src="${htmlEscape(`${base}/checkout/webapp/bootstrap.js?v=${WEBAPP_VERSION}`)}" async></script>`
  );
}

/** The simulator's bootstrap.js: renders the checkout iframe into #qliro-root and offers a minimal `q1` API. */
export const BOOTSTRAP_JS = `(function () {
  var config = window.qcoGlobal || {};
  var root = document.getElementById('qliro-root');
  if (!root || !config.orderId) return;
  var iframe = document.createElement('iframe');
  iframe.src = config.checkoutWebAppBaseUrl + 'orders/' + encodeURIComponent(config.orderId) + '?view=' + encodeURIComponent(config.view || 'checkout');
  iframe.title = 'Qliro Checkout (simulator)';
  iframe.style.width = '100%';
  iframe.style.minHeight = '480px';
  iframe.style.border = '0';
  root.appendChild(iframe);
  var listeners = {};
  var on = function (name) { return function (cb) { (listeners[name] = listeners[name] || []).push(cb); }; };
  var q1 = {
    lock: function () { root.setAttribute('data-qliro-locked', 'true'); },
    unlock: function () { root.removeAttribute('data-qliro-locked'); },
    onOrderUpdated: on('orderUpdated'),
    onCheckoutLoaded: on('checkoutLoaded'),
    onCustomerInfoChanged: on('customerInfoChanged'),
    onPaymentMethodChanged: on('paymentMethodChanged'),
    onShippingMethodChanged: on('shippingMethodChanged'),
    onPaymentDeclined: on('paymentDeclined'),
    onPaymentProcess: function (start, end) { on('paymentProcessStart')(start); on('paymentProcessEnd')(end); },
    onSessionExpired: on('sessionExpired'),
    excludeResultModules: function () {}
  };
  window.q1 = q1;
  iframe.addEventListener('load', function () {
    (listeners.checkoutLoaded || []).forEach(function (cb) { cb(); });
  });
  if (typeof window.q1Ready === 'function') window.q1Ready(q1);
})();
`;
