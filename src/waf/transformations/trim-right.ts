import { registerTransformation } from './registry.js';
import { rightEdge } from './trim.js';

// t:trimRight: removes trailing whitespace (space, \t, \n, \v, \f, \r).
export function trimRight(input: string): string {
  const j = rightEdge(input, 0);
  return j === input.length ? input : input.slice(0, j);
}

registerTransformation('trimRight', trimRight);
