/** Content hashes: SHA-256 of UTF-8 text, in hex. */
import { createHash } from 'node:crypto';

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The 16-hex-digit (64-bit) hash stored for each unit. */
export function unitHash(text: string): string {
  return sha256(text).slice(0, 16);
}
