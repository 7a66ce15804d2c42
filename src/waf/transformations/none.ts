import { registerTransformation } from './registry.js';

// t:none tells the rule compiler to drop the transformations inherited so far; that is handled where
// chains are built. Applied as a function it leaves the value as it is.
export function none(input: string): string {
  return input;
}

registerTransformation('none', none);
