// The identity a client certificate gives (mTLS), read once per connection: every HTTP/2 stream and
// keep-alive request on a connection shares it, and this runs on the hot path.
import type { TLSSocket } from 'node:tls';
import type { ClientIdentity } from '../pipeline/stage.js';

/** null = looked at, no certificate presented. */
const cache = new WeakMap<object, ClientIdentity | null>();

/**
 * The client certificate's identity, or undefined when the client presented none (or the socket is
 * not TLS). Cached per socket object, so pass one that is stable for the connection: for HTTP/1 that is
 * `req.socket`; for HTTP/2 `stream.session.socket` — a compat request's `req.socket` is a new proxy
 * for every stream and would be read afresh each time.
 * `authorized` is false when the certificate does not chain to tls.client_auth.ca (client_auth optional).
 */
export function clientIdentity(socket: TLSSocket): ClientIdentity | undefined {
  const hit = cache.get(socket);
  if (hit !== undefined) return hit ?? undefined;
  const identity = readIdentity(socket);
  cache.set(socket, identity ?? null);
  return identity;
}

function readIdentity(socket: TLSSocket): ClientIdentity | undefined {
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const cert = socket.getPeerX509Certificate();
  if (!cert) return undefined;
  const sans = cert.subjectAltName ? splitSubjectAltNames(cert.subjectAltName) : [];
  const identity: ClientIdentity = {
    subject: rfc4514Name(cert.subject),
    issuer: rfc4514Name(cert.issuer),
    sans,
    fingerprint256: cert.fingerprint256,
    authorized: socket.authorized === true,
  };
  for (const san of sans) {
    if (san.startsWith('URI:spiffe://')) {
      identity.spiffe_id = san.slice(4);
      break;
    }
  }
  return identity;
}

/**
 * Node prints names one attribute per line, most general first, with values already escaped as
 * RFC 2253/4514 require ("\," "\+" ...) and control characters hex-escaped. RFC 4514 writes the most
 * specific RDN first, comma-separated: "CN=client,O=Example".
 */
export function rfc4514Name(nodeName: string): string {
  if (nodeName === '') return '';
  const rdns = nodeName.split('\n');
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    // Multi-valued RDNs come as "A=x + B=y". A "+" inside a value is always escaped ("\+"), so an
    // unescaped " + " is always the separator (even after a value's escaped trailing space, "a\  + B=y").
    const rdn = (rdns[i] as string).replace(MULTI_VALUE_SEP_RE, '+');
    out = out === '' ? rdn : `${out},${rdn}`;
  }
  return out;
}
const MULTI_VALUE_SEP_RE = / \+ /g;

/**
 * Split Node's subjectAltName string ("DNS:a, URI:spiffe://t/x, IP Address:127.0.0.1") into entries.
 * Node quotes a value holding a comma, quote or other special character as a JSON string
 * (`URI:"http://x/a\u002cb"`); such values are unquoted here, so the entry reads `URI:http://x/a,b`.
 */
export function splitSubjectAltNames(altNames: string): string[] {
  const out: string[] = [];
  let token = '';
  let offset = 0;
  const n = altNames.length;
  while (offset < n) {
    const sep = altNames.indexOf(', ', offset);
    const quote = altNames.indexOf('"', offset);
    if (quote !== -1 && (sep === -1 || quote < sep)) {
      token += altNames.slice(offset, quote);
      const m = JSON_STRING_RE.exec(altNames.slice(quote));
      if (m) {
        token += JSON.parse(m[0]) as string;
        offset = quote + m[0].length;
      } else {
        // Not a well-formed quoted value: keep the quote as text rather than fail the request.
        token += '"';
        offset = quote + 1;
      }
    } else if (sep !== -1) {
      token += altNames.slice(offset, sep);
      out.push(token);
      token = '';
      offset = sep + 2;
    } else {
      token += altNames.slice(offset);
      offset = n;
    }
  }
  if (token !== '') out.push(token);
  return out;
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: a JSON string literal excludes raw control characters
const JSON_STRING_RE = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;
