// Integer parsing for the numeric operators (@eq @ge @gt @le @lt), as ModSecurity v3 does it: the
// leading integer of the text (after C whitespace, with an optional sign) counts and the rest is
// ignored; text without one is 0. @eq uses std::stoi (32-bit: out of range → 0); the others use
// atoll (64-bit, saturating). Results beyond 2^53 are bigints so comparisons stay exact.
import { isCSpace } from './operand.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The leading integer: a number when it has at most 15 digits (exact, and no allocation: this runs
 * per value), else the digit string with its sign for the slow path; null when there is none.
 */
function leading(s: string): number | { neg: boolean; digits: string } | null {
  let i = 0;
  const n = s.length;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i++;
  }
  const start = i;
  let v = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    i++;
  }
  if (i === start) return null;
  if (i - start <= 15) return neg ? -v + 0 : v; // `+ 0` turns -0 into 0
  return { neg, digits: s.slice(start, i) };
}

/** std::stoi semantics with ModSecurity's catch-all: no number or out of int range → 0. */
export function parseInt32(s: string): number {
  const d = leading(s);
  if (d === null) return 0;
  const v = typeof d === 'number' ? d : Number(BigInt(d.digits)) * (d.neg ? -1 : 1); // e.g. 000…05
  return v < INT32_MIN || v > INT32_MAX ? 0 : v + 0;
}

/** atoll semantics: no number → 0, saturating at the 64-bit limits. */
export function parseInt64(s: string): number | bigint {
  const d = leading(s);
  if (d === null) return 0;
  if (typeof d === 'number') return d;
  let v = BigInt(d.digits);
  if (d.neg) v = -v;
  if (v > INT64_MAX) v = INT64_MAX;
  if (v < INT64_MIN) v = INT64_MIN;
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}
