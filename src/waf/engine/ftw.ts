// A runner for CRS regression tests in go-ftw YAML form, straight against the engine (no HTTP
// server): each stage's request goes through phases 1-2 (and 3-5 with an empty 200 response) and
// the logged rule ids are compared with the stage's expect_ids / no_expect_ids. Used by crs.test.ts
// and handy from a REPL when working on CRS compatibility.

import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { WafEngine } from './engine.js';
import type { WafRequest, WafResponse } from './types.js';

export interface FtwStage {
  file: string;
  testId: string;
  request: WafRequest;
  expectIds: number[];
  noExpectIds: number[];
}

export interface FtwResult {
  stage: FtwStage;
  ok: boolean;
  logged: number[];
  missing: number[];
  unexpected: number[];
}

type Input = Record<string, unknown>;

/** Text from YAML is Unicode: requests carry its UTF-8 bytes (as a latin1 byte string). */
function bytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function dechunk(body: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) return out + body.slice(i);
    const size = Number.parseInt(body.slice(i, eol).split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size <= 0) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}

/** A chunked body is de-chunked and Content-Length dropped, as the web server in front does. */
function unchunk(headers: [string, string][], body: string): { headers: [string, string][]; body: string } {
  if (!headers.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v))) return { headers, body };
  return { headers: headers.filter(([k]) => k.toLowerCase() !== 'content-length'), body: dechunk(body) };
}

/** Parses a raw HTTP/1.x request (encoded_request) into a WafRequest. */
export function parseRawRequest(raw: string): WafRequest {
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? raw : raw.slice(0, headEnd);
  const body = headEnd < 0 ? '' : raw.slice(headEnd + 4);
  const lines = head.split('\r\n');
  const first = lines.shift() ?? '';
  const parts = first.split(' ');
  const method = parts[0] ?? '';
  const protocol = parts.length > 2 ? (parts[parts.length - 1] ?? '') : 'HTTP/1.1';
  const uri = parts.length > 2 ? parts.slice(1, -1).join(' ') : (parts[1] ?? '');
  const headers: [string, string][] = [];
  for (const l of lines) {
    const c = l.indexOf(':');
    if (c > 0) headers.push([l.slice(0, c), l.slice(c + 1).trim()]);
  }
  const h = unchunk(headers, body);
  return {
    method,
    uri,
    protocol,
    headers: h.headers,
    body: h.body === '' ? undefined : Buffer.from(h.body, 'latin1'),
    remoteAddr: '127.0.0.1',
    remotePort: 50000,
    serverAddr: '127.0.0.1',
    serverPort: 80,
  };
}

function toRequest(input: Input): WafRequest {
  if (typeof input.encoded_request === 'string') {
    return parseRawRequest(Buffer.from(input.encoded_request.replace(/\s+/g, ''), 'base64').toString('latin1'));
  }
  const headers: [string, string][] = [];
  const h = input.headers;
  if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) headers.push([bytes(k), bytes(String(v))]);
  let data = input.data === undefined || input.data === null ? undefined : bytes(String(input.data));
  const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
  if (data !== undefined && input.autocomplete_headers !== false) {
    // go-ftw completes the framing headers and gives a body a form Content-Type.
    if (!has('content-length')) headers.push(['Content-Length', String(data.length)]);
    if (!has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  } else if (data !== undefined && !has('content-length') && !has('transfer-encoding')) {
    data = undefined; // an HTTP/1.1 server reads no body without framing headers
  }
  const framed = unchunk(headers, data ?? '');
  return {
    method: bytes(String(input.method ?? 'GET')),
    uri: bytes(String(input.uri ?? '/')),
    // A request line without a version is HTTP/0.9.
    protocol: input.version === '' ? 'HTTP/0.9' : String(input.version ?? 'HTTP/1.1'),
    headers: framed.headers,
    body: data === undefined ? undefined : Buffer.from(framed.body, 'latin1'),
    remoteAddr: '127.0.0.1',
    remotePort: 50000,
    serverAddr: String(input.dest_addr ?? '127.0.0.1'),
    serverPort: Number(input.port ?? 80),
  };
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.map(Number).filter(Number.isFinite) : [];
}

export function loadFtwFile(path: string): FtwStage[] {
  const doc = parse(readFileSync(path, 'utf8')) as { tests?: { test_id?: unknown; stages?: unknown[] }[] };
  const out: FtwStage[] = [];
  for (const t of doc?.tests ?? []) {
    for (const s of t.stages ?? []) {
      const st = (s as { stage?: Input }).stage ?? (s as Input);
      const input = st.input as Input | undefined;
      const output = (st.output ?? {}) as Input;
      const log = (output.log ?? {}) as Input;
      if (!input) continue;
      out.push({
        file: path,
        testId: String(t.test_id ?? ''),
        request: toRequest(input),
        expectIds: numbers(log.expect_ids),
        noExpectIds: numbers(log.no_expect_ids),
      });
    }
  }
  return out;
}

export function loadFtwDir(dir: string): FtwStage[] {
  const out: FtwStage[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...loadFtwDir(p));
    else if (/\.ya?ml$/.test(name)) out.push(...loadFtwFile(p));
  }
  return out;
}

/**
 * The response the test backend (albedo) gives: `/reflect` answers with the JSON request body's
 * status/headers/body (base64 `encodedBody` too); anything else is an empty 200 text/html page.
 */
export function backendResponse(req: WafRequest): WafResponse {
  const res: WafResponse = { status: 200, headers: [['Content-Type', 'text/html']] };
  if (!req.uri.startsWith('/reflect') || req.body === undefined) return res;
  try {
    const spec = JSON.parse(req.body.toString('utf8')) as {
      status?: number;
      headers?: Record<string, string>;
      body?: string;
      encodedBody?: string;
    };
    const headers = Object.entries(spec.headers ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'text/plain; charset=utf-8']);
    const body = spec.encodedBody !== undefined ? Buffer.from(spec.encodedBody, 'base64') : Buffer.from(spec.body ?? '', 'utf8');
    return { status: spec.status ?? 200, headers, body };
  } catch {
    return res;
  }
}

export function runFtwStage(engine: WafEngine, stage: FtwStage): FtwResult {
  const tx = engine.newTransaction();
  if (tx.processRequestHeaders(stage.request) === undefined && tx.processRequestBody() === undefined) {
    if (tx.processResponseHeaders(backendResponse(stage.request)) === undefined) tx.processResponseBody();
  }
  tx.processLogging();
  const logged = [...new Set(tx.matchedRules.map((m) => m.id))];
  const missing = stage.expectIds.filter((id) => !logged.includes(id));
  const unexpected = stage.noExpectIds.filter((id) => logged.includes(id));
  return { stage, ok: missing.length === 0 && unexpected.length === 0, logged, missing, unexpected };
}
