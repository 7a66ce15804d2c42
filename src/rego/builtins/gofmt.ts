// Go's fmt.Sprintf over the handful of Go types OPA hands it (sprintf) or text/template prints:
// int, *big.Int, float64, string (or a named string type such as json.Number), bool, nil,
// []interface{} and map[string]interface{}. Verbs, flags, width, precision, argument indexes and
// the %!verb(type=value) error forms follow the fmt package's documented behaviour.
import { canBackquote, formatFloat, goQuote, goQuoteRune, isPrint, sharpFloat } from './gostrconv.js';

export type GoValue =
  | { k: 'int'; v: bigint }
  | { k: 'bigint'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'string'; v: string; type?: string }
  | { k: 'bool'; v: boolean }
  | { k: 'nil' }
  | { k: 'slice'; v: GoValue[] }
  | { k: 'map'; v: Array<[string, GoValue]> };

export function goTypeName(a: GoValue): string {
  switch (a.k) {
    case 'int':
      return 'int';
    case 'bigint':
      return '*big.Int';
    case 'float':
      return 'float64';
    case 'string':
      return a.type ?? 'string';
    case 'bool':
      return 'bool';
    case 'nil':
      return '<nil>';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

const MAX_NUM = 1e6; // fmt treats larger widths/precisions as malformed
const INT_BASES: Record<string, number> = { v: 10, d: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

class Printer {
  out = '';
  // flags
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;
  // argument bookkeeping
  reordered = false;
  goodArgNum = true;

  clearFlags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }

  writePadding(n: number): void {
    if (n > 0) this.out += (this.zero ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.out += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.out += s;
    } else {
      this.out += s;
      this.writePadding(width);
    }
  }

  /** pad() with zero padding switched off (numbers that did their own zero filling). */
  padNoZero(s: string): void {
    const z = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = z;
  }

  fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const negative = v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const z = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = z;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8 && s[0] !== '0') s = `0${s}`;
      else if (base === 16) s = (upper ? '0X' : '0x') + s;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    this.padNoZero(s);
  }

  fmtUnicode(v: bigint): void {
    const u = v < 0n ? v + (1n << 64n) : v;
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    let s = `U+${u.toString(16).toUpperCase().padStart(prec, '0')}`;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    this.padNoZero(s);
  }

  /** A rune from an integer: out-of-range values become U+FFFD. */
  static rune(v: bigint): number {
    if (v < 0n || v > 0x10ffffn) return 0xfffd;
    const r = Number(v);
    return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
  }

  fmtInt(v: bigint, verb: string): void {
    const base = INT_BASES[verb];
    if (base !== undefined) this.fmtInteger(v, base, verb, verb === 'X');
    else if (verb === 'c') this.pad(String.fromCodePoint(Printer.rune(v)));
    else if (verb === 'q') this.pad(goQuoteRune(Printer.rune(v), this.plus));
    else if (verb === 'U') this.fmtUnicode(v);
    else this.badVerb(verb, { k: 'int', v });
  }

  /** *big.Int implements fmt.Formatter itself; this is its Format method. */
  fmtBigInt(x: bigint, verb: string): void {
    const base = { b: 2, o: 8, O: 8, d: 10, s: 10, v: 10, x: 16, X: 16 }[verb];
    if (base === undefined) {
      this.out += `%!${verb}(big.Int=${x})`;
      return;
    }
    const sign = x < 0n ? '-' : this.plus ? '+' : this.space ? ' ' : '';
    let prefix = '';
    if (this.sharp || this.sharpV) prefix = ({ b: '0b', o: '0', x: '0x', X: '0X' } as Record<string, string>)[verb] ?? '';
    if (verb === 'O') prefix = '0o';
    let digits = (x < 0n ? -x : x).toString(base);
    if (verb === 'X') digits = digits.toUpperCase();
    let zeros = 0;
    let left = 0;
    let right = 0;
    if (this.precPresent) {
      if (digits.length < this.prec) zeros = this.prec - digits.length;
      else if (digits === '0' && this.prec === 0) return;
    }
    const length = sign.length + prefix.length + zeros + digits.length;
    if (this.widPresent && length < this.wid) {
      const d = this.wid - length;
      if (this.minus) right = d;
      else if (this.zero && !this.precPresent) zeros = d;
      else left = d;
    }
    this.out += ' '.repeat(left) + sign + prefix + '0'.repeat(zeros) + digits + ' '.repeat(right);
  }

  fmtFloat(v: number, verb: string, defPrec: number): void {
    const prec = this.precPresent ? this.prec : defPrec;
    const conv = verb === 'v' ? 'g' : verb === 'F' ? 'f' : verb;
    let num = formatFloat(v, conv, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.padNoZero(num);
      return;
    }
    if (this.sharp && conv !== 'b') num = sharpFloat(num, conv, prec);
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.out += num[0];
        this.writePadding(this.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtFloatVerb(v: number, verb: string): void {
    if ('vbgGxX'.includes(verb)) this.fmtFloat(v, verb, -1);
    else if ('feEF'.includes(verb)) this.fmtFloat(v, verb, 6);
    else this.badVerb(verb, { k: 'float', v });
  }

  truncate(s: string): string {
    if (!this.precPresent) return s;
    let n = this.prec;
    let i = 0;
    for (const ch of s) {
      if (--n < 0) return s.slice(0, i);
      i += ch.length;
    }
    return s;
  }

  fmtSx(s: string, upper: boolean): void {
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    const b = Buffer.from(s, 'utf8');
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    const x = upper ? '0X' : '0x';
    let out = this.sharp ? x : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) out += this.sharp ? ` ${x}` : ' ';
      const c = b[i] as number;
      out += (digits[c >> 4] as string) + (digits[c & 15] as string);
    }
    this.out += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(goQuote(s, this.plus));
  }

  fmtString(v: GoValue & { k: 'string' }, verb: string): void {
    if (verb === 'q' || (verb === 'v' && this.sharpV)) this.fmtQ(v.v);
    else if (verb === 'v' || verb === 's') this.pad(this.truncate(v.v));
    else if (verb === 'x' || verb === 'X') this.fmtSx(v.v, verb === 'X');
    else this.badVerb(verb, v);
  }

  badVerb(verb: string, arg: GoValue): void {
    this.out += `%!${verb}(`;
    if (arg.k === 'nil') this.out += '<nil>';
    else {
      this.out += `${goTypeName(arg)}=`;
      this.printArg(arg, 'v', 0);
    }
    this.out += ')';
  }

  printArg(arg: GoValue, verb: string, depth: number): void {
    if (arg.k === 'nil') {
      if (verb === 'T' || verb === 'v') this.pad(depth > 0 && this.sharpV ? 'interface {}(nil)' : '<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(goTypeName(arg)));
      return;
    }
    if (arg.k === 'bool') {
      if (verb === 't' || verb === 'v') this.pad(arg.v ? 'true' : 'false');
      else this.badVerb(verb, arg);
    } else if (arg.k === 'int') this.fmtInt(arg.v, verb);
    else if (arg.k === 'bigint') this.fmtBigInt(arg.v, verb);
    else if (arg.k === 'float') this.fmtFloatVerb(arg.v, verb);
    else if (arg.k === 'string') this.fmtString(arg, verb);
    else this.printComposite(arg, verb, depth);
  }

  /** []interface{} and map[string]interface{}: the verb applies to each element. */
  printComposite(arg: GoValue & { k: 'slice' | 'map' }, verb: string, depth: number): void {
    switch (arg.k) {
      case 'slice': {
        this.out += this.sharpV ? '[]interface {}{' : '[';
        arg.v.forEach((e, i) => {
          if (i > 0) this.out += this.sharpV ? ', ' : ' ';
          this.printArg(e, verb, depth + 1);
        });
        this.out += this.sharpV ? '}' : ']';
        return;
      }
      case 'map': {
        this.out += this.sharpV ? 'map[string]interface {}{' : 'map[';
        const entries = [...arg.v].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        entries.forEach(([k, e], i) => {
          if (i > 0) this.out += this.sharpV ? ', ' : ' ';
          this.printArg({ k: 'string', v: k }, verb, depth + 1);
          this.out += ':';
          this.printArg(e, verb, depth + 1);
        });
        this.out += this.sharpV ? '}' : ']';
        return;
      }
    }
  }

  /** fmt's explicit argument index "[n]" at format[i]. */
  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.out += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearFlags();
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = !this.minus;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            this.zero = false;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            break flags;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.widPresent) this.out += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parseNum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(a, argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.out += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parseNum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.out += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i) as number);
      i += verb.length;
      if (verb === '%') {
        this.out += '%';
        continue;
      }
      if (!this.goodArgNum) {
        this.out += `%!${verb}(BADINDEX)`;
        continue;
      }
      if (argNum >= a.length) {
        this.out += `%!${verb}(MISSING)`;
        continue;
      }
      if (verb === 'v') {
        this.sharpV = this.sharp;
        this.sharp = false;
        this.plusV = this.plus;
        this.plus = false;
      }
      this.printArg(a[argNum] as GoValue, verb, 0);
      argNum++;
    }
    if (!this.reordered && argNum < a.length) {
      this.clearFlags();
      this.out += '%!(EXTRA ';
      for (let j = argNum; j < a.length; j++) {
        if (j > argNum) this.out += ', ';
        const arg = a[j] as GoValue;
        if (arg.k === 'nil') this.out += '<nil>';
        else {
          this.out += `${goTypeName(arg)}=`;
          this.printArg(arg, 'v', 0);
        }
      }
      this.out += ')';
    }
  }
}

function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (num > MAX_NUM) return [0, false, end];
    num = num * 10 + s.charCodeAt(i) - 48;
    isnum = true;
  }
  return [num, isnum, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parseNum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: GoValue[], argNum: number): [number, boolean, number] {
  if (argNum >= a.length) return [0, false, argNum];
  const arg = a[argNum] as GoValue;
  if (arg.k !== 'int' || arg.v > BigInt(MAX_NUM) || arg.v < -BigInt(MAX_NUM)) return [0, false, argNum + 1];
  return [Number(arg.v), true, argNum + 1];
}

/** fmt.Sprintf(format, args...). */
export function goSprintf(format: string, args: GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.out;
}

/** fmt.Sprint of one value (what text/template writes for {{value}}). */
export function goSprint(v: GoValue): string {
  const p = new Printer();
  p.printArg(v, 'v', 0);
  return p.out;
}
