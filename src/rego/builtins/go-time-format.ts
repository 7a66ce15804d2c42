// Go's Time.Format for the time builtins: layout elements (see go-time-layout.ts) filled in from a
// wall-clock reading.
import { DAY_NAMES, MONTH_NAMES, type WallClock } from './civil.js';
import { nextChunk } from './go-time-layout.js';

const pad = (n: number, w: number) => (n < 0 ? `-${String(-n).padStart(w, '0')}` : String(n).padStart(w, '0'));

/** Time.Format for a wall clock at `offsetSec` east of UTC whose zone abbreviation is `zoneName`. */
export function formatTime(w: WallClock, offsetSec: number, zoneName: string, layout: string): string {
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const ch = nextChunk(rest);
    out += ch.prefix;
    if (ch.std === null) break;
    rest = ch.suffix;
    const std = ch.std;
    switch (std) {
      case 'Year':
        out += pad(Math.abs(w.year) % 100, 2);
        break;
      case 'LongYear':
        out += pad(w.year, 4);
        break;
      case 'Month':
        out += (MONTH_NAMES[w.month - 1] as string).slice(0, 3);
        break;
      case 'LongMonth':
        out += MONTH_NAMES[w.month - 1];
        break;
      case 'NumMonth':
      case 'ZeroMonth':
        out += pad(w.month, std === 'ZeroMonth' ? 2 : 0);
        break;
      case 'WeekDay':
        out += (DAY_NAMES[w.weekday] as string).slice(0, 3);
        break;
      case 'LongWeekDay':
        out += DAY_NAMES[w.weekday];
        break;
      case 'Day':
      case 'ZeroDay':
        out += pad(w.day, std === 'ZeroDay' ? 2 : 0);
        break;
      case 'UnderDay':
        out += (w.day < 10 ? ' ' : '') + w.day;
        break;
      case 'UnderYearDay':
        out += (w.yday < 10 ? '  ' : w.yday < 100 ? ' ' : '') + w.yday;
        break;
      case 'ZeroYearDay':
        out += pad(w.yday, 3);
        break;
      case 'Hour':
        out += pad(w.hour, 2);
        break;
      case 'Hour12':
      case 'ZeroHour12':
        out += pad(w.hour % 12 === 0 ? 12 : w.hour % 12, std === 'ZeroHour12' ? 2 : 0);
        break;
      case 'Minute':
      case 'ZeroMinute':
        out += pad(w.minute, std === 'ZeroMinute' ? 2 : 0);
        break;
      case 'Second':
      case 'ZeroSecond':
        out += pad(w.second, std === 'ZeroSecond' ? 2 : 0);
        break;
      case 'PM':
        out += w.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += w.hour >= 12 ? 'pm' : 'am';
        break;
      case 'TZ':
        out += zoneName !== '' ? zoneName : formatOffset(offsetSec, false, false, true);
        break;
      case 'Frac0':
      case 'Frac9':
        out += formatFraction(w.nanosecond, ch.digits as number, ch.sep as string, std === 'Frac9');
        break;
      default: {
        // Numeric and ISO 8601 zone offsets; the ISO ("Z") forms print Z for UTC.
        if (offsetSec === 0 && std.startsWith('ISO')) {
          out += 'Z';
          break;
        }
        const colon = std.includes('Colon');
        const short = std.endsWith('ShortTZ');
        const secs = std.includes('Seconds');
        out += formatOffset(offsetSec, colon, secs, !short);
      }
    }
  }
  return out;
}

function formatOffset(offsetSec: number, colon: boolean, secs: boolean, minutes: boolean): string {
  const abs = Math.abs(offsetSec);
  const zone = Math.trunc(abs / 60);
  let s = (offsetSec < 0 ? '-' : '+') + pad(Math.trunc(zone / 60), 2);
  if (minutes) s += (colon ? ':' : '') + pad(zone % 60, 2);
  if (secs) s += (colon ? ':' : '') + pad(abs % 60, 2);
  return s;
}

function formatFraction(nanos: number, digits: number, sep: string, trim: boolean): string {
  if (trim && (digits === 0 || nanos === 0)) return '';
  let s = pad(nanos, 9);
  if (digits < 9) s = s.slice(0, digits);
  if (trim) s = s.replace(/0+$/, '');
  return s === '' ? '' : sep + s;
}
