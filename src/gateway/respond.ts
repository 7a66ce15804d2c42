// Responses ShieldX itself writes (denials, errors): JSON bodies with a machine-readable error code.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

export function sendJson(
  res: ServerResponse | Http2ServerResponse,
  status: number,
  body: Record<string, unknown>,
  extraHeaders: Record<string, string> | undefined,
  requestId: string,
  closeConnection = false,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  const headers: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  };
  if (extraHeaders) for (const k in extraHeaders) headers[k] = extraHeaders[k];
  // HTTP/2 forbids connection-specific headers; ask HTTP/1 clients to close after e.g. an unread body.
  if (closeConnection && (res as ServerResponse).shouldKeepAlive !== undefined) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}
