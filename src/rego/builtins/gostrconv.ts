// Go's strconv behaviour that OPA's output depends on: float formatting (FormatFloat with the
// 'e', 'E', 'f', 'g', 'G', 'b', 'x', 'X' formats, correctly rounded, ties to even) and string/rune
// quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote, IsPrint).

/** A positive decimal: digits d (no leading zeros; empty for zero) with the point after dp digits. */
interface Decimal {
  d: string;
  dp: number;
}

const F64 = new DataView(new ArrayBuffer(8));

/** The IEEE fields: v = mant * 2^exp exactly, mant an integer (sign ignored). Also returns Go's
 *  unbiased exponent and mantissa-with-implicit-bit, which the 'b' and 'x' formats print. */
function bits(v: number): { mant: bigint; exp: number } {
  F64.setFloat64(0, v);
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (e === 0) exp = -1022;
  else {
    mant |= 1n << 52n;
    exp = e - 1023;
  }
  return { mant, exp }; // value = mant * 2^(exp - 52)
}

/** The exact decimal expansion of a finite v > 0 (every double has a finite one). */
function exactDecimal(v: number): Decimal {
  const { mant, exp } = bits(v);
  const e2 = exp - 52;
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  let end = s.length;
  while (end > 0 && s[end - 1] === '0') end--;
  return { d: s.slice(0, end), dp };
}

/** The shortest digits that read back as v (what JS and Go both produce for round-trips). */
function shortestDecimal(v: number): Decimal {
  const [m, e] = v.toExponential().split('e') as [string, string];
  return { d: m.replace('.', ''), dp: Number(e) + 1 };
}

/** Rounds to nd digits, half to even on exact ties (the decimal is exact, so a tie is a tie). */
function round(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 /* 5 */ && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 53;
  if (!up) {
    let end = nd;
    while (end > 0 && a.d[end - 1] === '0') end--;
    return { d: a.d.slice(0, end), dp: a.dp };
  }
  let i = nd - 1;
  while (i >= 0 && a.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(neg: boolean, a: Decimal, prec: number, ch: string): string {
  let s = neg ? '-' : '';
  s += a.d.length ? a.d[0] : '0';
  if (prec > 0) {
    s += '.';
    const frac = a.d.slice(1, Math.min(a.d.length, prec + 1));
    s += frac + '0'.repeat(prec - frac.length);
  }
  let exp = a.d.length === 0 ? 0 : a.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${s}${ch}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

function fmtF(neg: boolean, a: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  if (a.dp > 0) {
    const m = Math.min(a.d.length, a.dp);
    s += a.d.slice(0, m) + '0'.repeat(a.dp - m);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = a.dp + i - 1;
      s += j >= 0 && j < a.d.length ? a.d[j] : '0';
    }
  }
  return s;
}

function fmtB(neg: boolean, v: number): string {
  const { mant, exp } = bits(v);
  const e = exp - 52;
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

/** %x / %X: -0x1.hhhhp±dd, mantissa rounded to prec hex digits (all of them when prec < 0). */
function fmtX(neg: boolean, v: number, prec: number, upper: boolean): string {
  let { mant, exp } = bits(v);
  if (mant === 0n) exp = 0;
  mant <<= 8n; // leading 1 (if any) at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  const M60 = (1n << 60n) - 1n;
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & M60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let s = `${neg ? '-' : ''}0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = () => {
    const d = hex[Number((mant >> 60n) & 15n)];
    mant = (mant << 4n) & ((1n << 64n) - 1n);
    return d;
  };
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) s += digit();
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digit();
  }
  const e = Math.abs(exp);
  return `${s}${upper ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
}

/** strconv.FormatFloat(v, fmt, prec, 64); prec < 0 means the shortest exact representation. */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const x = Math.abs(v);
  if (fmt === 'b') return fmtB(neg, x);
  if (fmt === 'x' || fmt === 'X') return fmtX(neg, x, prec, fmt === 'X');
  const shortest = prec < 0;
  let a: Decimal;
  if (x === 0) a = { d: '', dp: 0 };
  else if (shortest) a = shortestDecimal(x);
  else {
    a = exactDecimal(x);
    if (fmt === 'e' || fmt === 'E') a = round(a, prec + 1);
    else if (fmt === 'f') a = round(a, a.dp + prec);
    else {
      if (prec === 0) prec = 1;
      a = round(a, prec);
    }
  }
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = Math.max(a.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(a.d.length - a.dp, 0);
    else prec = a.d.length;
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, a, prec, fmt);
    case 'f':
      return fmtF(neg, a, prec);
    case 'g':
    case 'G': {
      let eprec = prec;
      if (eprec > a.d.length && a.d.length >= a.dp) eprec = a.d.length;
      if (shortest) eprec = 6;
      const exp = a.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > a.d.length) prec = a.d.length;
        return fmtE(neg, a, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > a.dp) prec = a.d.length;
      return fmtF(neg, a, Math.max(prec - a.dp, 0));
    }
  }
  return `%${fmt}`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

const SIMPLE_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 92) return `\\${String.fromCharCode(r)}`;
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  const simple = SIMPLE_ESCAPES[r];
  if (simple) return simple;
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd';
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/** strconv.Quote (asciiOnly: QuoteToASCII). A lone surrogate stands for invalid UTF-8 (U+FFFD). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) as number, 34, asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). */
export function goQuoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return `'${escapeRune(r, 39, asciiOnly)}'`;
}

/** strconv.CanBackquote: one line, no control characters but tab, no backquote or BOM. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    if (r === 0xfeff || (r >= 0xd800 && r <= 0xdfff)) return false;
    if ((r < 0x20 && r !== 9) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

/** The '#' flag on floats: keep the decimal point, and for %g/%v the trailing zeros. */
export function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x' || verb === 'X') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '.') hasPoint = true;
    else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    } else {
      if (c !== '0') sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}
