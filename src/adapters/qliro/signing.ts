// Qliro's request signature: `Authorization: Qliro base64(sha256(body + secret))`, raw 32-byte digest.
import { createHash } from 'node:crypto';

/** The bare token: base64 of the raw SHA-256 digest of the exact body bytes followed by the secret. */
export function qliroToken(body: string, secret: string): string {
  return createHash('sha256').update(body + secret, 'utf8').digest('base64');
}

/** The `Authorization` header value for a request whose body is `body` ('' for GET and other body-less calls). */
export function qliroAuthorization(body: string, secret: string): string {
  return `Qliro ${qliroToken(body, secret)}`;
}
