// Answers for requests that node:http rejects before any stage sees them (the server's 'clientError'
// event): llhttp parse errors, header overflow and the header/request timeouts. Node's default
// handler sends a bare status line; ours sends the same status with a JSON body so clients and logs
// get the same {error, reason} shape as protocol_guard rejections, and counts them in
// shieldx_protocol_guard_rejections_total.
//
// What Node 20 (llhttp, strict parser, maxHeaderSize 16 KiB, requireHostHeader off as the listener
// sets it) does with smuggling shapes, verified with raw sockets in client-error.test.ts:
//   Content-Length + Transfer-Encoding (CL first) -> clientError HPE_INVALID_TRANSFER_ENCODING -> 400
//   Transfer-Encoding + Content-Length (TE first) -> clientError HPE_INVALID_CONTENT_LENGTH    -> 400
//   Content-Length twice (same or different)      -> clientError HPE_UNEXPECTED_CONTENT_LENGTH -> 400
//   Content-Length "4, 4" / "-1" / "+4" / "4a"    -> clientError HPE_INVALID_CONTENT_LENGTH    -> 400
//   Transfer-Encoding "chunked, gzip" / twice   -> clientError HPE_INVALID_TRANSFER_ENCODING -> 400
//   "Transfer-Encoding : chunked" (space before colon), bad name bytes -> HPE_INVALID_HEADER_TOKEN -> 400
//   obs-fold (continuation line), NUL / CTL / DEL in a value -> HPE_INVALID_HEADER_TOKEN       -> 400
//   bare CR in a value -> HPE_LF_EXPECTED -> 400;  bare LF line endings -> HPE_INVALID_VERSION  -> 400
//   head larger than maxHeaderSize -> HPE_HEADER_OVERFLOW -> 431
//   head not complete within headersTimeout -> ERR_HTTP_REQUEST_TIMEOUT -> 408
//   chunk extensions over 16 KiB -> HPE_CHUNK_EXTENSIONS_OVERFLOW -> 400 (Node's default sends 413;
//     an extension is framing, not payload, so it gets the 400 of every other framing error)
//   bad chunk size -> HPE_INVALID_CHUNK_SIZE -> 400
//   Chunk errors surface after the request event, while the body streams; they are answered here
//   only as long as no response has started on the connection.
// Shapes whose head llhttp ACCEPTS, which therefore reach protocol_guard and are rejected there (400):
//   "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: Chunked", Transfer-Encoding on HTTP/1.0,
//   a missing Host (the listener sets requireHostHeader: false), and "Transfer-Encoding: gzip" /
//   "xchunked" (llhttp refuses those only when the body starts, after the request event).
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { metrics } from '../../telemetry/metrics.js';

interface ClientErrorKind {
  status: number;
  error: string;
  reason: string;
}

const TIMEOUT: ClientErrorKind = { status: 408, error: 'request_timeout', reason: 'request_timeout' };
const MALFORMED: ClientErrorKind = { status: 400, error: 'bad_request', reason: 'malformed_request' };

const bad = (reason: string): ClientErrorKind => ({ status: 400, error: 'bad_request', reason });

/** Error code -> answer. Reasons are a fixed set (they are metric labels). */
const KINDS: Record<string, ClientErrorKind> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: 'headers_too_large', reason: 'header_overflow' },
  ERR_HTTP_REQUEST_TIMEOUT: TIMEOUT,
  HPE_HEADERS_TIMEOUT: TIMEOUT,
  HPE_UNEXPECTED_CONTENT_LENGTH: bad('unexpected_content_length'),
  HPE_INVALID_CONTENT_LENGTH: bad('invalid_content_length'),
  HPE_INVALID_TRANSFER_ENCODING: bad('invalid_transfer_encoding'),
  HPE_INVALID_HEADER_TOKEN: bad('invalid_header'),
  HPE_INVALID_METHOD: bad('invalid_method'),
  HPE_INVALID_URL: bad('invalid_url'),
  HPE_LF_EXPECTED: bad('invalid_line_ending'),
  HPE_CR_EXPECTED: bad('invalid_line_ending'),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: bad('chunk_extensions_too_large'),
  HPE_INVALID_CHUNK_SIZE: bad('invalid_chunk'),
  HPE_INVALID_VERSION: bad('invalid_version'),
};

/** Codes that mean the peer is gone: nothing to answer, just release the socket. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']);

/** How long a rejected connection may stay open (reading our answer, closing its side) before it is destroyed. */
const CLOSE_GRACE_MS = 2_000;

function kindOf(err: { code?: string } | undefined): ClientErrorKind {
  const code = err?.code;
  return (code !== undefined && KINDS[code]) || MALFORMED;
}

/** The status and JSON body for a 'clientError'. Any error not listed is a 400 malformed_request. */
export function clientErrorResponse(err: NodeJS.ErrnoException & { code?: string }): { status: number; body: string } {
  const k = kindOf(err);
  return { status: k.status, body: JSON.stringify({ error: k.error, reason: k.reason }) };
}

// Complete raw responses built once per kind: the error path allocates nothing per connection.
const rawCache = new Map<ClientErrorKind, Buffer>();
function rawResponse(k: ClientErrorKind): Buffer {
  let raw = rawCache.get(k);
  if (!raw) {
    const body = JSON.stringify({ error: k.error, reason: k.reason });
    raw = Buffer.from(
      `HTTP/1.1 ${k.status} ${STATUS_CODES[k.status] ?? 'Error'}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
      'latin1',
    );
    rawCache.set(k, raw);
  }
  return raw;
}

const handled = new WeakSet<Duplex>();

interface MaybeHttpSocket {
  _httpMessage?: { headersSent?: boolean } | null;
  destroyed?: boolean;
}

/**
 * The server's 'clientError' listener: answer once with a complete HTTP/1.1 response
 * (`Connection: close`) and close the connection. When the peer is gone, the socket is not writable,
 * or a response on this connection has already started (a pipelined request failed to parse while
 * an earlier one is answered), writing would corrupt the stream, so the socket is just destroyed.
 * Never throws.
 */
export function handleClientError(err: (Error & { code?: string }) | undefined, socket: Duplex): void {
  try {
    if (handled.has(socket)) return; // llhttp may report again for bytes after the first error
    handled.add(socket);
    const code = err?.code;
    if ((code !== undefined && PEER_GONE.has(code)) || (socket as MaybeHttpSocket).destroyed) {
      socket.destroy();
      return;
    }
    const k = kindOf(err);
    metrics.guardRejections.inc({ reason: k.reason });
    const inFlight = (socket as MaybeHttpSocket)._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.on('error', noop); // a reset while we answer must not become an uncaught error
    // end() (FIN after the answer) rather than destroy(): closing with unread request bytes in the
    // kernel buffer sends RST, and the client may lose the answer. The client closes on
    // `Connection: close`; a client that does not is cut off by the grace timer.
    socket.end(rawResponse(k));
    socket.resume(); // keep draining what the client still sends so the kernel has no reason to RST
  } catch {
    try {
      socket.destroy();
    } catch {
      // already torn down
    }
  }
}

function noop(): void {}
