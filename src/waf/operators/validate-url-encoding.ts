// @validateUrlEncoding: matches when the value holds an invalid %-encoding — a '%' not followed by
// two hex digits, including one too close to the end. Valid or %-free values (and empty ones) do
// not match. No parameter.
import { registerOperator } from './registry.js';

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export function invalidUrlEncoding(value: string): boolean {
  const n = value.length;
  let i = value.indexOf('%');
  while (i >= 0) {
    if (i + 2 >= n) return true; // not enough characters left
    if (!isHex(value.charCodeAt(i + 1)) || !isHex(value.charCodeAt(i + 2))) return true;
    i = value.indexOf('%', i + 3);
  }
  return false;
}

registerOperator({
  name: 'validateUrlEncoding',
  create() {
    return { evaluate: (_ctx, value) => invalidUrlEncoding(value) };
  },
});
