// Filling the transaction state from the request line/headers (phase 1) and the response
// (phases 3/4).

import { randomBytes } from 'node:crypto';

// UNIQUE_ID: a random per-process prefix plus a counter: unique, and no random bytes per request.
const ID_PREFIX = randomBytes(8).toString('hex');
let idCounter = 0;
import { argumentsLimit } from './body.js';
import type { EngineSettings } from '../rule.js';
import { parseCookies, processorFor, splitUri } from './request.js';
import type { TxState } from './state.js';
import type { WafRequest, WafResponse } from './types.js';
import { parseUrlEncoded } from './urlencoded.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function populateRequest(t: TxState, req: WafRequest, settings: EngineSettings, autoProcessors: boolean): void {
  t.req = req;
  t.method = str(req.method);
  t.protocol = str(req.protocol);
  t.uriRaw = str(req.uri);
  t.requestLine = `${t.method} ${t.uriRaw} ${t.protocol}`;
  const u = splitUri(t.uriRaw);
  t.uri = u.uri;
  t.filename = u.filename;
  t.basename = u.basename;
  t.query = u.query;
  t.uniqueId =
    typeof req.id === 'string' && req.id !== '' ? req.id : `${ID_PREFIX}${(++idCounter).toString(16).padStart(8, '0')}`;

  const cookies: { name: string; value: string }[] = [];
  for (const h of Array.isArray(req.headers) ? req.headers : []) {
    if (!Array.isArray(h)) continue;
    const name = str(h[0]);
    const value = str(h[1]);
    t.headers.add(name, value);
    t.headerNames.add(name, name);
    if (name.length === 6 && name.toLowerCase() === 'cookie') parseCookies(value, cookies);
  }
  for (const c of cookies) {
    t.cookies.add(c.name, c.value);
    t.cookieNames.add(c.name, c.name);
  }
  const host = t.headers.first('host');
  t.serverName = host !== undefined ? host.replace(/:\d*$/, '').replace(/^\[(.*)\]$/, '$1') : str(req.serverAddr);

  if (u.query !== undefined && u.query !== '') {
    const limit = argumentsLimit(settings);
    const { pairs, truncated } = parseUrlEncoded(u.query, limit);
    for (const p of pairs) t.addArg('GET', p.name, p.value);
    if (truncated) t.inboundDataError = true;
  }
  t.bodyProcessor = processorFor(t.headers.first('content-type'), autoProcessors);
}

export function populateResponse(t: TxState, res: WafResponse): void {
  t.res = res;
  for (const h of Array.isArray(res.headers) ? res.headers : []) {
    if (!Array.isArray(h)) continue;
    const name = str(h[0]);
    t.resHeaders.add(name, str(h[1]));
    t.resHeaderNames.add(name, name);
  }
}

const DEFAULT_RESPONSE_LIMIT = 524_288;
const DEFAULT_MIME = ['text/plain', 'text/html'];

/** Loads RESPONSE_BODY when its MIME type is inspected; returns true when a Reject limit was hit. */
export function loadResponseBody(
  t: TxState,
  body: Buffer | undefined,
  settings: EngineSettings,
  limitOverride: number | undefined,
  canReject: boolean,
): boolean {
  if (body === undefined || body.length === 0) return false;
  const types = settings.responseBodyMimeTypes?.length ? settings.responseBodyMimeTypes : DEFAULT_MIME;
  const ct = (t.resHeaders.first('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!types.some((m) => m.toLowerCase() === ct)) return false;
  const limit = limitOverride ?? (settings.responseBodyLimit > 0 ? settings.responseBodyLimit : DEFAULT_RESPONSE_LIMIT);
  let usable = body.length;
  if (usable > limit) {
    t.outboundDataError = true;
    if (canReject && settings.responseBodyLimitAction !== 'ProcessPartial') return true;
    usable = limit;
  }
  t.responseBody = body.toString('latin1', 0, usable);
  return false;
}
