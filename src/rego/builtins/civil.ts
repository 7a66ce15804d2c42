// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), plus the
// nanosecond/second split the time builtins share. Day numbers stay far inside double precision.

export const NS_PER_SEC = 1_000_000_000n;
export const MIN_INT64 = -(1n << 63n);
export const MAX_INT64 = (1n << 63n) - 1n;

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since the epoch of a civil date; month and day may be out of range (they carry over). */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Normalise the month first (Go's Date does the same), then count days in the 400-year era.
  const m0 = month - 1;
  const y = year + floorDiv(m0, 12);
  const m = m0 - floorDiv(m0, 12) * 12 + 1;
  const yy = m <= 2 ? y - 1 : y;
  const era = floorDiv(yy, 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5);
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A wall-clock reading of an instant in some zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 1-based day of the year. */
  yday: number;
}

/** The wall clock at `ns` (since the epoch) for a zone `offsetSec` east of UTC. */
export function wallClock(ns: bigint, offsetSec: number): WallClock {
  let sec = ns / NS_PER_SEC;
  let nsec = ns - sec * NS_PER_SEC;
  if (nsec < 0n) {
    nsec += NS_PER_SEC;
    sec -= 1n;
  }
  const local = Number(sec) + offsetSec;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: floorDiv(secOfDay, 3600),
    minute: floorDiv(secOfDay % 3600, 60),
    second: secOfDay % 60,
    nanosecond: Number(nsec),
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Nanoseconds since the epoch of a wall-clock time (fields may overflow, as in Go's time.Date)
 *  in a zone `offsetSec` east of UTC. */
export function fromWallClock(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nanosecond: number,
  offsetSec: number,
): bigint {
  const days = daysFromCivil(year, month, day);
  const secs = BigInt(days) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offsetSec);
  return secs * NS_PER_SEC + BigInt(nanosecond);
}

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
