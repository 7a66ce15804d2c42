import { createHash } from 'node:crypto';
import { registerTransformation } from './registry.js';

// t:sha1: the raw 20-byte SHA-1 digest of the value's bytes, as a byte string (CRS follows it with
// t:hexEncode to get the usual hex form).
export function sha1(input: string): string {
  return createHash('sha1').update(input, 'latin1').digest().toString('latin1');
}

registerTransformation('sha1', sha1);
