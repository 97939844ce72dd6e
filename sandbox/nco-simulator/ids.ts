// Ids in NCO's styles: orders `oqAtVOMu`, payments `pyTWfWFQDxIwodoImZHAfSsZvON`, hooks `oc_…`,
// shippings `s_…`, cart items `ci_…`, payment actions `pa_…`. Opaque strings to everyone else.
import { randomInt } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const letters = (n: number): string => Array.from({ length: n }, () => LETTERS[randomInt(LETTERS.length)]).join('');

export const ncoIds = {
  order: (): string => `o${letters(7)}`,
  payment: (): string => `p${letters(26)}`,
  hook: (): string => `oc_${letters(26)}`,
  shipping: (): string => `s_${letters(26)}`,
  cartItem: (): string => `ci_${letters(26)}`,
  paymentAction: (): string => `pa_${letters(26)}`,
};
