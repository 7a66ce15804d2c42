// Go's time.ParseDuration, for http.send's "timeout" strings ("500ms", "1m30s", "1.5h").
import { goQuote } from './gql-lexer.js';

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds for a Go duration string; throws with Go's message when it is not one. */
export function parseGoDuration(s: string): number {
  const orig = s;
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(orig)}`);
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = num?.[1] ?? '';
    const frac = num?.[2];
    if (whole === '' && (frac === undefined || frac === '')) throw invalid();
    s = s.slice((num as RegExpExecArray)[0].length);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${goQuote(orig)}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}`);
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac ?? ''}0`) * scale;
  }
  if (total >= 2 ** 63) throw invalid();
  return neg ? -total : total;
}
