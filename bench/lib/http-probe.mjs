// Checking that a server under test is up and answers as it should, before and after the load.
import http from 'node:http';
import net from 'node:net';
import { BenchError, sleep } from './common.mjs';
import { describeExit, logTail } from './processes.mjs';

/** A port free on 127.0.0.1 right now (the server started next binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection: { status, headers, body }, or a rejection on a socket error or timeout. */
export function httpGet(port, urlPath, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Wait until `ready()` says so or the port answers HTTP at all; fail at once if the process exits. */
export async function waitReady(entry, port, { timeoutMs = 30_000, ready = () => false } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = 'no answer';
  while (Date.now() < deadline) {
    if (entry.exited)
      throw new BenchError(
        `${entry.name} exited before it was ready (${describeExit(entry.exited)}); its output:\n${logTail(entry)}`,
      );
    if (ready()) return;
    try {
      await httpGet(port, '/', 1000);
      return;
    } catch (err) {
      lastErr = err.message;
    }
    await sleep(100);
  }
  throw new BenchError(`${entry.name} not ready after ${timeoutMs} ms (${lastErr}); its output:\n${logTail(entry)}`);
}

/** GET `urlPath` and insist on the status (and, when given, the exact body). */
export async function expectStatus(name, port, urlPath, want, bodyWanted) {
  let res;
  try {
    res = await httpGet(port, urlPath);
  } catch (err) {
    throw new BenchError(`${name}: GET ${urlPath} failed: ${err.message}`);
  }
  if (res.status !== want)
    throw new BenchError(`${name}: GET ${urlPath} returned ${res.status}, expected ${want}: ${res.body.slice(0, 300)}`);
  if (bodyWanted !== undefined && res.body !== bodyWanted)
    throw new BenchError(`${name}: GET ${urlPath} body differs from the upstream's: ${JSON.stringify(res.body.slice(0, 200))}`);
  return res;
}
