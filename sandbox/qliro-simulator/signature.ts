// The simulated Qliro's own check of `Authorization: Qliro <token>` (kept apart from the adapter's signing on purpose).
import { createHash, timingSafeEqual } from 'node:crypto';

export interface SimulatedMerchant {
  readonly apiKey: string;
  readonly secret: string;
}

/** base64(sha256(rawBodyBytes + secret)), the raw 32-byte digest; body-less requests hash the secret alone. */
export const expectedToken = (rawBody: Buffer, secret: string): string =>
  createHash('sha256').update(Buffer.concat([rawBody, Buffer.from(secret, 'utf8')])).digest('base64');

const tokenOf = (authorization: string | undefined): string | undefined =>
  /^Qliro\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Finds the merchant a request is signed by, the way Qliro must: by MerchantApiKey for bodies, by token for GETs. */
export class MerchantDirectory {
  private readonly byApiKey: Map<string, SimulatedMerchant>;
  private readonly byGetToken: Map<string, SimulatedMerchant>;

  constructor(merchants: readonly SimulatedMerchant[]) {
    this.byApiKey = new Map(merchants.map((m) => [m.apiKey, m]));
    this.byGetToken = new Map(merchants.map((m) => [expectedToken(Buffer.alloc(0), m.secret), m]));
  }

  /** POST/PUT: the merchant named in the body, when the token is the signature of exactly the bytes received. */
  forSignedBody(apiKey: string, rawBody: Buffer, authorization: string | undefined): SimulatedMerchant | undefined {
    const merchant = this.byApiKey.get(apiKey);
    const token = tokenOf(authorization);
    if (!merchant || token === undefined) return undefined;
    return sameToken(token, expectedToken(rawBody, merchant.secret)) ? merchant : undefined;
  }

  /** GET: the token is sha256(secret), constant per merchant, and identifies it. */
  forGet(authorization: string | undefined): SimulatedMerchant | undefined {
    const token = tokenOf(authorization);
    return token === undefined ? undefined : this.byGetToken.get(token);
  }
}
