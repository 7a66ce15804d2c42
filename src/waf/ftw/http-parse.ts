// Reads request bytes the way the HTTP/1.1 server in front of the WAF would (RFC 9112), deciding what
// the WAF gets to see and what the client gets back when the server refuses the message first.
// Where RFC 9112 leaves a choice, this follows Apache httpd, the server the CRS regression tests were
// written against: an empty leading line is skipped, obs-fold is unfolded, a request with both
// Transfer-Encoding and Content-Length is framed by the former and the Content-Length header is
// dropped, and any HTTP/d.d version with a major of 1..9 reaches the WAF. Where the RFC leaves none
// (a missing or repeated Host in HTTP/1.1, an invalid Host value, NUL or bare CR in a field, a
// malformed request line or chunk), the server answers 400 without consulting the WAF. Headers reach
// the WAF as received: original case, order and repetitions (the WafRequest contract), which unlike
// httpd keeps duplicate headers apart.

export interface ParsedRequest {
  method: string;
  /** The request-target as sent. */
  target: string;
  /** `HTTP/1.1`, or `HTTP/0.9` for a request line without a version. */
  version: string;
  /** Byte strings, as received (Content-Length removed when Transfer-Encoding framed the body). */
  headers: [string, string][];
  body: Buffer;
  /** A version-less (HTTP/0.9) request: the server reads no header and answers without a status line. */
  http09: boolean;
}

export type ParseOutcome =
  | { kind: 'request'; request: ParsedRequest }
  /** The server answers `status` itself; the WAF never sees the request. */
  | { kind: 'rejected'; status: number; reason: string }
  /** The server keeps waiting for bytes that never come; the client times out. */
  | { kind: 'incomplete'; reason: string };

/** Apache's LimitRequestLine / LimitRequestFieldSize default. */
export const MAX_LINE = 8190;
const MAX_HEADERS = 100;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: CTLs are what is checked for
const CTL = /[\x00-\x1f\x7f]/;

const reject = (status: number, reason: string): ParseOutcome => ({ kind: 'rejected', status, reason });

/** uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2); an empty value is allowed. */
export function validHost(value: string): boolean {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(value);
  if (!m) return false;
  const host = m[1] as string;
  if (host.startsWith('[')) return /^\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]$/.test(host);
  return /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(host);
}

/** Request-target forms of RFC 9112 §3.2 for the given method. */
function validTarget(method: string, target: string): boolean {
  if (target.length === 0 || CTL.test(target)) return false;
  if (method === 'CONNECT') return /^(?:\[[^\]]+\]|[^:/?#@\s]+):\d+$/.test(target);
  if (target === '*') return method === 'OPTIONS';
  if (target.startsWith('/')) return true;
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.test(target);
}

interface Lines {
  /** The line without its terminator, or undefined when no terminator came yet. */
  next(): string | undefined;
  offset: number;
}

function lineReader(raw: string): Lines {
  const r = {
    offset: 0,
    next(): string | undefined {
      const nl = raw.indexOf('\n', r.offset);
      if (nl < 0) return undefined;
      const line = raw.slice(r.offset, nl > r.offset && raw[nl - 1] === '\r' ? nl - 1 : nl);
      r.offset = nl + 1;
      return line;
    },
  };
  return r;
}

function dechunk(raw: string, start: number): { body: string } | ParseOutcome {
  let body = '';
  let i = start;
  for (;;) {
    const eol = raw.indexOf('\r\n', i);
    if (eol < 0) return { kind: 'incomplete', reason: 'chunk size line not terminated' };
    const line = raw.slice(i, eol);
    const m = /^([0-9A-Fa-f]+)[ \t]*(?:;.*)?$/.exec(line);
    if (!m || (m[1] as string).length > 8) return reject(400, `bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
    const size = Number.parseInt(m[1] as string, 16);
    i = eol + 2;
    if (size === 0) {
      // Trailer section up to the empty line; trailers are not merged into the headers.
      for (;;) {
        const t = raw.indexOf('\r\n', i);
        if (t < 0) return { kind: 'incomplete', reason: 'chunked trailer not terminated' };
        if (t === i) return { body };
        i = t + 2;
      }
    }
    if (raw.length < i + size + 2) return { kind: 'incomplete', reason: 'chunk shorter than its size' };
    body += raw.slice(i, i + size);
    if (raw.slice(i + size, i + size + 2) !== '\r\n') return reject(400, 'chunk data not followed by CRLF');
    i += size + 2;
  }
}

export function parseHttpRequest(bytes: Buffer): ParseOutcome {
  const raw = bytes.toString('latin1');
  const lines = lineReader(raw);

  let line = lines.next();
  // RFC 9112 §2.2: an empty line before the request-line is ignored.
  if (line === '') line = lines.next();
  if (line === undefined) {
    return raw.length > MAX_LINE ? reject(414, 'request line too long') : { kind: 'incomplete', reason: 'no request line' };
  }
  if (line.length > MAX_LINE) return reject(414, 'request line too long');
  if (line.includes('\r')) return reject(400, 'bare CR in the request line');

  // A version-less request line is an HTTP/0.9 simple request (go-ftw leaves a trailing space).
  const simple = /^([^ ]+) ([^ ]+) ?$/.exec(line);
  if (simple) {
    const method = simple[1] as string;
    const target = simple[2] as string;
    if (!TOKEN.test(method) || !validTarget(method, target)) return reject(400, 'malformed HTTP/0.9 request line');
    return {
      kind: 'request',
      request: { method, target, version: 'HTTP/0.9', headers: [], body: Buffer.alloc(0), http09: true },
    };
  }
  const m = /^([^ ]+) ([^ ]+) ([^ ]+)$/.exec(line);
  if (!m) return reject(400, `malformed request line ${JSON.stringify(line.slice(0, 80))}`);
  const [, method, target, version] = m as unknown as [string, string, string, string];
  if (!TOKEN.test(method)) return reject(400, `invalid method ${JSON.stringify(method.slice(0, 40))}`);
  const v = /^HTTP\/(\d)\.(\d)$/.exec(version);
  if (!v || v[1] === '0') return reject(400, `invalid HTTP version ${JSON.stringify(version.slice(0, 20))}`);
  if (!validTarget(method, target)) return reject(400, `invalid request target for ${method}`);

  const headers: [string, string][] = [];
  for (;;) {
    const l = lines.next();
    if (l === undefined) return { kind: 'incomplete', reason: 'header section not terminated' };
    if (l === '') break;
    if (l.length > MAX_LINE) return reject(400, 'header field too long');
    if (l.includes('\r')) return reject(400, 'bare CR in a header field');
    if (l.startsWith(' ') || l.startsWith('\t')) {
      // obs-fold: replaced by a space and appended to the previous field value (RFC 9112 §5.2).
      const last = headers[headers.length - 1];
      if (!last) return reject(400, 'continuation line before the first header');
      const more = l.replace(/^[ \t]+|[ \t]+$/g, '');
      if (more !== '') last[1] = last[1] === '' ? more : `${last[1]} ${more}`;
      continue;
    }
    const colon = l.indexOf(':');
    if (colon <= 0) return reject(400, `header line without a field name: ${JSON.stringify(l.slice(0, 40))}`);
    const name = l.slice(0, colon);
    if (!TOKEN.test(name)) return reject(400, `invalid header field name ${JSON.stringify(name.slice(0, 40))}`);
    const value = l.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (value.includes('\0')) return reject(400, `NUL in the ${name} header`);
    headers.push([name, value]);
    if (headers.length > MAX_HEADERS) return reject(400, 'too many header fields');
  }

  const named = (n: string) => headers.filter(([k]) => k.toLowerCase() === n);
  const hosts = named('host');
  if (version === 'HTTP/1.1' && hosts.length === 0) return reject(400, 'HTTP/1.1 request without Host');
  if (hosts.length > 1) return reject(400, 'more than one Host header');
  const host = hosts[0];
  if (host && !validHost(host[1])) return reject(400, `invalid Host ${JSON.stringify(host[1].slice(0, 60))}`);

  let body = '';
  const bodyStart = lines.offset;
  const te = named('transfer-encoding');
  if (te.length > 0) {
    const codings = te
      .flatMap(([, val]) => val.split(','))
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '');
    if (codings[codings.length - 1] !== 'chunked') return reject(400, 'Transfer-Encoding without chunked as the final coding');
    if (codings.length > 1) return reject(501, `unsupported transfer coding ${codings[0]}`);
    const out = dechunk(raw, bodyStart);
    if ('kind' in out) return out;
    body = out.body;
    // Transfer-Encoding overrides Content-Length, which an intermediary removes (RFC 9112 §6.3).
    for (let i = headers.length - 1; i >= 0; i--) {
      if ((headers[i] as [string, string])[0].toLowerCase() === 'content-length') headers.splice(i, 1);
    }
  } else {
    const cl = named('content-length');
    if (cl.length > 0) {
      const values = [...new Set(cl.flatMap(([, val]) => val.split(',')).map((s) => s.trim()))];
      if (values.length !== 1 || !/^\d{1,15}$/.test(values[0] as string)) return reject(400, 'invalid Content-Length');
      const n = Number(values[0]);
      if (raw.length - bodyStart < n) return { kind: 'incomplete', reason: `body shorter than Content-Length ${n}` };
      body = raw.slice(bodyStart, bodyStart + n);
    }
  }
  return {
    kind: 'request',
    request: { method, target, version, headers, body: Buffer.from(body, 'latin1'), http09: false },
  };
}
