import { createHash } from 'node:crypto';
import { registerTransformation } from './registry.js';

// t:md5: the raw 16-byte MD5 digest of the value's bytes, as a byte string.
export function md5(input: string): string {
  return createHash('md5').update(input, 'latin1').digest().toString('latin1');
}

registerTransformation('md5', md5);
