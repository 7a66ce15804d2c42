// The exact bytes go-ftw puts on the wire for a stage (ftwhttp BuildRequest, go-ftw v1.x/v2):
//   - encoded_request: the base64-decoded bytes, nothing added; raw_request: the text as is.
//   - otherwise `METHOD SP URI SP VERSION CRLF` (defaults GET, /, HTTP/1.1, no validation: broken
//     request lines are the point of some tests), the headers in order as `name: value CRLF`, CRLF,
//     then the body.
//   - body: `data` after template expansion (or `encoded_data` decoded). With autocomplete on and a
//     non-empty body, a missing Content-Type becomes application/x-www-form-urlencoded, and when the
//     Content-Type is exactly that and the data has no '%' or '+' (url.QueryUnescape would leave it
//     unchanged), every key and value between '&' / '=' is url.QueryEscape'd.
//   - a Content-Type containing "multipart/form-data;" turns every LF of the body into CRLF
//     (autocomplete or not; an existing CRLF becomes CR CR LF, as go-ftw does).
//   - autocomplete then adds `Connection: close` when there is no Connection header, and a
//     Content-Length when there is none and the body is non-empty or the method matches go-ftw's
//     `^POST|PUT|PATCH|DELETE$` (sic: unanchored alternatives). go-ftw does not add Host.

import { expandTemplate, queryEscape, TemplateError } from './template.js';
import type { FtwHeader, FtwInput } from './types.js';

export class FtwInputError extends Error {
  override name = 'FtwInputError';
}

export interface BuiltRequest {
  bytes: Buffer;
  /** Things go-ftw would do silently that the report should show (e.g. a template that failed). */
  notes: string[];
}

/** Text from YAML is Unicode; the wire carries its UTF-8 bytes. Returned as a byte string. */
function utf8(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path
  return /^[\u0000-\u007f]*$/.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** Go's base64.StdEncoding.DecodeString: padded alphabet; CR and LF are skipped. */
export function decodeBase64Strict(s: string, what: string): Buffer {
  const clean = s.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new FtwInputError(`${what}: invalid base64`);
  }
  return Buffer.from(clean, 'base64');
}

// net/textproto.CanonicalMIMEHeaderKey leaves names with bytes outside the token set unchanged, so
// only valid token names compare case-insensitively.
function canonical(name: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) ? name.toLowerCase() : name;
}

function hasAny(headers: FtwHeader[], name: string): boolean {
  const key = canonical(name);
  return headers.some((h) => canonical(h.name) === key);
}

const FORM = 'application/x-www-form-urlencoded';

function encodeForm(data: string): string {
  if (/[%+]/.test(data)) return data;
  return data
    .split('&')
    .map((token) => {
      const eq = token.indexOf('=');
      return eq < 0 ? queryEscape(token) : `${queryEscape(token.slice(0, eq))}=${queryEscape(token.slice(eq + 1))}`;
    })
    .join('&');
}

/** The body bytes of a stage (byte string), before the Content-Type dependent rewriting. */
export function stageData(input: FtwInput, notes: string[]): string {
  if (input.data !== undefined) {
    try {
      return expandTemplate(utf8(input.data));
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      // go-ftw logs the template error and sends no body at all.
      notes.push(`data template not expanded (${e.message}); sent without a body, as go-ftw does`);
      return '';
    }
  }
  if (input.encodedData !== undefined) return decodeBase64Strict(input.encodedData, 'encoded_data').toString('latin1');
  return '';
}

export function buildRequest(input: FtwInput, uriOverride?: string): BuiltRequest {
  const notes: string[] = [];
  if (input.encodedRequest !== undefined) {
    if (input.data) throw new FtwInputError("'data' and 'encoded_request' must not be set simultaneously");
    return { bytes: decodeBase64Strict(input.encodedRequest, 'encoded_request'), notes };
  }
  if (input.rawRequest !== undefined) return { bytes: Buffer.from(utf8(input.rawRequest), 'latin1'), notes };

  const method = utf8(input.method ?? 'GET');
  const uri = utf8(uriOverride ?? input.uri ?? '/');
  const version = utf8(input.version ?? 'HTTP/1.1');
  const headers: FtwHeader[] = input.headers.map((h) => ({ name: utf8(h.name), value: utf8(h.value) }));
  let data = stageData(input, notes);

  if (data.length > 0 && input.autocompleteHeaders) {
    if (!hasAny(headers, 'Content-Type')) headers.push({ name: 'Content-Type', value: FORM });
    const isForm = headers.some((h) => canonical(h.name) === 'content-type' && h.value.toLowerCase() === FORM);
    if (isForm) data = encodeForm(data);
  }
  if (headers.some((h) => canonical(h.name) === 'content-type' && h.value.toLowerCase().includes('multipart/form-data;'))) {
    data = data.replace(/\n/g, '\r\n');
  }
  if (input.autocompleteHeaders) {
    if (!hasAny(headers, 'Connection')) headers.push({ name: 'Connection', value: 'close' });
    if (!hasAny(headers, 'Content-Length') && (data.length > 0 || /^POST|PUT|PATCH|DELETE$/.test(method))) {
      headers.push({ name: 'Content-Length', value: String(data.length) });
    }
  }
  let head = `${method} ${uri} ${version}\r\n`;
  for (const h of headers) head += `${h.name}: ${h.value}\r\n`;
  head += '\r\n';
  return { bytes: Buffer.from(head + data, 'latin1'), notes };
}
