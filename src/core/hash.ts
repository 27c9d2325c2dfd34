/** Content hashes: SHA-256 of UTF-8 text, in hex. */
import crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string;
/** `crypto.hash` (Node ≥ 20.12): one call, no Hash object; about twice as fast on short texts. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export function sha256(text: string | Uint8Array): string {
  if (oneShot !== undefined) return oneShot('sha256', text, 'hex');
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The 16-hex-digit (64-bit) hash stored for each unit. */
export function unitHash(text: string): string {
  return sha256(text).slice(0, 16);
}
