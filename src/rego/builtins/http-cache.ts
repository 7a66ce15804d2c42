// http.send's cache across queries ("cache": true / "force_cache": true): responses are kept in a
// small module-level LRU until the expiry their headers give (Cache-Control max-age counted from
// the Date header, else Expires), or for force_cache_duration_seconds. OPA's rules decide what is
// stored: cacheable status codes only, never with Cache-Control: no-store.

/** A stored response, as raw as it came (decoding depends on the request that reads it). */
export interface CachedResponse {
  status: string;
  statusCode: number;
  /** Lower-cased header name -> values, in arrival order. */
  headers: Map<string, string[]>;
  body: Uint8Array;
  /** ms since the epoch; 0 means already stale. */
  expiresAt: number;
}

/** Status codes RFC 7231 calls cacheable by default (OPA's list). */
export const CACHEABLE_CODES = new Set([200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501]);

const MAX_ENTRIES = 256;
const MAX_BYTES = 32 * 1024 * 1024;
const entries = new Map<string, CachedResponse>();
let bytes = 0;

export function cacheGet(key: string): CachedResponse | undefined {
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
  }
  return hit;
}

export function cacheDelete(key: string): void {
  const old = entries.get(key);
  if (old) bytes -= old.body.length;
  entries.delete(key);
}

export function cachePut(key: string, value: CachedResponse): void {
  cacheDelete(key);
  if (value.body.length > MAX_BYTES) return;
  entries.set(key, value);
  bytes += value.body.length;
  while (entries.size > MAX_ENTRIES || bytes > MAX_BYTES) cacheDelete(entries.keys().next().value as string);
}

/** For tests: forget everything. */
export function cacheClear(): void {
  entries.clear();
  bytes = 0;
}

/** Cache-Control directives (name -> value, '' for flags), parsed as OPA does. */
export function cacheControl(headers: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  const first = headers.get('cache-control')?.[0] ?? '';
  for (let part of first.split(',')) {
    part = part.replace(/^ +| +$/g, '');
    if (part === '') continue;
    if (part.includes('=')) {
      const items = part.split('=');
      if (items.length !== 2) continue;
      out.set((items[0] as string).replace(/^ +| +$/g, ''), (items[1] as string).replace(/^,+|,+$/g, ''));
    } else {
      out.set(part, '');
    }
  }
  return out;
}

export function canStore(headers: Map<string, string[]>): boolean {
  return !cacheControl(headers).has('no-store');
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const HTTP_DATE = [
  new RegExp(`^[A-Z][a-z]{2}, \\d{2} (${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`), // RFC 1123
  new RegExp(`^[A-Z][a-z]+, \\d{2}-(${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`), // RFC 850
  new RegExp(`^[A-Z][a-z]{2} (${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}$`), // asctime
];

/** Go's http.ParseTime: the three HTTP date formats; NaN when none fits. */
export function parseHTTPDate(s: string): number {
  if (!HTTP_DATE.some((re) => re.test(s))) return Number.NaN;
  return Date.parse(HTTP_DATE[2]?.test(s) ? `${s} GMT` : s);
}

/**
 * When a response stops being fresh (ms since the epoch), from its headers; 0 for "already stale".
 * Throws when max-age is given without a usable Date header (OPA then does not cache it).
 */
export function expiryFromHeaders(headers: Map<string, string[]>): number {
  const maxAge = cacheControl(headers).get('max-age');
  if (maxAge !== undefined) {
    if (!/^\d+$/.test(maxAge)) throw new Error(`invalid max-age ${maxAge}`);
    const seconds = Math.min(Number(maxAge), 2 ** 31 - 1);
    const date = headers.get('date')?.[0];
    if (!date) throw new Error('no date header');
    const created = parseHTTPDate(date);
    if (Number.isNaN(created)) throw new Error(`invalid date header ${date}`);
    return created + seconds * 1000;
  }
  const expires = headers.get('expires')?.[0];
  if (!expires) return 0;
  const t = parseHTTPDate(expires);
  return Number.isNaN(t) ? 0 : t;
}
