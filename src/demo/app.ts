// The bundled demo application `npm start` puts behind ShieldX: a page, a JSON echo of what the
// upstream received (to see X-Forwarded-*, X-Request-ID), and a health endpoint.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ShieldX demo app</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;line-height:1.5}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>ShieldX demo app</h1>
<p>This page is served by the demo upstream, through the ShieldX gateway.</p>
<ul>
<li><a href="/api/echo">/api/echo</a> shows the request as the upstream received it (see <code>x-forwarded-for</code>, <code>x-request-id</code>).</li>
<li><a href="/admin/">/admin/</a> is denied by the default access rules.</li>
</ul>
</body></html>
`;

export interface DemoApp {
  port: number;
  url: string;
  close(): Promise<void>;
}

export function startDemoApp(port = 0, host = '127.0.0.1'): Promise<DemoApp> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (url.startsWith('/api/echo')) {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1024 * 1024) chunks.push(c);
      });
      req.on('end', () => {
        const body = JSON.stringify(
          {
            method: req.method,
            url,
            headers: req.headers,
            body_bytes: size,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 4096),
          },
          null,
          2,
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = (server.address() as AddressInfo).port;
      resolve({
        port: p,
        url: `http://${host}:${p}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
