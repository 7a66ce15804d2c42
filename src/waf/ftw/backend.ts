// The backend of the CRS test setup: albedo (a Go net/http server), as its capabilities document
// describes it. `POST /reflect` (and paths below `/reflect/`) answers with the JSON specification in
// the request body: {status, headers, body, encodedBody, logMessage}; status 0 means 200, a status
// outside 100..599 or invalid JSON is a 400 with a short text. Any other request gets an empty 200.
// As with any Go handler, a response with a body and no Content-Type gets a sniffed one
// (net/http.DetectContentType, of which the text/HTML/XML/common-binary part is reproduced here),
// which decides whether SecResponseBodyMimeType lets the WAF inspect the body.

import { STATUS_CODES } from 'node:http';
import type { ParsedRequest } from './http-parse.js';
import type { FtwResponseSpec } from './types.js';

export interface BackendResponse {
  status: number;
  headers: [string, string][];
  /** Byte string. */
  body: string;
}

const FIXED_DATE = 'Mon, 01 Jan 2024 00:00:00 GMT';

const HTML_TAGS = [
  '<!DOCTYPE HTML',
  '<HTML',
  '<HEAD',
  '<SCRIPT',
  '<IFRAME',
  '<H1',
  '<DIV',
  '<FONT',
  '<TABLE',
  '<A',
  '<STYLE',
  '<TITLE',
  '<B',
  '<BODY',
  '<BR',
  '<P',
  '<!--',
];

const MAGIC: [string, string][] = [
  ['%PDF-', 'application/pdf'],
  ['%!PS-Adobe-', 'application/postscript'],
  ['GIF87a', 'image/gif'],
  ['GIF89a', 'image/gif'],
  ['\x89PNG\r\n\x1a\n', 'image/png'],
  ['\xff\xd8\xff', 'image/jpeg'],
  ['BM', 'image/bmp'],
  ['\x1f\x8b\x08', 'application/x-gzip'],
  ['PK\x03\x04', 'application/zip'],
  ['Rar!\x1a\x07\x00', 'application/x-rar-compressed'],
  ['\x00asm', 'application/wasm'],
];

/** net/http.DetectContentType for the first 512 bytes of a byte-string body (common cases). */
export function sniffContentType(body: string): string {
  const head = body.slice(0, 512);
  if (head.startsWith('\xfe\xff')) return 'text/plain; charset=utf-16be';
  if (head.startsWith('\xff\xfe')) return 'text/plain; charset=utf-16le';
  if (head.startsWith('\xef\xbb\xbf')) return 'text/plain; charset=utf-8';
  const text = head.replace(/^[\t\n\f\r ]+/, '');
  const upper = text.toUpperCase();
  for (const tag of HTML_TAGS) {
    const next = text[tag.length];
    if (upper.startsWith(tag) && (next === ' ' || next === '>')) return 'text/html; charset=utf-8';
  }
  if (text.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  for (const [sig, type] of MAGIC) if (head.startsWith(sig)) return type;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the "binary data byte" set of the sniffing standard
  if (/[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/.test(head)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

function validHeader(name: string, value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: CTLs are invalid in field values
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) && !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}

function respond(status: number, body: string, extra: [string, string][] = []): BackendResponse {
  const headers: [string, string][] = extra.filter(([k, v]) => validHeader(k, v));
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (body.length > 0 && !has('content-type')) headers.push(['Content-Type', sniffContentType(body)]);
  headers.push(['Date', FIXED_DATE]);
  if (!has('content-length') && status >= 200 && status !== 204 && status !== 304) {
    headers.push(['Content-Length', String(body.length)]);
  }
  return { status, headers, body };
}

/** Go's json.Unmarshal matches struct fields case-insensitively. */
function field(spec: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(spec).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : spec[key];
}

function reflect(body: string): BackendResponse {
  let spec: unknown;
  try {
    spec = JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
  } catch {
    return respond(400, 'Invalid JSON in request body');
  }
  if (spec === null) spec = {};
  if (typeof spec !== 'object' || Array.isArray(spec)) return respond(400, 'Invalid JSON in request body');
  const s = spec as Record<string, unknown>;
  const status = field(s, 'status') ?? 0;
  const hdrs = field(s, 'headers') ?? {};
  const text = field(s, 'body') ?? '';
  const encoded = field(s, 'encodedBody') ?? '';
  const typesOk =
    typeof status === 'number' &&
    Number.isInteger(status) &&
    typeof text === 'string' &&
    typeof encoded === 'string' &&
    typeof hdrs === 'object' &&
    hdrs !== null &&
    !Array.isArray(hdrs) &&
    Object.values(hdrs).every((v) => typeof v === 'string');
  if (!typesOk) return respond(400, 'Invalid JSON in request body');
  if ((status > 0 && status < 100) || status >= 600) return respond(400, `Invalid status code: ${status}`);
  const headers = Object.entries(hdrs as Record<string, string>).map(([k, v]): [string, string] => [
    Buffer.from(k, 'utf8').toString('latin1'),
    Buffer.from(v, 'utf8').toString('latin1'),
  ]);
  let out = Buffer.from(text, 'utf8').toString('latin1');
  if (out === '' && encoded !== '') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
      // albedo has already written the status line when it finds the encoding broken.
      return respond(status || 200, 'invalid base64 encoding of response body', headers);
    }
    out = Buffer.from(encoded, 'base64').toString('latin1');
  }
  return respond(status || 200, out, headers);
}

function path(target: string): string {
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(target);
  const p = abs ? (abs[1] as string) || '/' : target;
  return p.replace(/[?#].*$/s, '');
}

/** What the backend answers to `req`; `spec` is a stage's own `input.response`, when it has one. */
export function albedo(req: ParsedRequest, spec?: FtwResponseSpec): BackendResponse {
  if (spec) {
    const headers = spec.headers.map((h): [string, string] => [h.name, h.value]);
    let body = spec.body !== undefined ? Buffer.from(spec.body, 'utf8').toString('latin1') : '';
    if (body === '' && spec.encodedBody) body = Buffer.from(spec.encodedBody, 'base64').toString('latin1');
    return respond(spec.status || 200, body, headers);
  }
  const p = path(req.target);
  if (req.method === 'POST' && (p === '/reflect' || p.startsWith('/reflect/'))) return reflect(req.body.toString('latin1'));
  return respond(200, '');
}

/** The response as the client reads it off the wire (what response_contains is matched against). */
export function serializeResponse(res: BackendResponse): string {
  let out = `HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? 'Unknown'}\r\n`;
  for (const [k, v] of res.headers) out += `${k}: ${v}\r\n`;
  return `${out}\r\n${res.body}`;
}

/** A response made by the server itself (a 400 for a malformed request, a WAF interruption). */
export function serverResponse(status: number): BackendResponse {
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${reason}</title>\n</head></html>\n`;
  return {
    status,
    headers: [
      ['Date', FIXED_DATE],
      ['Content-Length', String(body.length)],
      ['Connection', 'close'],
      ['Content-Type', 'text/html; charset=iso-8859-1'],
    ],
    body,
  };
}
