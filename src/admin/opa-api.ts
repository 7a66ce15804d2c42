// OPA's REST Data API on the admin listener, so existing OPA clients work unchanged:
//   GET|POST /v1/data[/{path}]  → {"result": ..., "decision_id": ...}  ({} without result when undefined)
//   POST /v1/query, GET /v1/query?q=  → {"result": [bindings...]}
//   POST /                      → data.system.main on the body as input (OPA's default decision)
//   GET /health                 → {} (500 with {"error": ...} when no policy set is loaded)
// Status codes and error bodies follow OPA: 400 {"code":"invalid_parameter","message":...},
// 404 {"code":"resource_not_found"}, 500 {"code":"internal_error","message":...,"errors":[...]}.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { PreparedPolicy } from '../rego/index.js';
import { RegoError, RegoErrors, fromJSON, toJSON } from '../rego/index.js';

export interface OpaApiSource {
  /** The current prepared policy set, or undefined when none is configured. */
  policy(): PreparedPolicy | undefined;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, pretty: boolean): void {
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'invalid_parameter', `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'invalid_parameter', `${what}: ${(e as Error).message}`);
  }
}

function regoErrorJson(e: RegoError): Record<string, unknown> {
  const out: Record<string, unknown> = { code: e.code, message: e.message };
  if (e.location) out.location = { file: e.location.file, row: e.location.row, col: e.location.col };
  return out;
}

/** Maps engine errors to OPA's API errors: query/parse problems are 400, evaluation failures 500. */
function engineError(e: unknown): ApiError {
  const list = e instanceof RegoErrors ? e.errors : e instanceof RegoError ? [e] : undefined;
  if (!list) return new ApiError(500, 'internal_error', (e as Error).message ?? String(e));
  const compile = list.some((x) => x.code.startsWith('rego_'));
  const n = list.length;
  const message = `${n} error${n === 1 ? '' : 's'} occurred: ${list.map((x) => x.toString()).join('\n')}`;
  return new ApiError(compile ? 400 : 500, compile ? 'invalid_parameter' : 'internal_error', message, list.map(regoErrorJson));
}

function dataPath(pathname: string): string[] {
  const rest = pathname.replace(/^\/v1\/data\/?/, '');
  return rest === ''
    ? []
    : rest
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent);
}

function needPolicy(src: OpaApiSource): PreparedPolicy {
  const p = src.policy();
  if (!p) throw new ApiError(404, 'resource_not_found', 'no policy set is loaded (configure policy.paths)');
  return p;
}

/** Handles the OPA endpoints; returns false when the path is not one of them. */
export async function handleOpaApi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  src: OpaApiSource,
): Promise<boolean> {
  const p = url.pathname;
  const isData = p === '/v1/data' || p.startsWith('/v1/data/');
  const isDefault = p === '/' && req.method === 'POST';
  if (!isData && !isDefault && p !== '/v1/query' && p !== '/health') return false;
  const pretty = url.searchParams.has('pretty') && url.searchParams.get('pretty') !== 'false';
  const strict = url.searchParams.get('strict-builtin-errors') === 'true';
  try {
    if (p === '/health') {
      if (req.method !== 'GET') throw new ApiError(405, 'invalid_parameter', 'method not allowed');
      if (!src.policy()) throw new ApiError(500, 'internal_error', 'no policy set is loaded');
      send(res, 200, {}, pretty);
      return true;
    }
    if (isDefault) {
      // OPA's default decision API: the body is the input itself; the result is returned bare.
      const text = await readBody(req);
      const input = text.trim() === '' ? undefined : parseJson(text, 'body contains malformed input document');
      const policy = needPolicy(src);
      let v: ReturnType<PreparedPolicy['evalPath']>;
      try {
        v = policy.evalPath(['system', 'main'], input === undefined ? undefined : fromJSON(input), {
          strictBuiltinErrors: strict,
        });
      } catch (e) {
        throw engineError(e);
      }
      if (v === undefined) throw new ApiError(404, 'undefined_document', 'document missing: data.system.main');
      send(res, 200, toJSON(v), pretty);
      return true;
    }
    if (isData) {
      let input: unknown;
      if (req.method === 'POST') {
        const text = await readBody(req);
        if (text.trim() !== '') {
          const body = parseJson(text, 'body contains malformed input document');
          if (typeof body !== 'object' || body === null || Array.isArray(body))
            throw new ApiError(400, 'invalid_parameter', 'body must be an object with an "input" field');
          input = (body as Record<string, unknown>).input;
        }
      } else if (req.method === 'GET') {
        const q = url.searchParams.get('input');
        if (q !== null) input = parseJson(q, 'input parameter is not valid JSON');
      } else {
        throw new ApiError(405, 'invalid_parameter', `method ${req.method} not allowed on ${p} (the data API is read-only)`);
      }
      const policy = needPolicy(src);
      let result: unknown;
      try {
        const v = policy.evalPath(dataPath(p), input === undefined ? undefined : fromJSON(input), {
          strictBuiltinErrors: strict,
        });
        result = v === undefined ? undefined : toJSON(v);
      } catch (e) {
        throw engineError(e);
      }
      const decisionId = randomUUID();
      send(res, 200, result === undefined ? { decision_id: decisionId } : { result, decision_id: decisionId }, pretty);
      return true;
    }
    // /v1/query
    let query: string | null;
    let input: unknown;
    if (req.method === 'GET') query = url.searchParams.get('q');
    else if (req.method === 'POST') {
      const body = parseJson(await readBody(req), 'body is not valid JSON');
      if (typeof body !== 'object' || body === null) throw new ApiError(400, 'invalid_parameter', 'body must be an object');
      const b = body as Record<string, unknown>;
      if (b.query !== undefined && typeof b.query !== 'string')
        throw new ApiError(400, 'invalid_parameter', '"query" must be a string');
      query = (b.query as string | undefined) ?? null;
      input = b.input;
    } else throw new ApiError(405, 'invalid_parameter', `method ${req.method} not allowed on /v1/query`);
    if (query === null || query.trim() === '') throw new ApiError(400, 'invalid_parameter', 'missing query');
    const policy = needPolicy(src);
    let rows: ReturnType<PreparedPolicy['query']>;
    try {
      rows = policy.query(query, input === undefined ? undefined : fromJSON(input), { strictBuiltinErrors: strict });
    } catch (e) {
      throw engineError(e);
    }
    send(res, 200, { result: rows.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, toJSON(v)]))) }, pretty);
    return true;
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(500, 'internal_error', (e as Error).message);
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.errors) body.errors = err.errors;
    if (!res.headersSent) send(res, err.status, body, pretty);
    else res.destroy();
    return true;
  }
}
