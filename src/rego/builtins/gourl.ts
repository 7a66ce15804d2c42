// Go's net/url parsing as far as certificates need it: x509 parses SAN URIs into url.URL structs,
// and OPA exposes that struct (and its String()) through JSON.

export interface GoURL {
  scheme: string;
  opaque: string;
  /** The raw userinfo text before '@', or null when absent. */
  user: string | null;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

type Mode = 'path' | 'fragment' | 'host';

function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host') {
    // Go keeps sub-delims and the characters of IPv6 literals and ports in hosts.
    if ('!$&\'()*+,;=:[]<>"'.includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) return mode === 'path' ? ch === '?' : false;
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function goEscape(s: string, mode: Mode): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    out += shouldEscape(byte, mode) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

function goUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        const bad = s.slice(i, i + 3);
        throw new Error(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = s.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) throw new Error("missing ']' in host");
    const port = host.slice(end + 1);
    if (port !== '' && !/^:\d*$/.test(port)) throw new Error(`invalid port ${JSON.stringify(port)} after host`);
    return goUnescape(host);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^:\d*$/.test(host.slice(colon))) {
    throw new Error(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
  }
  return goUnescape(host);
}

/** Parses like Go's url.Parse; throws Error with Go's message on failure. */
export function parseGoURL(raw: string): GoURL {
  const hash = raw.indexOf('#');
  const main = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go rejects ASCII control bytes here.
  if (/[\x00-\x1f\x7f]/.test(main)) throw new Error('net/url: invalid control character in URL');
  const u: GoURL = {
    scheme: '',
    opaque: '',
    user: null,
    host: '',
    path: '',
    rawPath: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
  };
  if (main === '*') {
    u.path = '*';
  } else {
    let [scheme, rest] = getScheme(main);
    u.scheme = scheme.toLowerCase();
    if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
      u.forceQuery = true;
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) {
        u.rawQuery = rest.slice(q + 1);
        rest = rest.slice(0, q);
      }
    }
    let opaque = false;
    if (!rest.startsWith('/')) {
      if (u.scheme !== '') {
        u.opaque = rest;
        opaque = true;
      } else if ((rest.split('/')[0] as string).includes(':')) {
        throw new Error('first path segment in URL cannot contain colon');
      }
    }
    if (!opaque) {
      if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
        let authority = rest.slice(2);
        rest = '';
        const slash = authority.indexOf('/');
        if (slash >= 0) {
          rest = authority.slice(slash);
          authority = authority.slice(0, slash);
        }
        const at = authority.lastIndexOf('@');
        if (at >= 0) {
          u.user = authority.slice(0, at);
          authority = authority.slice(at + 1);
        }
        u.host = parseHost(authority);
      } else if (u.scheme !== '' && rest.startsWith('/')) {
        u.omitHost = true;
      }
      u.path = goUnescape(rest);
      u.rawPath = goEscape(u.path, 'path') === rest ? '' : rest;
    }
  }
  if (frag !== '') {
    u.fragment = goUnescape(frag);
    u.rawFragment = goEscape(u.fragment, 'fragment') === frag ? '' : frag;
  }
  return u;
}

/** Go's URL.String(). */
export function goURLString(u: GoURL): string {
  let s = '';
  if (u.scheme !== '') s += `${u.scheme}:`;
  if (u.opaque !== '') {
    s += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== null) {
      if (!(u.omitHost && u.host === '' && u.user === null)) {
        if (u.host !== '' || u.path !== '' || u.user !== null) s += '//';
        if (u.user !== null) s += `${u.user}@`;
        if (u.host !== '') s += goEscape(u.host, 'host');
      }
    }
    const path = u.rawPath !== '' ? u.rawPath : goEscape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') s += '/';
    if (s === '' && (path.split('/')[0] as string).includes(':')) s += './';
    s += path;
  }
  if (u.forceQuery || u.rawQuery !== '') s += `?${u.rawQuery}`;
  if (u.fragment !== '') s += `#${u.rawFragment !== '' ? u.rawFragment : goEscape(u.fragment, 'fragment')}`;
  return s;
}
