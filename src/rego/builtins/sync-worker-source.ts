// The code of the helper thread behind sync-worker.ts, kept as plain CommonJS text so it runs the
// same from TypeScript sources (tsx) and from the compiled build (`new Worker(code, { eval: true })`).
// It answers { id, op, payload } messages on a MessagePort and then wakes the blocked caller by
// flipping a shared Int32 and notifying it. Operations:
//   lookup  { name }                    -> { addresses: string[] }       (dns.lookup, all families)
//   http    { method, url, headers, body, timeoutMs, tls, socketPath, gzip }
//                                       -> { statusCode, statusMessage, rawHeaders, body: Uint8Array }
//   sleep   { ms }                      -> {}                            (used by tests)
// Failures come back as { error: { code, message, timedOut } }.
export const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { port, signal } = workerData;
const flag = new Int32Array(signal);
const MAX_BODY = 64 * 1024 * 1024;

function reply(id, msg) {
  try {
    port.postMessage(Object.assign({ id }, msg));
  } catch (e) {
    port.postMessage({ id, error: { code: 'EINTERNAL', message: String((e && e.message) || e) } });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function fail(id, e, timedOut) {
  reply(id, { error: { code: (e && e.code) || 'ERR', message: String((e && e.message) || e), timedOut: !!timedOut } });
}

function lookup(id, p) {
  dns.lookup(p.name, { all: true, verbatim: true }, (err, addrs) => {
    if (err) return fail(id, err);
    reply(id, { addresses: addrs.map((a) => a.address) });
  });
}

function request(id, p) {
  let done = false;
  const finish = (fn) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    fn();
  };
  const u = new URL(p.url);
  const mod = u.protocol === 'https:' ? https : http;
  const opts = {
    method: p.method,
    headers: p.headers,
    agent: false,
    socketPath: p.socketPath || undefined,
  };
  if (u.protocol === 'https:' && p.tls) Object.assign(opts, p.tls);
  let req;
  const timer = setTimeout(() => {
    finish(() => fail(id, { code: 'ETIMEDOUT', message: 'timeout' }, true));
    if (req) req.destroy();
  }, p.timeoutMs);
  try {
    req = mod.request(u, opts, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => {
        size += c.length;
        if (size > MAX_BODY) {
          finish(() => fail(id, { code: 'ETOOBIG', message: 'response body too large' }));
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => finish(() => fail(id, e)));
      res.on('end', () =>
        finish(() => {
          let body = Buffer.concat(chunks);
          let rawHeaders = res.rawHeaders;
          const enc = String(res.headers['content-encoding'] || '').toLowerCase();
          if (p.gzip && enc === 'gzip' && body.length > 0) {
            try {
              body = zlib.gunzipSync(body);
            } catch (e) {
              return fail(id, { code: 'EGZIP', message: 'gzip: invalid header' });
            }
            const drop = new Set(['content-encoding', 'content-length']);
            rawHeaders = rawHeaders.filter((_, i, a) => (i % 2 === 0 ? !drop.has(a[i].toLowerCase()) : !drop.has(a[i - 1].toLowerCase())));
          }
          reply(id, {
            statusCode: res.statusCode,
            statusMessage: res.statusMessage || '',
            rawHeaders,
            body: new Uint8Array(body.buffer, body.byteOffset, body.length),
          });
        }),
      );
    });
    req.on('error', (e) => finish(() => fail(id, e)));
    if (p.body) req.write(p.body);
    req.end();
  } catch (e) {
    finish(() => fail(id, e));
  }
}

port.on('message', (m) => {
  try {
    if (m.op === 'lookup') lookup(m.id, m.payload);
    else if (m.op === 'http') request(m.id, m.payload);
    else if (m.op === 'sleep') setTimeout(() => reply(m.id, {}), m.payload.ms);
    else fail(m.id, { code: 'EOP', message: 'unknown operation ' + m.op });
  } catch (e) {
    fail(m.id, e);
  }
});
`;
