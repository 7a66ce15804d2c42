// The benchmark upstream: a minimal Node `http` server answering every request with the same
// ~100-byte body. One instance serves all three measurements (direct, nginx, ShieldX).
// Listens on 127.0.0.1:PORT (argv[2], default 0 = any free port) and prints {"port":N} once ready.
import http from 'node:http';

const BODY = Buffer.from(
  `${JSON.stringify({ ok: true, service: 'shieldx-bench-upstream', note: 'fixed response body for bench/proxy' })}\n`,
);
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

function onRequest(req, res) {
  // Drain any request body so the keep-alive connection stays usable.
  req.resume();
  res.writeHead(200, HEADERS);
  res.end(BODY);
}

const requestedPort = Number(process.argv[2] ?? 0);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  process.stderr.write(`upstream: invalid port "${process.argv[2]}"\n`);
  process.exit(2);
}

const server = http.createServer(onRequest);
// Proxies keep pooled connections idle between runs: do not close them under their feet.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(requestedPort, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: addr.port, body_bytes: BODY.length })}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections();
  // Exit even if a client keeps a socket open.
  setTimeout(() => process.exit(0), 500).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
