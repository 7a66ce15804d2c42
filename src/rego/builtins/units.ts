// units.parse (SI and binary-SI suffixes, "m" = milli) and units.parse_bytes (byte sizes, decimal and
// binary). Amounts may carry a sign, a fraction and a decimal exponent ("1e3K", "-3.5E2m").
//
// units.parse is exact (rational arithmetic) and rounds non-integral results to 10 decimals, as OPA
// does. units.parse_bytes follows OPA's 64-bit-mantissa float arithmetic (amount rounded to 64
// bits, times the unit, rounded again, truncated towards zero), so results agree with OPA's.
import { builtinErr, str } from './args.js';
import { registerBuiltin } from './registry.js';

const KI = 1n << 10n;
const DEC: Record<string, bigint> = { k: 10n ** 3n, m: 10n ** 6n, g: 10n ** 9n, t: 10n ** 12n, p: 10n ** 15n, e: 10n ** 18n };
const BIN: Record<string, bigint> = { k: KI, m: KI ** 2n, g: KI ** 3n, t: KI ** 4n, p: KI ** 5n, e: KI ** 6n };

/** units.parse's suffixes (after its case folding) as multiplier fractions. */
const SI_UNITS = new Map<string, [bigint, bigint]>([
  ['', [1n, 1n]],
  ['m', [1n, 1000n]],
  ['M', [DEC.m as bigint, 1n]],
  ['mi', [BIN.m as bigint, 1n]],
  ['Mi', [BIN.m as bigint, 1n]],
]);
for (const p of ['k', 'g', 't', 'p', 'e']) {
  for (const q of [p, p.toUpperCase()]) {
    SI_UNITS.set(q, [DEC[p] as bigint, 1n]);
    SI_UNITS.set(`${q}i`, [BIN[p] as bigint, 1n]);
  }
}

/** units.parse_bytes' suffixes (lower-cased): "k"/"kb" decimal, "ki"/"kib" binary, and so on. */
const BYTE_UNITS = new Map<string, bigint>([['', 1n]]);
for (const p of ['k', 'm', 'g', 't', 'p', 'e']) {
  BYTE_UNITS.set(p, DEC[p] as bigint).set(`${p}b`, DEC[p] as bigint);
  BYTE_UNITS.set(`${p}i`, BIN[p] as bigint).set(`${p}ib`, BIN[p] as bigint);
}

/** Exponents longer than this many digits are refused (as OPA does). */
const MAX_EXPONENT_DIGITS = 6;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Splits "10.5e3Ki" into the amount ("10.5e3") and the unit ("Ki"). An e/E only belongs to the
 *  amount when a digit or sign follows it ("5E" is 5 with unit E). Returns null when an exponent
 *  has too many digits. */
export function splitAmount(s: string): { num: string; unit: string } | null {
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const e = c === 'e' || c === 'E';
    if (!isDigit(c) && c !== '.' && !e && c !== '+' && c !== '-') return { num: s.slice(0, i), unit: s.slice(i) };
    if (!e) continue;
    const next = s[i + 1];
    if (!isDigit(next) && next !== '+' && next !== '-') return { num: s.slice(0, i), unit: s.slice(i) };
    if (next === '+' || next === '-') i++;
    let end = i + 1;
    while (isDigit(s[end])) end++;
    if (end - (i + 1) > MAX_EXPONENT_DIGITS) return null;
  }
  return { num: s, unit: '' };
}

const AMOUNT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** An amount as mant × 10^exp10 (exact), or null when it is not a number. */
export function parseAmount(num: string): { mant: bigint; exp10: number } | null {
  const m = AMOUNT.exec(num);
  if (m === null) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const mag = BigInt(int + frac || '0');
  return { mant: m[1] === '-' ? -mag : mag, exp10: Number(m[4] ?? '0') - frac.length };
}

function digits(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/** Numerator/denominator of the amount when its magnitude is sane; 'zero' when it is too small to
 *  matter after rounding; 'huge' when no double can hold it. */
function rational(a: { mant: bigint; exp10: number }): [bigint, bigint] | 'zero' | 'huge' {
  if (a.mant === 0n) return [0n, 1n];
  const mag = digits(a.mant) + a.exp10;
  if (mag > 330) return 'huge';
  if (mag < -60) return 'zero';
  return a.exp10 >= 0 ? [a.mant * 10n ** BigInt(a.exp10), 1n] : [a.mant, 10n ** BigInt(-a.exp10)];
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds the positive rational num/den to a 64-bit mantissa (nearest, ties to even): m × 2^e. */
function round64(num: bigint, den: bigint): [bigint, number] {
  let e = bitLength(num) - bitLength(den) - 64;
  for (;;) {
    const n = e >= 0 ? num : num << BigInt(-e);
    const d = e >= 0 ? den << BigInt(e) : den;
    let q = n / d;
    const r = n - q * d;
    if (q >= 1n << 64n) {
      e++;
      continue;
    }
    if (q < 1n << 63n) {
      e--;
      continue;
    }
    if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q++;
    if (q === 1n << 64n) return [1n << 63n, e + 1];
    return [q, e];
  }
}

/** Rounds m × 2^e (m > 0) to 64 significant bits. */
function roundMant(m: bigint, e: number): [bigint, number] {
  if (bitLength(m) <= 64) return [m, e];
  const [q, qe] = round64(m, 1n);
  return [q, qe + e];
}

function toDouble(name: string, n: bigint): number {
  const x = Number(n);
  if (!Number.isFinite(x)) throw builtinErr(name, 'amount out of range');
  return x === 0 ? 0 : x;
}

registerBuiltin({
  name: 'units.parse',
  decl: { args: ['string'], result: 'number' },
  fn: (args) => {
    const name = 'units.parse';
    const s = str(args, 0, name).replaceAll('"', '');
    if (s.includes(' ')) throw builtinErr(name, 'spaces not allowed in resource strings');
    const split = splitAmount(s);
    if (split === null) throw builtinErr(name, 'exponent too large');
    if (split.num === '') throw builtinErr(name, 'no amount provided');
    // Only the letters after the first are case-insensitive, so "m" (milli) and "M" (mega) differ.
    let unit = split.unit;
    if (unit.length > 1) unit = unit[0] + unit.slice(1).toLowerCase();
    const mult = SI_UNITS.get(unit);
    if (mult === undefined) throw builtinErr(name, `unit ${unit} not recognized`);
    const [multNum, multDen] = mult;
    const amount = parseAmount(split.num);
    if (amount === null) throw builtinErr(name, 'could not parse amount to a number');
    const r = rational(amount);
    if (r === 'zero') return 0;
    if (r === 'huge') throw builtinErr(name, 'amount out of range');
    const num = r[0] * multNum;
    const den = r[1] * multDen;
    if (num % den === 0n) return toDouble(name, num / den);
    // Non-integers: ten decimals, the last rounded half away from zero (OPA's FloatString(10)).
    const neg = num < 0n;
    const abs = neg ? -num : num;
    const scaled = (abs * 10n ** 10n * 2n + den) / (2n * den);
    const text = scaled.toString().padStart(11, '0');
    const x = Number(`${neg ? '-' : ''}${text.slice(0, -10)}.${text.slice(-10)}`);
    if (!Number.isFinite(x)) throw builtinErr(name, 'amount out of range');
    return x === 0 ? 0 : x;
  },
});

registerBuiltin({
  name: 'units.parse_bytes',
  decl: { args: ['string'], result: 'number' },
  fn: (args) => {
    const name = 'units.parse_bytes';
    const s = str(args, 0, name).toLowerCase().replaceAll('"', '');
    if (s.includes(' ')) throw builtinErr(name, 'spaces not allowed in resource strings');
    const split = splitAmount(s);
    if (split === null) throw builtinErr(name, 'exponent too large');
    if (split.num === '') throw builtinErr(name, 'no byte amount provided');
    const unit = split.unit;
    const mult = BYTE_UNITS.get(unit);
    if (mult === undefined) throw builtinErr(name, `byte unit ${unit} not recognized`);
    const amount = parseAmount(split.num);
    if (amount === null) throw builtinErr(name, 'could not parse byte amount to a number');
    const r = rational(amount);
    if (r === 'zero' || r[0] === 0n) return 0;
    if (r === 'huge') throw builtinErr(name, 'amount out of range');
    const neg = r[0] < 0n;
    const [m, e] = round64(neg ? -r[0] : r[0], r[1]);
    const [pm, pe] = roundMant(m * mult, e);
    const whole = pe >= 0 ? pm << BigInt(pe) : pm >> BigInt(-pe);
    return toDouble(name, neg ? -whole : whole);
  },
});
