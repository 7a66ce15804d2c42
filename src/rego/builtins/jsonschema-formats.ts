// The "format" checks and pattern dialect of OPA's JSON Schema validator (gojsonschema): formats
// are checked on strings only, unknown formats pass, patterns are RE2 (Go regexp) expressions.
import { parseIP } from './cidr.js';
import { NAMED_LAYOUTS, parseTime } from './go-time-layout.js';

/** Compiles a Go (RE2) regular expression as a JS RegExp, or null when RE2 would reject it. */
export function compileRE2(src: string): RegExp | null {
  // Lookaround and backreferences do not exist in RE2.
  if (/\(\?<?[=!]|\\[1-9]/.test(src)) return null;
  let flags = 'u';
  let body = src;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if ((lead[1] as string).includes('U')) return null;
    flags += (lead[1] as string).replace(/[^ims]/g, '');
    body = body.slice(lead[0].length);
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '(?![\\s\\S])')
    .replace(/\\A/g, '^')
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}');
  // Unicode mode first (\p{..}, code point matching); it rejects some escapes RE2 allows.
  for (const f of [flags, flags.replace('u', '')]) {
    try {
      return new RegExp(body, f);
    } catch {
      // try the next mode
    }
  }
  return null;
}

function parses(layout: string, s: string): boolean {
  try {
    parseTime(layout, s);
    return true;
  } catch {
    return false;
  }
}

const HOSTNAME =
  /^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))*$/;
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
const JSON_POINTER = /^(?:\/(?:[^~/]|~0|~1)*)*$/;
const REL_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;
const URI_TEMPLATE = /^([^{]*({[^}]*})?)*$/;

/** Roughly Go's url.Parse: scheme syntax, valid %-escapes, no control characters, a host without
 *  spaces. Returns the scheme ("" when relative) and path, or null when Go would fail. */
function parseURL(s: string): { scheme: string; path: string } | null {
  for (const ch of s) if (ch.charCodeAt(0) < 0x20 || ch === '\x7f') return null;
  if (/%(?![0-9a-fA-F]{2})/.test(s.replace(/#.*$/, ''))) return null;
  let rest = s.replace(/#.*$/, '');
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1] as string;
    rest = rest.slice(m[0].length);
  } else if (/^[^/?]*:/.test(rest)) {
    // A colon before the first slash without a valid scheme: "missing protocol scheme" or a
    // first path segment containing a colon.
    return null;
  }
  rest = rest.replace(/\?.*$/, '');
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const host = end < 0 ? rest.slice(2) : rest.slice(2, end);
    if (/[\s<>"{}|\\^`]/.test(host.replace(/^.*@/, ''))) return null;
    rest = end < 0 ? '' : rest.slice(end);
  }
  return { scheme, path: rest };
}

/** net/mail.ParseAddress, approximately: "local@domain" or "Name <local@domain>". */
function isEmail(s: string): boolean {
  const addr = /^[^<>]*<([^<>]+)>$/.exec(s)?.[1] ?? s;
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uffff-]+";
  const local = `(?:${atom}(?:\\.${atom})*|"(?:[^"\\\\]|\\\\.)*")`;
  const domain = `(?:${atom}(?:\\.${atom})*|\\[[^\\][\\\\]*\\])`;
  return new RegExp(`^${local}@${domain}$`, 'u').test(addr.trim());
}

const CHECKERS: Record<string, (s: string) => boolean> = {
  date: (s) => parses('2006-01-02', s),
  time: (s) => parses('15:04:05Z07:00', s) || parses('15:04:05', s),
  'date-time': (s) =>
    ['15:04:05', '15:04:05Z07:00', '2006-01-02', NAMED_LAYOUTS.RFC3339 as string, NAMED_LAYOUTS.RFC3339Nano as string].some((l) =>
      parses(l, s),
    ),
  hostname: (s) => HOSTNAME.test(s) && s.length < 256,
  email: isEmail,
  'idn-email': isEmail,
  ipv4: (s) => parseIP(s) !== null && s.includes('.'),
  ipv6: (s) => parseIP(s) !== null && s.includes(':'),
  uri: (s) => (parseURL(s)?.scheme ?? '') !== '' && !s.includes('\\'),
  'uri-reference': (s) => parseURL(s) !== null && !s.includes('\\'),
  iri: (s) => (parseURL(s)?.scheme ?? '') !== '' && !s.includes('\\'),
  'iri-reference': (s) => parseURL(s) !== null && !s.includes('\\'),
  'uri-template': (s) => {
    const u = parseURL(s);
    return u !== null && !s.includes('\\') && URI_TEMPLATE.test(u.path);
  },
  uuid: (s) => UUID.test(s),
  regex: (s) => s === '' || compileRE2(s) !== null,
  'json-pointer': (s) => JSON_POINTER.test(s),
  'relative-json-pointer': (s) => REL_JSON_POINTER.test(s),
};

/** Whether a value satisfies a format; non-strings and unknown formats always do. */
export function checkFormat(format: string, value: unknown): boolean {
  const check = CHECKERS[format];
  return check === undefined || typeof value !== 'string' || check(value);
}
