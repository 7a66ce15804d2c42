import { Buffer } from 'node:buffer';
import { registerTransformation } from './registry.js';

// t:hexEncode: each byte as two lowercase hex digits.
export function hexEncode(input: string): string {
  return input.length === 0 ? input : Buffer.from(input, 'latin1').toString('hex');
}

registerTransformation('hexEncode', hexEncode);
