// Streaming through the real gateway, run as a child process (`shieldx up`, from dist/: build first)
// so its memory can be measured alone: 100 MB up and 100 MB down with matching SHA-256 on both
// ends, while the gateway's resident set stays far below the body size. Also max_body_bytes on a
// chunked upload (no Content-Length to check up front) -> 413.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../src/testing/services.js';
import {
  type GatewayProcess,
  spawnGateway,
  startUpstream,
  tempDir,
  testConfigYaml,
  type Upstream,
  writeConfig,
} from './harness.js';

const MB = 1024 * 1024;
const BODY = 100 * MB;
const CHUNK = 64 * 1024;
/** Allowed growth of the gateway's resident set while a 100 MB body streams through it. */
const MAX_GROWTH = 60 * MB;

/** Chunk i of the deterministic test body: pseudo-random bytes, different for every chunk. */
function chunkOf(i: number, size = CHUNK): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = (i * 2654435761 + 1) >>> 0;
  for (let k = 0; k + 4 <= size; k += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, k);
  }
  return b;
}

/** Write `total` bytes of the test body to a writable with backpressure; resolves to their SHA-256. */
async function writeBody(w: NodeJS.WritableStream & { destroyed?: boolean }, total: number): Promise<string> {
  const h = createHash('sha256');
  for (let i = 0, sent = 0; sent < total; i++) {
    const c = chunkOf(i, Math.min(CHUNK, total - sent));
    h.update(c);
    sent += c.length;
    if (w.destroyed) throw new Error('destination closed');
    if (!w.write(c)) await new Promise<void>((r) => w.once('drain', () => r()));
  }
  return h.digest('hex');
}

/** Resident set of a process in bytes (VmRSS or VmHWM from /proc). */
function memOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** Reset the peak-RSS mark (VmHWM) of a process to its current RSS; false when the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Sample a process's VmRSS every 20 ms until stopped; resolves to the highest sample. */
function sampleRss(pid: number): { stop(): number } {
  let max = memOf(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      max = Math.max(max, memOf(pid, 'VmRSS'));
    } catch {
      // process gone; the test will notice
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/** The sink/source upstream: POST hashes the body it receives, GET /download/N sends N bytes. */
interface StreamUpstream extends Upstream {
  lastSentSha: string | undefined;
  smallCompleted: number;
}

async function streamUpstream(): Promise<StreamUpstream> {
  const up = (await startUpstream('stream', (req, res, u) => {
    const s = u as StreamUpstream;
    if (req.method === 'GET' && req.url?.startsWith('/download/')) {
      const total = Number(req.url.slice('/download/'.length));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
      void writeBody(res, total).then(
        (sha) => {
          s.lastSentSha = sha;
          res.end();
        },
        () => res.destroy(),
      );
      return;
    }
    const h = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      h.update(c);
      bytes += c.length;
    });
    req.on('end', () => {
      if (req.url?.startsWith('/small')) s.smallCompleted++;
      const body = JSON.stringify({ sha256: h.digest('hex'), bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    req.on('error', () => undefined);
  })) as StreamUpstream;
  up.lastSentSha = undefined;
  up.smallCompleted = 0;
  return up;
}

/**
 * POST `total` bytes (chunked unless contentLength) and resolve to the response and what was sent.
 * A keep-alive agent, so the request does not say `Connection: close`: like browsers and curl, the
 * client stops sending when an answer arrives early, and the gateway has no reason to cut the
 * connection under it (which would race the answer against a reset).
 */
const agent = new http.Agent({ keepAlive: true });
function upload(url: string, total: number, contentLength: boolean) {
  return new Promise<{ status: number; body: string; sentSha: string | undefined }>((resolve, reject) => {
    let sentSha: string | undefined;
    let answered = false;
    const headers: http.OutgoingHttpHeaders = contentLength ? { 'content-length': total } : { 'transfer-encoding': 'chunked' };
    const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // The answer may come before the body was all sent (413): stop sending. Never reuse the
        // connection here (the raw-socket test below checks what the gateway does with it).
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentSha });
      });
      res.on('error', reject);
    });
    // Once the answer is in, a reset of the rest of the upload is expected (early 413).
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    writeBody(req, total).then(
      (sha) => {
        sentSha = sha;
        req.end();
      },
      () => undefined, // destroyed after an early answer
    );
  });
}

/** GET a body and hash it as it arrives. */
function download(url: string) {
  return new Promise<{ status: number; bytes: number; sha256: string }>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const h = createHash('sha256');
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          h.update(c);
          bytes += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: h.digest('hex') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('streaming large bodies through the gateway (child process)', { timeout: 300_000 }, () => {
  const tmp = tempDir();
  let up: StreamUpstream;
  let gw: GatewayProcess;
  let base: string;
  let pid: number;

  before(async () => {
    const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
    assert.ok(existsSync(main), `${main} is missing: run \`npm run build\` first`);
    up = await streamUpstream();
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      upstreams: { stream: { targets: [up.url], read_timeout: '60s' } },
      routes: [
        { name: 'small', match: { path: '/small' }, upstream: 'stream', limits: { max_body_bytes: '1MiB' } },
        { name: 'big', match: { path: '/' }, upstream: 'stream', limits: { max_body_bytes: '200MiB', request_timeout: '120s' } },
      ],
      // "shieldx ready" is an info line: spawnGateway waits for it.
      extra: {
        logging: { level: 'info', access_log: false },
        // Long keep-alive: a connection left stuck after a 413 must not be rescued by the idle timeout.
        limits: { request_timeout: '120s', keepalive_timeout: '60s' },
        shutdown_timeout: '5s',
      },
    });
    gw = await spawnGateway(writeConfig(tmp.dir, cfg));
    base = gw.ready.listeners.find((l) => l.name === 'public')?.url as string;
    pid = gw.child.pid as number;
    assert.ok(base && pid);
    // Warm up both directions so lazily created pools, buffers and compiled code are in the baseline.
    for (let i = 0; i < 3; i++) {
      const u = await upload(`${base}/upload`, 2 * MB, false);
      assert.equal(u.status, 200, u.body);
      assert.equal((await download(`${base}/download/${2 * MB}`)).status, 200);
    }
  });

  after(async () => {
    agent.destroy();
    await gw?.stop();
    await up?.close();
    tmp.cleanup();
  });

  /** Run `transfer` while watching the gateway's memory; returns the peak growth over the baseline. */
  async function measured<T>(transfer: () => Promise<T>): Promise<{ result: T; growth: number; baseline: number }> {
    const baseline = memOf(pid, 'VmRSS');
    const peakReset = resetPeak(pid);
    const sampler = sampleRss(pid);
    const result = await transfer();
    const sampled = sampler.stop();
    const peak = peakReset ? Math.max(sampled, memOf(pid, 'VmHWM')) : sampled;
    return { result, growth: peak - baseline, baseline };
  }

  for (const [title, withLength] of [
    ['a chunked 100 MB upload arrives intact and the gateway does not buffer it', false],
    ['a 100 MB upload with Content-Length arrives intact with bounded gateway memory', true],
  ] as const) {
    test(title, { timeout: 120_000 }, async (t) => {
      const { result, growth, baseline } = await measured(() => upload(`${base}/upload`, BODY, withLength));
      t.diagnostic(`gateway RSS ${(baseline / MB).toFixed(1)} MB, peak growth ${(growth / MB).toFixed(1)} MB`);
      assert.equal(result.status, 200, result.body);
      const got = JSON.parse(result.body) as { sha256: string; bytes: number };
      assert.equal(got.bytes, BODY);
      assert.equal(got.sha256, result.sentSha);
      assert.ok(growth < MAX_GROWTH, `gateway RSS grew ${(growth / MB).toFixed(1)} MB over ${(baseline / MB).toFixed(1)} MB`);
    });
  }

  test('a 100 MB download arrives intact and the gateway does not buffer it', { timeout: 120_000 }, async (t) => {
    up.lastSentSha = undefined;
    const { result, growth, baseline } = await measured(() => download(`${base}/download/${BODY}`));
    t.diagnostic(`gateway RSS ${(baseline / MB).toFixed(1)} MB, peak growth ${(growth / MB).toFixed(1)} MB`);
    assert.equal(result.status, 200);
    assert.equal(result.bytes, BODY);
    assert.equal(result.sha256, up.lastSentSha);
    assert.ok(growth < MAX_GROWTH, `gateway RSS grew ${(growth / MB).toFixed(1)} MB over ${(baseline / MB).toFixed(1)} MB`);
  });

  test('max_body_bytes stops a chunked upload that grows past it: 413, the upstream never gets it all', {
    timeout: 60_000,
  }, async () => {
    const r = await upload(`${base}/small/upload`, 4 * MB, false);
    assert.equal(r.status, 413, r.body);
    const body = JSON.parse(r.body) as { error: string; request_id: string };
    assert.equal(body.error, 'payload_too_large');
    assert.ok(body.request_id);
    assert.equal(up.smallCompleted, 0, 'the upstream did not receive the whole body');
    // Under the limit it goes through.
    const ok = await upload(`${base}/small/upload`, 512 * 1024, false);
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).bytes, 512 * 1024);
    // The gateway is still serving.
    assert.equal((await download(`${base}/download/1024`)).bytes, 1024);
  });

  test('after a 413 for a body already on the wire, the connection is closed or serves the next request, never stuck', {
    timeout: 60_000,
  }, async () => {
    const u = new URL(base);
    const socket = net.connect(Number(u.port), u.hostname);
    const chunk = chunkOf(7);
    const parts: Buffer[] = [Buffer.from('POST /small/upload HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n')];
    for (let i = 0; i < 32; i++) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    parts.push(Buffer.from('0\r\n\r\nGET /download/10 HTTP/1.1\r\nHost: gw.test\r\n\r\n'));
    const outcome = await new Promise<{ text: string; closed: boolean; timedOut: boolean }>((resolve) => {
      let text = '';
      let done = false;
      const finish = (closed: boolean, timedOut = false) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, closed, timedOut });
      };
      const timer = setTimeout(() => finish(false, true), 10_000);
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        // Two complete answers: the 413 and the download's 10 bytes.
        const second = text.indexOf('HTTP/1.1 ', 1);
        if (second > 0 && text.length >= text.indexOf('\r\n\r\n', second) + 4 + 10 && text.indexOf('\r\n\r\n', second) > 0)
          finish(false);
      });
      socket.on('end', () => finish(true));
      socket.on('close', () => finish(true));
      socket.on('error', () => finish(true));
      socket.once('connect', () => {
        for (const p of parts) socket.write(p);
      });
    });
    assert.match(outcome.text, /^HTTP\/1\.1 413 /, `first answer: ${JSON.stringify(outcome.text.slice(0, 200))}`);
    assert.ok(!outcome.timedOut, `the connection hung after the 413: ${JSON.stringify(outcome.text.slice(0, 400))}`);
    if (!outcome.closed) assert.match(outcome.text.slice(outcome.text.indexOf('HTTP/1.1 ', 1)), /^HTTP\/1\.1 200 /);
  });
});
