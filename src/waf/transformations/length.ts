import { registerTransformation } from './registry.js';

// t:length: the value's length in bytes, as decimal text.
export function length(input: string): string {
  return String(input.length);
}

registerTransformation('length', length);
