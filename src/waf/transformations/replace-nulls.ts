import { registerTransformation } from './registry.js';

// t:replaceNulls: every NUL byte becomes a space.
export function replaceNulls(input: string): string {
  return input.indexOf('\0') < 0 ? input : input.replaceAll('\0', ' ');
}

registerTransformation('replaceNulls', replaceNulls);
