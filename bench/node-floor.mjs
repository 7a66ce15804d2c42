// The "node-floor" reference target of bench/proxy: the thinnest reverse proxy Node can be. Node's
// `http` server in front, one undici Pool behind, and per request only what forwarding takes:
// method, path and headers up (hop-by-hop headers removed, the body streamed when there is one),
// status, headers and body streamed back. No routing, no rules, no logging, no metrics, no retries.
// It is not a competitor: its cost is what any Node proxy pays before doing anything of its own,
// which tells how much of ShieldX's gap to nginx is Node's own HTTP stack.
//
// Like ShieldX it uses undici's low-level dispatch interface (one handler object per request, no
// stream wrappers) and, with WORKERS > 1, node:cluster with the kernel spreading connections.
//
// usage: node bench/node-floor.mjs UPSTREAM_PORT [LISTEN_PORT] [WORKERS]
// Proxies 127.0.0.1:LISTEN_PORT (default 0 = any free port) to http://127.0.0.1:UPSTREAM_PORT and
// prints {"port":N,"workers":W} once every worker listens.
import cluster from 'node:cluster';
import http from 'node:http';
import { Pool } from 'undici';

/** Hop-by-hop headers (RFC 9110 §7.6.1): never forwarded as they are; undici rejects most of them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

function intArg(i, name, min, max, dflt) {
  const s = process.argv[i];
  if (s === undefined && dflt !== undefined) return dflt;
  const n = Number(s);
  if (s === undefined || !/^\d+$/.test(s) || n < min || n > max) {
    process.stderr.write(`node-floor: invalid ${name} "${s ?? ''}" (an integer ${min}..${max})\n`);
    process.exit(2);
  }
  return n;
}

const upstreamPort = intArg(2, 'upstream port', 1, 65535);
const listenPort = intArg(3, 'listen port', 0, 65535, 0);
const workers = intArg(4, 'workers', 1, 64, 1);

/** One proxied exchange, as an undici (legacy-style) dispatch handler: no closures per request. */
class Exchange {
  constructor(res, head) {
    this.res = res;
    this.head = head;
    /** Body bytes still expected per Content-Length (-1 unknown), to send the last chunk with end(). */
    this.remaining = -1;
    this.resume = null;
  }

  onConnect() {}

  onHeaders(statusCode, rawHeaders, resume) {
    if (statusCode < 200) return true; // interim responses are not forwarded
    const res = this.res;
    this.resume = resume;
    const headers = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toString('latin1');
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      const value = rawHeaders[i + 1].toString('latin1');
      if (lower === 'content-length' && !this.head) this.remaining = Number(value);
      headers.push(name, value);
    }
    try {
      res.writeHead(statusCode, headers);
    } catch {
      // Headers Node refuses to send (invalid characters): no way to forward this response.
      badGateway(res);
    }
    return true;
  }

  onData(chunk) {
    const res = this.res;
    if (res.destroyed || res.writableEnded) return true; // the client is gone: drain and drop
    if (this.remaining === chunk.length) {
      // The last chunk of a sized body: headers, body and end go out in one write.
      this.remaining = 0;
      res.end(chunk);
      return true;
    }
    if (this.remaining > 0) this.remaining -= chunk.length;
    if (res.write(chunk)) return true;
    res.once('drain', this.resume); // backpressure: undici stops reading the upstream until then
    return false;
  }

  onComplete() {
    if (!this.res.writableEnded) this.res.end();
  }

  onError() {
    if (this.res.headersSent) this.res.destroy();
    else badGateway(this.res);
  }
}

function badGateway(res) {
  if (res.destroyed) return;
  res.writeHead(502, { 'content-type': 'text/plain', 'content-length': '12' });
  res.end('bad gateway\n');
}

function startWorker() {
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`);
  const server = http.createServer((req, res) => {
    const raw = req.rawHeaders;
    const headers = [];
    for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i].toLowerCase())) headers.push(raw[i], raw[i + 1]);
    const h = req.headers;
    const hasBody = (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;
    pool.dispatch(
      { method: req.method, path: req.url, headers, body: hasBody ? req : null },
      new Exchange(res, req.method === 'HEAD'),
    );
  });
  server.listen(listenPort, '127.0.0.1', () => {
    if (cluster.isWorker) return; // the primary reports once all workers listen
    process.stdout.write(`${JSON.stringify({ port: server.address().port, workers: 1 })}\n`);
  });
}

if (workers > 1 && cluster.isPrimary) {
  // As ShieldX does: every worker accepts on the shared socket, the kernel spreads connections.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) process.stdout.write(`${JSON.stringify({ port: address.port, workers })}\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    process.stderr.write(`node-floor: worker ${worker.process.pid} exited (${signal ?? `code ${code}`})\n`);
    process.exit(1);
  });
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  startWorker();
}
