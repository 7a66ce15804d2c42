// The `shieldx` command as users run it (the built dist/src/cli/main.js in a child process):
// config check, stages, and `up` with worker processes, aggregated metrics and graceful SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../src/testing/services.js';
import {
  type GatewayProcess,
  metricValue,
  request,
  scrapeMetrics,
  spawnGateway,
  startUpstream,
  tempDir,
  type Upstream,
  waitFor,
} from './harness.js';

const MAIN = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

function shieldx(args: string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shieldx ${args.join(' ')} did not exit in 20s`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function configYaml(dataDir: string, upstreamUrl: string, logLevel = 'silent'): string {
  return `version: 1
data_dir: ${JSON.stringify(dataDir)}
listeners:
  - name: public
    address: 127.0.0.1:0
    protocol: http
admin:
  address: 127.0.0.1:0
upstreams:
  app:
    targets: [${JSON.stringify(upstreamUrl)}]
routes:
  - name: all
    upstream: app
    rate_limits:
      - { key: ip, rate: 1000, per: 1s }
logging: { level: ${logLevel}, access_log: false }
shutdown_timeout: 10s
`;
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `"${needle}" not in the config`);
  return i + 1;
}

let tmp: { dir: string; cleanup(): void };
before(() => {
  tmp = tempDir();
});
after(() => tmp?.cleanup());

describe('shieldx config check', () => {
  test('a valid file: prints OK, exits 0', async () => {
    const file = path.join(tmp.dir, 'valid.yaml');
    writeFileSync(file, configYaml(path.join(tmp.dir, 'data'), 'http://127.0.0.1:9'));
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\bOK\b/);
    assert.ok(r.stdout.includes(file), r.stdout);
  });

  test('an unknown upstream reference: exit 1, stderr names file:line and the key path', async () => {
    const file = path.join(tmp.dir, 'unknown-upstream.yaml');
    const text = configYaml(path.join(tmp.dir, 'data'), 'http://127.0.0.1:9').replace('upstream: app', 'upstream: missing');
    writeFileSync(file, text);
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`${file}:${lineOf(text, 'upstream: missing')}:`), r.stderr);
    assert.match(r.stderr, /routes\[0\]\.upstream/);
    assert.match(r.stderr, /unknown upstream "missing"/);
    assert.equal(r.stdout, '');
  });

  test('a schema error deeper down: exit 1, file:line and the full key path', async () => {
    const file = path.join(tmp.dir, 'bad-duration.yaml');
    const text = configYaml(path.join(tmp.dir, 'data'), 'http://127.0.0.1:9').replace('per: 1s', 'per: soon');
    writeFileSync(file, text);
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`${file}:${lineOf(text, 'per: soon')}:`), r.stderr);
    assert.match(r.stderr, /routes\[0\]\.rate_limits\[0\]\.per/);
  });

  test('a stage setting only compiling the stage catches: exit 1, file:line and the key path', async () => {
    const file = path.join(tmp.dir, 'bad-key.yaml');
    const text = configYaml(path.join(tmp.dir, 'data'), 'http://127.0.0.1:9').replace('key: ip,', 'key: ip+nonsense,');
    writeFileSync(file, text);
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /routes\[0\]\.rate_limits\[0\]\.key/);
    assert.ok(r.stderr.includes(`${file}:${lineOf(text, 'key: ip+nonsense')}:`), r.stderr);
  });

  test('broken YAML: exit 1, file:line', async () => {
    const file = path.join(tmp.dir, 'broken.yaml');
    const text = `${configYaml(path.join(tmp.dir, 'data'), 'http://127.0.0.1:9')}extra: [unclosed\n`;
    writeFileSync(file, text);
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
  });

  test('a file that does not exist: exit 1 with a clear message, no stack trace', async () => {
    const file = path.join(tmp.dir, 'nope.yaml');
    const r = await shieldx(['config', 'check', file]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.match(r.stderr, /cannot read/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});

test('shieldx stages lists the built-in stages', async () => {
  const r = await shieldx(['stages']);
  assert.equal(r.code, 0, r.stderr);
  const names = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(names, ['protocol_guard', 'rate_limit', 'access_rules', 'waf', 'policy', 'action']);
});

/** Node processes whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may contain spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

describe('shieldx up', () => {
  let upstream: Upstream;
  let gw: GatewayProcess | undefined;
  /** Requests to /slow are held until released. */
  const held: (() => void)[] = [];

  before(async () => {
    upstream = await startUpstream('app', (req, res) => {
      req.resume();
      const answer = () => res.writeHead(200, { 'x-upstream': 'app' }).end(`served ${req.url}`);
      if (req.url?.startsWith('/slow')) held.push(answer);
      else answer();
    });
  });

  after(async () => {
    for (const release of held.splice(0)) release();
    if (gw) {
      // After a failure: workers hold the output pipe open, so they go first.
      if (existsSync('/proc') && gw.child.pid) for (const pid of childPids(gw.child.pid)) process.kill(pid, 'SIGKILL');
      await gw.stop('SIGKILL');
    }
    await upstream?.close();
  });

  test('--workers 2: serves requests, /metrics aggregates the workers, SIGTERM drains and exits 0', async () => {
    const dir = path.join(tmp.dir, 'workers');
    const file = path.join(tmp.dir, 'workers.yaml');
    writeFileSync(file, configYaml(dir, upstream.url, 'info'));
    gw = await spawnGateway(file, ['--workers', '2']);
    const proc = gw;
    const url = proc.ready.listeners.find((l) => l.name === 'public')?.url;
    assert.ok(url, JSON.stringify(proc.ready));
    assert.ok(proc.ready.admin, `admin URL in the ready line: ${JSON.stringify(proc.ready)}`);
    const admin = proc.ready.admin as string;
    if (existsSync('/proc')) assert.equal(childPids(proc.child.pid as number).length, 2, 'two worker processes');

    // Every request on its own connection, so the kernel can spread them over both workers.
    const n = 40;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => request(`${url}/w/${i}`)));
    for (const r of results) assert.equal(r.status, 200, r.body);
    assert.equal(upstream.seen.filter((s) => s.url.startsWith('/w/')).length, n);

    // The primary's /metrics sums the workers' counters: all n requests are there, whichever worker served them.
    const metrics = await scrapeMetrics(admin);
    assert.equal(
      metricValue(metrics, 'shieldx_requests_total', { route: 'all', status: '200' }),
      n,
      'requests counted over both workers',
    );
    assert.ok((await request(`${admin}/readyz`)).status === 200);

    // Graceful: a request in flight when SIGTERM arrives still completes.
    const inflight = request(`${url}/slow/1`);
    assert.ok(await waitFor(() => held.length === 1), 'the slow request reached the upstream');
    const exited = proc.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    held.shift()?.();
    const slow = await inflight;
    assert.equal(slow.status, 200);
    assert.equal(slow.body, 'served /slow/1');
    assert.equal(await exited, 0, 'exit status 0 after SIGTERM');
    gw = undefined;
  });

  test('single process: SIGTERM lets the request in flight finish and exits 0', async () => {
    const dir = path.join(tmp.dir, 'single');
    const file = path.join(tmp.dir, 'single.yaml');
    writeFileSync(file, configYaml(dir, upstream.url, 'info'));
    gw = await spawnGateway(file);
    const proc = gw;
    const url = proc.ready.listeners.find((l) => l.name === 'public')?.url;
    assert.ok(url);
    assert.equal((await request(`${url}/one`)).status, 200);
    const inflight = request(`${url}/slow/2`);
    assert.ok(await waitFor(() => held.length === 1), 'the slow request reached the upstream');
    const exited = proc.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // Draining: new connections are refused while the old request is still being served.
    await assert.rejects(request(`${url}/late`));
    held.shift()?.();
    const slow = await inflight;
    assert.equal(slow.status, 200);
    assert.equal(slow.body, 'served /slow/2');
    assert.equal(await exited, 0);
    gw = undefined;
  });
});
