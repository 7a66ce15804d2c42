// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): splitting a layout into elements and
// time.Parse, following the Go time package's documented behaviour and messages (Time.Format is in
// go-time-format.ts).
import { DAY_NAMES, daysIn, fromWallClock, isLeap, MONTH_NAMES } from './civil.js';
import { goQuote } from './go-duration.js';

export type Std =
  | 'LongMonth'
  | 'Month'
  | 'NumMonth'
  | 'ZeroMonth'
  | 'LongWeekDay'
  | 'WeekDay'
  | 'Day'
  | 'UnderDay'
  | 'ZeroDay'
  | 'UnderYearDay'
  | 'ZeroYearDay'
  | 'Hour'
  | 'Hour12'
  | 'ZeroHour12'
  | 'Minute'
  | 'ZeroMinute'
  | 'Second'
  | 'ZeroSecond'
  | 'LongYear'
  | 'Year'
  | 'PM'
  | 'pm'
  | 'TZ'
  | 'ISO8601TZ'
  | 'ISO8601SecondsTZ'
  | 'ISO8601ShortTZ'
  | 'ISO8601ColonTZ'
  | 'ISO8601ColonSecondsTZ'
  | 'NumTZ'
  | 'NumSecondsTZ'
  | 'NumShortTZ'
  | 'NumColonTZ'
  | 'NumColonSecondsTZ'
  | 'Frac0'
  | 'Frac9';

export interface Chunk {
  prefix: string;
  std: Std | null;
  /** The layout text of the element. */
  text: string;
  suffix: string;
  /** Fractional seconds: digit count and separator. */
  digits?: number;
  sep?: string;
}

const ZERO_STD: Std[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
const TZ_VARIANTS: [string, Std, Std][] = [
  ['070000', 'NumSecondsTZ', 'ISO8601SecondsTZ'],
  ['07:00:00', 'NumColonSecondsTZ', 'ISO8601ColonSecondsTZ'],
  ['0700', 'NumTZ', 'ISO8601TZ'],
  ['07:00', 'NumColonTZ', 'ISO8601ColonTZ'],
  ['07', 'NumShortTZ', 'ISO8601ShortTZ'],
];

const isDigitAt = (s: string, i: number) => i < s.length && s[i] !== undefined && s[i]! >= '0' && s[i]! <= '9';

/** Go's nextStdChunk: the literal text before the next layout element, the element, the rest. */
export function nextChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number, litEnd = i): Chunk => ({
    prefix: layout.slice(0, litEnd),
    std,
    text: layout.slice(litEnd, i + len),
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const rest = layout.slice(i);
    switch (c) {
      case 'J':
        if (rest.startsWith('Jan')) {
          if (rest.startsWith('January')) return at(i, 'LongMonth', 7);
          if (!/^[a-z]/.test(rest.slice(3))) return at(i, 'Month', 3);
        }
        break;
      case 'M':
        if (rest.startsWith('Mon')) {
          if (rest.startsWith('Monday')) return at(i, 'LongWeekDay', 6);
          if (!/^[a-z]/.test(rest.slice(3))) return at(i, 'WeekDay', 3);
        }
        if (rest.startsWith('MST')) return at(i, 'TZ', 3);
        break;
      case '0': {
        const d = layout[i + 1];
        if (d !== undefined && d >= '1' && d <= '6') return at(i, ZERO_STD[d.charCodeAt(0) - 49] as Std, 2);
        if (rest.startsWith('002')) return at(i, 'ZeroYearDay', 3);
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return at(i, 'Hour', 2);
        return at(i, 'NumMonth', 1);
      case '2':
        if (rest.startsWith('2006')) return at(i, 'LongYear', 4);
        return at(i, 'Day', 1);
      case '_':
        if (layout[i + 1] === '2') {
          // "_2006" is a literal underscore followed by a year.
          if (rest.startsWith('_2006')) return at(i + 1, 'LongYear', 4, i + 1);
          return at(i, 'UnderDay', 2);
        }
        if (rest.startsWith('__2')) return at(i, 'UnderYearDay', 3);
        break;
      case '3':
        return at(i, 'Hour12', 1);
      case '4':
        return at(i, 'Minute', 1);
      case '5':
        return at(i, 'Second', 1);
      case 'P':
        if (layout[i + 1] === 'M') return at(i, 'PM', 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return at(i, 'pm', 2);
        break;
      case '-':
      case 'Z':
        for (const [pat, num, iso] of TZ_VARIANTS) {
          if (rest.startsWith(c + pat)) return at(i, c === '-' ? num : iso, pat.length + 1);
        }
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return { ...at(i, ch === '0' ? 'Frac0' : 'Frac9', j - i), digits: j - i - 1, sep: c };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: null, text: '', suffix: '' };
}

/** Layout names OPA accepts in place of a layout (Go's time package constants). */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

export class TimeParseError extends Error {}

/** Go's time.Parse with UTC as the default (and local) zone; returns ns since the epoch as BigInt
 *  (unbounded: the caller range-checks) or throws TimeParseError with Go's message. */
export function parseTime(layout: string, value: string): bigint {
  const alayout = layout;
  const avalue = value;
  const elemErr = (layoutElem: string, valueElem: string, msg = '') =>
    new TimeParseError(
      msg !== ''
        ? `parsing time ${goQuote(avalue)}${msg}`
        : `parsing time ${goQuote(avalue)} as ${goQuote(alayout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`,
    );
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset: number | null = null;
  let zoneName = '';
  let amSet = false;
  let pmSet = false;

  for (;;) {
    const ch = nextChunk(layout);
    const skipped = skip(value, ch.prefix);
    if (skipped === null) throw elemErr(ch.prefix, value);
    value = skipped;
    if (ch.std === null) {
      if (value.length !== 0) throw elemErr('', value, `: extra text: ${goQuote(value)}`);
      break;
    }
    layout = ch.suffix;
    const std = ch.std;
    const hold = value;
    let bad = false;
    let rangeErr = '';
    const num = (fixed: boolean): number => {
      const r = getnum(value, fixed);
      if (r === null) {
        bad = true;
        return 0;
      }
      value = r[1];
      return r[0];
    };
    switch (std) {
      case 'Year':
        if (value.length < 2 || !/^[0-9]{2}/.test(value)) bad = true;
        else {
          year = Number(value.slice(0, 2));
          year += year >= 69 ? 1900 : 2000;
          value = value.slice(2);
        }
        break;
      case 'LongYear':
        if (value.length < 4 || !/^[0-9]{4}/.test(value)) bad = true;
        else {
          year = Number(value.slice(0, 4));
          value = value.slice(4);
        }
        break;
      case 'Month':
      case 'LongMonth': {
        const names = std === 'Month' ? MONTH_NAMES.map((m) => m.slice(0, 3)) : MONTH_NAMES;
        const i = lookup(names, value);
        if (i < 0) bad = true;
        else {
          month = i + 1;
          value = value.slice((names[i] as string).length);
        }
        break;
      }
      case 'NumMonth':
      case 'ZeroMonth':
        month = num(std === 'ZeroMonth');
        if (!bad && (month <= 0 || month > 12)) rangeErr = 'month';
        break;
      case 'WeekDay':
      case 'LongWeekDay': {
        const names = std === 'WeekDay' ? DAY_NAMES.map((d) => d.slice(0, 3)) : DAY_NAMES;
        const i = lookup(names, value);
        if (i < 0) bad = true;
        else value = value.slice((names[i] as string).length);
        break;
      }
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        if (std === 'UnderDay' && value[0] === ' ') value = value.slice(1);
        day = num(std === 'ZeroDay');
        break;
      case 'UnderYearDay':
      case 'ZeroYearDay': {
        for (let i = 0; i < 2; i++) if (std === 'UnderYearDay' && value[0] === ' ') value = value.slice(1);
        const m = /^[0-9]{1,3}/.exec(value);
        if (!m || (std === 'ZeroYearDay' && m[0].length < 3)) bad = true;
        else {
          yday = Number(m[0]);
          value = value.slice(m[0].length);
        }
        break;
      }
      case 'Hour':
        hour = num(false);
        if (!bad && hour >= 24) rangeErr = 'hour';
        break;
      case 'Hour12':
      case 'ZeroHour12':
        hour = num(std === 'ZeroHour12');
        if (!bad && hour > 12) rangeErr = 'hour';
        break;
      case 'Minute':
      case 'ZeroMinute':
        min = num(std === 'ZeroMinute');
        if (!bad && min >= 60) rangeErr = 'minute';
        break;
      case 'Second':
      case 'ZeroSecond': {
        sec = num(std === 'ZeroSecond');
        if (bad) break;
        if (sec >= 60) {
          rangeErr = 'second';
          break;
        }
        // A fraction in the value but not in the layout is still read.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = nextChunk(layout).std;
          if (next === 'Frac0' || next === 'Frac9') break;
          let n = 2;
          while (isDigitAt(value, n)) n++;
          nsec = parseNanos(value, n);
          value = value.slice(n);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2);
        const [am, pm] = std === 'PM' ? ['AM', 'PM'] : ['am', 'pm'];
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else bad = true;
        if (!bad) value = value.slice(2);
        break;
      }
      case 'TZ': {
        if (value.startsWith('UTC')) {
          utc = true;
          value = value.slice(3);
          break;
        }
        const n = zoneNameLength(value);
        if (n <= 0) bad = true;
        else {
          zoneName = value.slice(0, n);
          value = value.slice(n);
        }
        break;
      }
      case 'Frac0': {
        const ndigit = 1 + (ch.digits as number);
        if (value.length < ndigit || (value[0] !== '.' && value[0] !== ',') || !/^[0-9]+$/.test(value.slice(1, ndigit))) {
          bad = true;
          break;
        }
        nsec = parseNanos(value, ndigit);
        value = value.slice(ndigit);
        break;
      }
      case 'Frac9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
        let i = 0;
        while (isDigitAt(value, i + 1)) i++;
        nsec = parseNanos(value, 1 + i);
        value = value.slice(1 + i);
        break;
      }
      default: {
        // Zone offsets; the ISO 8601 forms also accept "Z".
        if (std.startsWith('ISO') && value[0] === 'Z') {
          value = value.slice(1);
          utc = true;
          break;
        }
        const r = parseOffset(std, value);
        if (r === null) {
          bad = true;
          break;
        }
        if (r.hh > 24) rangeErr = 'time zone offset hour';
        if (r.mm > 60) rangeErr = 'time zone offset minute';
        if (r.ss > 60) rangeErr = 'time zone offset second';
        zoneOffset = r.sign * ((r.hh * 60 + r.mm) * 60 + r.ss);
        value = r.rest;
      }
    }
    if (rangeErr !== '') throw elemErr(ch.text, value, `: ${rangeErr} out of range`);
    if (bad) throw elemErr(ch.text, hold);
  }

  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    let yd = yday;
    if (isLeap(year)) {
      if (yd === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yd > 31 + 29) yd--;
    }
    if (yd < 1 || yd > 365) throw elemErr('', value, ': day-of-year out of range');
    if (m === 0) {
      const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
      m = Math.floor((yd - 1) / 31) + 1;
      if ((before[m] as number) < yd) m++;
      d = yd - (before[m - 1] as number);
    }
    if (month >= 0 && month !== m) throw elemErr('', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw elemErr('', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw elemErr('', value, ': day out of range');

  let offset = 0;
  if (!utc && zoneOffset !== null) offset = zoneOffset;
  else if (!utc && zoneName.length > 3 && zoneName.startsWith('GMT')) offset = Number(zoneName.slice(3)) * 3600;
  return fromWallClock(year, month, day, hour, min, sec, nsec, offset);
}

/** Matches layout literal text; a space in the layout matches any run of spaces. */
function skip(value: string, prefix: string): string | null {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return null;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return null;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function getnum(s: string, fixed: boolean): [number, string] | null {
  if (!isDigitAt(s, 0)) return null;
  if (!isDigitAt(s, 1)) return fixed ? null : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** Case-insensitive prefix match against a name table; the index or -1. */
function lookup(names: string[], value: string): number {
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) return i;
  }
  return -1;
}

/** The fraction at value[0..n) (separator plus digits; at most 9 digits count) as nanoseconds. */
function parseNanos(value: string, n: number): number {
  const digits = value.slice(1, Math.min(n, 10));
  return Number(digits.padEnd(9, '0'));
}

function parseOffset(std: string, value: string): { sign: number; hh: number; mm: number; ss: number; rest: string } | null {
  let parts: [string, string, string, string, string];
  if (std.endsWith('ColonTZ')) {
    if (value.length < 6 || value[3] !== ':') return null;
    parts = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
  } else if (std.endsWith('ShortTZ')) {
    if (value.length < 3) return null;
    parts = [value.slice(0, 1), value.slice(1, 3), '00', '00', value.slice(3)];
  } else if (std.endsWith('ColonSecondsTZ')) {
    if (value.length < 9 || value[3] !== ':' || value[6] !== ':') return null;
    parts = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
  } else if (std.endsWith('SecondsTZ')) {
    if (value.length < 7) return null;
    parts = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
  } else {
    if (value.length < 5) return null;
    parts = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
  }
  const [sign, h, m, s, rest] = parts;
  if (![h, m, s].every((x) => /^[0-9]{2}$/.test(x))) return null;
  if (sign !== '+' && sign !== '-') return null;
  return { sign: sign === '-' ? -1 : 1, hh: Number(h), mm: Number(m), ss: Number(s), rest };
}

/** Go's parseTimeZone: the length of a zone abbreviation at the start of value, or 0. */
function zoneNameLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return 3 + signedOffsetLength(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return signedOffsetLength(value);
  let n = 0;
  while (n < 6 && n < value.length && value[n]! >= 'A' && value[n]! <= 'Z') n++;
  if (n === 3) return 3;
  if (n === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (n === 5 && value[4] === 'T') return 5;
  return 0;
}

function signedOffsetLength(value: string): number {
  const m = /^[+-]([0-9]+)/.exec(value);
  if (!m || Number(m[1]) > 12) return 0;
  return m[0].length;
}
