// protocol_guard: rejects requests whose head breaks the route's limits or whose framing could be
// read two ways by two parsers (request smuggling). Node's HTTP/1 parser already refuses most
// smuggling shapes before any stage runs (see client-error.ts for what it catches and how we answer);
// this stage is the check for what reaches it anyway — shapes llhttp accepts, HTTP/2 and HTTP/3
// requests, and limits that are stricter for one route than the server-wide parser settings.
// All checks read the parsed head only; the body is never touched.
import type { Limits, RouteConfig } from '../../config/schema.js';
import { metrics } from '../../telemetry/metrics.js';
import type { RequestContext, Stage, StageDeps, StageFactory, StageResult, Verdict } from '../stage.js';

export { clientErrorResponse, handleClientError } from './client-error.js';

/** The route's limits over the global ones (a route sets only the keys it changes). */
export function routeLimits(route: RouteConfig, global: Limits): Limits {
  const own = route.limits;
  if (!own) return global;
  const merged = { ...global };
  for (const k of Object.keys(own) as (keyof Limits)[]) {
    const v = own[k];
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

type GuardError = 'bad_request' | 'method_not_allowed' | 'uri_too_long' | 'headers_too_large' | 'payload_too_large';

const STATUS: Record<GuardError, number> = {
  bad_request: 400,
  method_not_allowed: 405,
  uri_too_long: 414,
  headers_too_large: 431,
  payload_too_large: 413,
};

/** Reason (metric label and body `reason`) -> the error class it belongs to. */
const REASONS = {
  method_not_allowed: 'method_not_allowed',
  uri_too_long: 'uri_too_long',
  too_many_headers: 'headers_too_large',
  header_bytes_exceeded: 'headers_too_large',
  invalid_header_name: 'bad_request',
  invalid_header_value: 'bad_request',
  missing_host: 'bad_request',
  content_length_with_transfer_encoding: 'bad_request',
  unsupported_transfer_encoding: 'bad_request',
  transfer_encoding_not_allowed: 'bad_request',
  multiple_content_length: 'bad_request',
  invalid_content_length: 'bad_request',
  payload_too_large: 'payload_too_large',
} as const satisfies Record<string, GuardError>;
export type GuardReason = keyof typeof REASONS;

// RFC 9110 token; HTTP/2 and HTTP/3 pseudo-headers (":path") add a leading colon.
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PSEUDO_OR_TOKEN_RE = /^:?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: HTAB, SP, VCHAR, obs-text. Anything else (CR, LF, NUL, other CTLs, DEL) is refused,
// the same set Node refuses when it writes headers.
const INVALID_VALUE_RE = /[^\t\x20-\x7e\x80-\xff]/;
const DIGITS_RE = /^\d+$/;
/** Bytes a header line takes on the wire besides name and value: ": " and CRLF. */
const LINE_OVERHEAD = 4;

class ProtocolGuard implements Stage {
  readonly name = 'protocol_guard';
  private readonly allowed: ReadonlySet<string>;
  private readonly maxUri: number;
  private readonly maxHeaderCount: number;
  private readonly maxHeaderBytes: number;
  private readonly maxBody: number;
  /** Rejections are fixed per reason, so they are built once (frozen: shared by every request). */
  private readonly verdicts: Record<GuardReason, Verdict>;

  constructor(limits: Limits) {
    this.allowed = new Set(limits.allowed_methods);
    this.maxUri = limits.max_uri_length;
    this.maxHeaderCount = limits.max_header_count;
    this.maxHeaderBytes = limits.max_header_bytes;
    this.maxBody = limits.max_body_bytes;
    const allow = limits.allowed_methods.join(', ');
    const verdicts = {} as Record<GuardReason, Verdict>;
    for (const reason of Object.keys(REASONS) as GuardReason[]) {
      const error = REASONS[reason];
      verdicts[reason] = Object.freeze({
        action: 'deny',
        status: STATUS[error],
        reason,
        body: Object.freeze({ error, reason }),
        ...(reason === 'method_not_allowed' ? { headers: Object.freeze({ Allow: allow }) } : {}),
      }) as Verdict;
    }
    this.verdicts = verdicts;
  }

  run(ctx: RequestContext): StageResult {
    const req = ctx.request;
    const uriLength = req.query.length > 0 ? req.path.length + 1 + req.query.length : req.path.length;
    if (uriLength > this.maxUri) return this.reject('uri_too_long');

    const headerProblem = this.checkHeaders(ctx);
    if (headerProblem !== undefined) return this.reject(headerProblem);

    const framingProblem = this.checkFraming(ctx);
    if (framingProblem !== undefined) return this.reject(framingProblem);

    if (!this.allowed.has(req.method)) return this.reject('method_not_allowed');
    return undefined;
  }

  private checkHeaders(ctx: RequestContext): GuardReason | undefined {
    const headers = ctx.request.headers;
    const nameRe = ctx.request.protocol === 'HTTP/2' || ctx.request.protocol === 'HTTP/3' ? PSEUDO_OR_TOKEN_RE : TOKEN_RE;
    // Node merges repeated headers into one entry, so count and size are of the merged head: a
    // lower bound of the wire head, which Node's own maxHeaderSize bounds from above for HTTP/1.
    let count = 0;
    let bytes = 0;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      if (!nameRe.test(name)) return 'invalid_header_name';
      if (typeof value === 'string') {
        count++;
        bytes += name.length + value.length + LINE_OVERHEAD;
        if (INVALID_VALUE_RE.test(value)) return 'invalid_header_value';
      } else {
        for (const v of value) {
          count++;
          bytes += name.length + v.length + LINE_OVERHEAD;
          if (INVALID_VALUE_RE.test(v)) return 'invalid_header_value';
        }
      }
    }
    if (count > this.maxHeaderCount) return 'too_many_headers';
    if (bytes > this.maxHeaderBytes) return 'header_bytes_exceeded';
    return undefined;
  }

  private checkFraming(ctx: RequestContext): GuardReason | undefined {
    const headers = ctx.request.headers;
    // RFC 9112 3.2: an HTTP/1.1 request without Host must get a 400 (the listener leaves this
    // check to us, with requireHostHeader off, so the answer has the guard's JSON shape).
    if (headers.host === undefined && ctx.request.protocol === 'HTTP/1.1') return 'missing_host';
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    if (te !== undefined) {
      // Transfer-Encoding is HTTP/1.1 only: HTTP/1.0 predates it (and llhttp still decodes it
      // there), HTTP/2 and HTTP/3 forbid it (RFC 9113 8.2.2, RFC 9114 4.2).
      if (ctx.request.protocol !== 'HTTP/1.1') return 'transfer_encoding_not_allowed';
      if (cl !== undefined) return 'content_length_with_transfer_encoding';
      // Only the exact "chunked" is framed the same way by every parser; "gzip, chunked" and
      // "Chunked" pass llhttp but are classic desync probes, and the proxy does not decode codings.
      if (te !== 'chunked') return 'unsupported_transfer_encoding';
    }
    let declared = ctx.contentLength;
    if (cl !== undefined) {
      if (typeof cl !== 'string') return 'multiple_content_length';
      if (!DIGITS_RE.test(cl)) return cl.includes(',') ? 'multiple_content_length' : 'invalid_content_length';
      if (declared === undefined) declared = Number(cl);
    }
    if (declared !== undefined && declared > this.maxBody) return 'payload_too_large';
    return undefined;
  }

  private reject(reason: GuardReason): Verdict {
    metrics.guardRejections.inc({ reason });
    return this.verdicts[reason];
  }
}

export const protocolGuardStage: StageFactory = {
  name: 'protocol_guard',
  description:
    'Rejects malformed or oversized request heads: disallowed methods (405), long URIs (414), too many or too large headers (431), declared bodies over max_body_bytes (413), ambiguous framing, a missing Host and invalid header bytes (400).',
  create(route: RouteConfig, deps: StageDeps): Stage {
    return new ProtocolGuard(routeLimits(route, deps.config.limits));
  },
};
