// Request-line and header helpers: splitting the request target, cookies, the body processor a
// Content-Type calls for.

import { urlDecode } from './urlencoded.js';

export interface UriParts {
  /**
   * REQUEST_URI: the target without an absolute-form `scheme://authority` prefix, percent-decoded
   * ('+' kept) as ModSecurity v3 does; REQUEST_URI_RAW keeps the bytes as received.
   */
  uri: string;
  /** REQUEST_FILENAME: the path, percent-decoded ('+' kept). */
  filename: string;
  /** REQUEST_BASENAME: the part of the path after its last '/' or '\'. */
  basename: string;
  /** QUERY_STRING: after the first '?', raw; undefined when there is no '?'. */
  query: string | undefined;
}

export function splitUri(raw: string): UriParts {
  let uri = raw;
  // Absolute form (`http://host:port/path?q`): REQUEST_URI never carries the authority.
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(raw);
  if (m) {
    uri = raw.slice(m[0].length);
    if (uri === '' || uri[0] === '?') uri = `/${uri}`;
  }
  const q = uri.indexOf('?');
  const rawPath = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? undefined : uri.slice(q + 1);
  const filename = urlDecode(rawPath, false);
  const cut = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
  return { uri: urlDecode(uri, false), filename, basename: filename.slice(cut + 1), query };
}

/** Cookie header → pairs. `;` separates cookies; a cookie without `=` has an empty value. */
export function parseCookies(header: string, out: { name: string; value: string }[]): void {
  for (const piece of header.split(';')) {
    const c = piece.replace(/^[ \t]+/, '');
    if (c === '') continue;
    const eq = c.indexOf('=');
    if (eq < 0) out.push({ name: c.replace(/[ \t]+$/, ''), value: '' });
    else out.push({ name: c.slice(0, eq).replace(/[ \t]+$/, ''), value: c.slice(eq + 1) });
  }
}

export type BodyProcessorName = 'URLENCODED' | 'MULTIPART' | 'JSON' | 'XML';

/** The processor a Content-Type selects; JSON and XML only when `auto` is on. */
export function processorFor(contentType: string | undefined, auto: boolean): BodyProcessorName | undefined {
  if (contentType === undefined) return undefined;
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mime.startsWith('application/x-www-form-urlencoded')) return 'URLENCODED';
  // startsWith: `multipart/form-data boundary=x` (semicolon missing) is still multipart, flagged later.
  if (mime.startsWith('multipart/form-data')) return 'MULTIPART';
  if (!auto) return undefined;
  if (mime === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(mime)) return 'JSON';
  if (mime === 'text/xml' || mime === 'application/xml' || /^application\/[a-z0-9.+-]*\+xml$/.test(mime)) return 'XML';
  return undefined;
}
