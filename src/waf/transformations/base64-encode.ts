import { Buffer } from 'node:buffer';
import { registerTransformation } from './registry.js';

// t:base64Encode: standard alphabet with '=' padding, over the value's bytes.
export function base64Encode(input: string): string {
  return input.length === 0 ? input : Buffer.from(input, 'latin1').toString('base64');
}

registerTransformation('base64Encode', base64Encode);
