// semver.is_valid and semver.compare, following Semantic Versioning 2.0.0 strictly: MAJOR.MINOR.PATCH
// without leading zeros, optional "-" pre-release and "+" build identifiers (non-empty, [0-9A-Za-z-],
// numeric pre-release identifiers without leading zeros). Build metadata does not affect order.
import { builtinErr, str } from './args.js';
import { goQuote } from './gostrconv.js';
import { registerBuiltin } from './registry.js';

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
  build: string[];
}

const NUMERIC = /^(?:0|[1-9][0-9]*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;

function identifiers(s: string, preRelease: boolean): string[] | null {
  const parts = s.split('.');
  for (const p of parts) {
    if (!IDENT.test(p)) return null;
    if (preRelease && DIGITS.test(p) && !NUMERIC.test(p)) return null;
  }
  return parts;
}

export function parseSemVer(s: string): SemVer | null {
  let rest = s;
  let build: string[] = [];
  const plus = rest.indexOf('+');
  if (plus >= 0) {
    const b = identifiers(rest.slice(plus + 1), false);
    if (b === null) return null;
    build = b;
    rest = rest.slice(0, plus);
  }
  let pre: string[] = [];
  const dash = rest.indexOf('-');
  if (dash >= 0) {
    const p = identifiers(rest.slice(dash + 1), true);
    if (p === null) return null;
    pre = p;
    rest = rest.slice(0, dash);
  }
  const core = rest.split('.');
  if (core.length !== 3 || !core.every((c) => NUMERIC.test(c))) return null;
  return { major: BigInt(core[0] as string), minor: BigInt(core[1] as string), patch: BigInt(core[2] as string), pre, build };
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Precedence per SemVer 2.0.0 §11: -1, 0 or 1. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const c = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (c !== 0) return c;
  // A version without pre-release identifiers ranks above one with them.
  if (a.pre.length === 0 || b.pre.length === 0) return cmpBig(BigInt(b.pre.length), BigInt(a.pre.length));
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const x = a.pre[i] as string;
    const y = b.pre[i] as string;
    const xn = DIGITS.test(x);
    const yn = DIGITS.test(y);
    let d: number;
    if (xn && yn) d = cmpBig(BigInt(x), BigInt(y));
    else if (xn !== yn)
      d = xn ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    else d = x < y ? -1 : x > y ? 1 : 0; // ASCII order
    if (d !== 0) return d;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

registerBuiltin({
  name: 'semver.is_valid',
  decl: { args: ['any'], result: 'boolean' },
  fn: (args) => {
    const v = args[0];
    return typeof v === 'string' && parseSemVer(v) !== null;
  },
});

registerBuiltin({
  name: 'semver.compare',
  decl: { args: ['string', 'string'], result: 'number' },
  fn: (args) => {
    const a = str(args, 0, 'semver.compare');
    const b = str(args, 1, 'semver.compare');
    const va = parseSemVer(a);
    if (va === null) throw builtinErr('semver.compare', `operand 1: string ${goQuote(a)} is not a valid SemVer`);
    const vb = parseSemVer(b);
    if (vb === null) throw builtinErr('semver.compare', `operand 2: string ${goQuote(b)} is not a valid SemVer`);
    return compareSemVer(va, vb);
  },
});
