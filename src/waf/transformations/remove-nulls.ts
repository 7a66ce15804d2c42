import { registerTransformation } from './registry.js';

// t:removeNulls: drops every NUL byte.
export function removeNulls(input: string): string {
  return input.indexOf('\0') < 0 ? input : input.replaceAll('\0', '');
}

registerTransformation('removeNulls', removeNulls);
