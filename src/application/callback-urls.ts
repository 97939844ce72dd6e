// The URLs the adapter hands to Qliro (callbacks, with a signed token) and to NCO (hooks) — BEHAVIOUR §3.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InjectionToken } from 'tsyringe';
import type { ChannelRef } from '../domain/channel-configuration';

export interface CallbackSubject extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
}

export type QliroCallback = 'push' | 'validate' | 'status';
export type NorceHookCallback = 'cart-changed' | 'state-changed';

export const CallbackSigningSecretToken: InjectionToken<string> = Symbol('CallbackSigningSecret');

const callbackPath = (s: CallbackSubject, name: string): string =>
  `/api/checkout/v1/callback/orders/${encodeURIComponent(s.orderId)}/payments/${encodeURIComponent(s.paymentId)}/${name}`;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Signs and checks callback tokens. The token never expires: order-management pushes come weeks later. */
export class CallbackTokens {
  constructor(private readonly secret: string) {}

  sign(s: CallbackSubject): string {
    // Unit separators keep ("ab","c") and ("a","bc") apart.
    const material = [s.orderId, s.paymentId, s.merchant, s.channel].join('\u001f');
    return createHmac('sha256', this.secret).update(material, 'utf8').digest('base64url');
  }

  verify(s: CallbackSubject, token: string | undefined): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.sign(s), 'utf8');
    const given = Buffer.from(token, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  qliroCallbackUrl(publicUrl: string, s: CallbackSubject, name: QliroCallback): string {
    const query = new URLSearchParams({ merchant: s.merchant, channel: s.channel, token: this.sign(s) });
    return `${trimSlash(publicUrl)}${callbackPath(s, name)}?${query.toString()}`;
  }

  norceHookUrl(internalUrl: string, s: CallbackSubject, name: NorceHookCallback): string {
    return `${trimSlash(internalUrl)}${callbackPath(s, name)}`;
  }
}

/** `{orderId}`, `{merchant}`, `{channel}` placeholders in the configured redirect URLs. */
export function fillUrlTemplate(template: string, values: { orderId: string; merchant: string; channel: string }): string {
  return template
    .replace(/\{orderId\}/g, encodeURIComponent(values.orderId))
    .replace(/\{merchant\}/g, encodeURIComponent(values.merchant))
    .replace(/\{channel\}/g, encodeURIComponent(values.channel));
}
