// Time zones for the time builtins: "" and "UTC" are UTC, "Local" is the process's zone, anything
// else an IANA name resolved through Intl (the same tz database Go's LoadLocation reads).

export interface Zone {
  name: string;
  /** Seconds east of UTC at the instant `unixSec`. */
  offset(unixSec: number): number;
  /** The zone abbreviation Go prints for layout element "MST" (e.g. "PST", "CET", "+0530"). */
  abbrev(unixSec: number): string;
}

export const UTC: Zone = { name: 'UTC', offset: () => 0, abbrev: () => 'UTC' };

const cache = new Map<string, Zone>();

export class UnknownZoneError extends Error {}

/** The locale whose short zone names match the tz database's abbreviations for a region. */
function abbrevLocale(tz: string): string | null {
  if (/^(America|US|Canada)\//.test(tz) || tz === 'Pacific/Honolulu') return 'en-US';
  if (tz.startsWith('Europe/')) return 'en-GB';
  if (tz.startsWith('Australia/') || tz === 'Pacific/Auckland') return 'en-AU';
  return null;
}

/** tz database abbreviations (by UTC offset) that no Intl locale reproduces. */
const KNOWN_ABBREVS: Record<string, Record<number, string>> = {
  'Asia/Shanghai': { 28800: 'CST' },
  'Asia/Taipei': { 28800: 'CST' },
  'Asia/Tokyo': { 32400: 'JST' },
  'Asia/Seoul': { 32400: 'KST' },
  'Asia/Hong_Kong': { 28800: 'HKT' },
  'Asia/Manila': { 28800: 'PST' },
  'Asia/Jakarta': { 25200: 'WIB' },
  'Asia/Karachi': { 18000: 'PKT' },
  'Asia/Kolkata': { 19800: 'IST' },
  'Asia/Calcutta': { 19800: 'IST' },
  'Asia/Jerusalem': { 7200: 'IST', 10800: 'IDT' },
  'Europe/Dublin': { 0: 'GMT', 3600: 'IST' },
  'Europe/Moscow': { 10800: 'MSK' },
  'Africa/Johannesburg': { 7200: 'SAST' },
  'Africa/Lagos': { 3600: 'WAT' },
  'Africa/Nairobi': { 10800: 'EAT' },
  'Africa/Cairo': { 7200: 'EET', 10800: 'EEST' },
  'America/St_Johns': { [-12600]: 'NST', [-9000]: 'NDT' },
};

function intlZone(tz: string): Zone {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  const offset = (unixSec: number): number => {
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(new Date(unixSec * 1000))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const wall = Date.UTC(
      year,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    // Date.UTC maps years 0-99 to 1900-1999; the time builtins never reach them (int64 ns spans 1677-2262).
    return Math.round(wall / 1000 - unixSec);
  };
  const locale = abbrevLocale(tz);
  const namer = locale ? new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' }) : null;
  const abbrev = (unixSec: number): string => {
    const off = offset(unixSec);
    const known = KNOWN_ABBREVS[tz]?.[off];
    if (known) return known;
    const name = namer?.formatToParts(new Date(unixSec * 1000)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(name) && (name !== 'GMT' || off === 0)) return name;
    // Zones without a letter abbreviation print their offset, as the tz database names them.
    const abs = Math.abs(off);
    const hh = String(Math.trunc(abs / 3600)).padStart(2, '0');
    const mm = Math.trunc((abs % 3600) / 60);
    return `${off < 0 ? '-' : '+'}${hh}${mm ? String(mm).padStart(2, '0') : ''}`;
  };
  return { name: tz, offset, abbrev };
}

/** Resolves a zone name as OPA's time builtins do; throws UnknownZoneError with Go's message. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  const hit = cache.get(name);
  if (hit) return hit;
  let zone: Zone;
  if (name === 'Local') {
    const local = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    zone = !local || local === 'UTC' || local === 'Etc/UTC' ? { ...UTC, name: 'Local' } : { ...intlZone(local), name: 'Local' };
  } else {
    let resolved: string;
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      throw new UnknownZoneError(`unknown time zone ${name}`);
    }
    // Intl matches names case-insensitively; the tz database (and Go) does not.
    if (resolved !== name && resolved.toLowerCase() === name.toLowerCase())
      throw new UnknownZoneError(`unknown time zone ${name}`);
    zone = intlZone(name);
  }
  if (cache.size > 500) cache.clear();
  cache.set(name, zone);
  return zone;
}
