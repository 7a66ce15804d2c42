// time.* builtins. Times are int64 nanoseconds since the Unix epoch, computed with BigInt.
//
// Precision: Rego numbers here are doubles, so a nanosecond count near today's (~1.7e18) is exact
// only to a multiple of 256 ns. Results are exact BigInt values rounded once to the nearest
// double; an operand is taken as the integer its double denotes (and the double 2^63, which every
// literal from 9223372036854775296 up rounds to, stands for the largest int64).
import type { Value } from '../value.js';
import { builtinErr, int, str, typeErr } from './args.js';
import { fromWallClock, MAX_INT64, MIN_INT64, NS_PER_SEC, type WallClock, wallClock } from './civil.js';
import { parseGoDuration } from './go-duration.js';
import { formatTime } from './go-time-format.js';
import { NAMED_LAYOUTS, parseTime, TimeParseError } from './go-time-layout.js';
import { registerBuiltin } from './registry.js';
import { loadZone, UnknownZoneError, UTC, type Zone } from './tz.js';

const TWO_63 = 2 ** 63;

/** An exact int64 nanosecond count as a Rego number, or OPA's range error. */
function nsResult(name: string, ns: bigint): number {
  if (ns < MIN_INT64 || ns > MAX_INT64) throw builtinErr(name, 'time outside of valid range');
  return Number(ns);
}

function nsOfNumber(name: string, n: number): bigint {
  if (n === TWO_63) return MAX_INT64;
  if (!Number.isInteger(n) || n < -TWO_63 || n > TWO_63) throw builtinErr(name, 'timestamp too big');
  return BigInt(n);
}

interface ZonedTime {
  ns: bigint;
  zone: Zone;
  layout: string;
}

const TZ_WANT = 'either number (ns) or [number (ns), string (tz)]';

/** OPA's time operand: ns, [ns, tz] or [ns, tz, layout]. */
function zonedTime(name: string, v: Value): ZonedTime {
  let n: Value = v;
  let zone = UTC;
  let layout = '';
  if (Array.isArray(v)) {
    if (v.length === 0) throw typeErr(name, 0, TZ_WANT, v);
    n = v[0] as Value;
    if (typeof n !== 'number') throw typeErr(name, 0, 'number', n);
    if (v.length > 1) {
      const tz = v[1] as Value;
      if (typeof tz !== 'string') throw typeErr(name, 0, 'string', tz);
      try {
        zone = loadZone(tz);
      } catch (e) {
        if (e instanceof UnknownZoneError) throw builtinErr(name, e.message);
        throw e;
      }
    }
    if (v.length > 2) {
      const l = v[2] as Value;
      if (typeof l !== 'string') throw typeErr(name, 0, 'string', l);
      layout = l;
    }
  } else if (typeof v !== 'number') {
    throw typeErr(name, 0, TZ_WANT, v);
  }
  return { ns: nsOfNumber(name, n as number), zone, layout };
}

function clockOf(t: ZonedTime): { wall: WallClock; offset: number; unixSec: number } {
  const unixSec = Number(t.ns >= 0n ? t.ns / NS_PER_SEC : (t.ns - NS_PER_SEC + 1n) / NS_PER_SEC);
  const offset = t.zone.offset(unixSec);
  return { wall: wallClock(t.ns, offset), offset, unixSec };
}

registerBuiltin({
  name: 'time.now_ns',
  decl: { args: [], result: 'number' },
  nondeterministic: true,
  fn: (_args, ctx) => Number(ctx.nowNs),
});

function parsed(name: string, layout: string, value: string): number {
  try {
    return nsResult(name, parseTime(layout, value));
  } catch (e) {
    if (e instanceof TimeParseError) throw builtinErr(name, e.message);
    throw e;
  }
}

registerBuiltin({
  name: 'time.parse_ns',
  decl: { args: ['string', 'string'], result: 'number' },
  fn: (args) => {
    const layout = str(args, 0, 'time.parse_ns');
    const value = str(args, 1, 'time.parse_ns');
    return parsed('time.parse_ns', NAMED_LAYOUTS[layout] ?? layout, value);
  },
});

registerBuiltin({
  name: 'time.parse_rfc3339_ns',
  decl: { args: ['string'], result: 'number' },
  fn: (args) => parsed('time.parse_rfc3339_ns', NAMED_LAYOUTS.RFC3339 as string, str(args, 0, 'time.parse_rfc3339_ns')),
});

registerBuiltin({
  name: 'time.parse_duration_ns',
  decl: { args: ['string'], result: 'number' },
  fn: (args) => {
    const s = str(args, 0, 'time.parse_duration_ns');
    try {
      return Number(parseGoDuration(s));
    } catch (e) {
      throw builtinErr('time.parse_duration_ns', (e as Error).message);
    }
  },
});

const TIME_ARG: ['number', 'array'] = ['number', 'array'];

registerBuiltin({
  name: 'time.format',
  decl: { args: [TIME_ARG], result: 'string' },
  fn: (args) => {
    const t = zonedTime('time.format', args[0] as Value);
    const { wall, offset, unixSec } = clockOf(t);
    const layout = t.layout === '' ? (NAMED_LAYOUTS.RFC3339Nano as string) : (NAMED_LAYOUTS[t.layout] ?? t.layout);
    return formatTime(wall, offset, t.zone.abbrev(unixSec), layout);
  },
});

registerBuiltin({
  name: 'time.date',
  decl: { args: [TIME_ARG], result: 'array' },
  fn: (args) => {
    const { wall } = clockOf(zonedTime('time.date', args[0] as Value));
    return [wall.year, wall.month, wall.day];
  },
});

registerBuiltin({
  name: 'time.clock',
  decl: { args: [TIME_ARG], result: 'array' },
  fn: (args) => {
    const { wall } = clockOf(zonedTime('time.clock', args[0] as Value));
    return [wall.hour, wall.minute, wall.second];
  },
});

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

registerBuiltin({
  name: 'time.weekday',
  decl: { args: [TIME_ARG], result: 'string' },
  fn: (args) => WEEKDAYS[clockOf(zonedTime('time.weekday', args[0] as Value)).wall.weekday] as string,
});

registerBuiltin({
  name: 'time.add_date',
  decl: { args: ['number', 'number', 'number', 'number'], result: 'number' },
  fn: (args) => {
    const name = 'time.add_date';
    const t = zonedTime(name, args[0] as Value);
    const years = int(args, 1, name);
    const months = int(args, 2, name);
    const days = int(args, 3, name);
    // Far outside int64 ns whatever the base; also keeps the day arithmetic exact.
    if (Math.abs(years) > 1e6 || Math.abs(months) > 1e7 || Math.abs(days) > 1e9)
      throw builtinErr(name, 'time outside of valid range');
    const { wall, offset } = clockOf(t);
    // Go's AddDate: add to the civil fields and let time.Date normalise (Oct 31 + 1 month = Dec 1).
    const ns = fromWallClock(
      wall.year + years,
      wall.month + months,
      wall.day + days,
      wall.hour,
      wall.minute,
      wall.second,
      wall.nanosecond,
      offset,
    );
    return nsResult(name, ns);
  },
});

registerBuiltin({
  name: 'time.diff',
  decl: { args: [TIME_ARG, TIME_ARG], result: 'array' },
  fn: (args) => {
    let t1 = zonedTime('time.diff', args[0] as Value);
    let t2 = zonedTime('time.diff', args[1] as Value);
    // Both readings are taken in the first operand's zone, earlier one first.
    t2 = { ...t2, zone: t1.zone };
    if (t1.ns > t2.ns) [t1, t2] = [t2, t1];
    const a = clockOf(t1).wall;
    const b = clockOf(t2).wall;
    let year = b.year - a.year;
    let month = b.month - a.month;
    let day = b.day - a.day;
    let hour = b.hour - a.hour;
    let min = b.minute - a.minute;
    let sec = b.second - a.second;
    if (sec < 0) {
      sec += 60;
      min--;
    }
    if (min < 0) {
      min += 60;
      hour--;
    }
    if (hour < 0) {
      hour += 24;
      day--;
    }
    if (day < 0) {
      // Days in the first time's month: day 32 of it lands 32 - n days into the next.
      const spill = wallClock(fromWallClock(a.year, a.month, 32, 0, 0, 0, 0, 0), 0).day;
      day += 32 - spill;
      month--;
    }
    if (month < 0) {
      month += 12;
      year--;
    }
    return [year, month, day, hour, min, sec];
  },
});
