// Hot reload through the real gateway: config rewrites under a steady stream of keep-alive
// requests (no request may fail, and traffic follows the new config), invalid configs (rejected
// with file:line and key path, counted, recorded, the old config keeps serving), and SIGHUP on a
// `shieldx up` child process.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import {
  type GatewayProcess,
  listenerUrl,
  metricValue,
  request,
  scrapeMetrics,
  sleep,
  spawnGateway,
  startGateway,
  startUpstream,
  tempDir,
  type Upstream,
  waitFor,
} from './harness.js';

interface Options {
  dataDir: string;
  target: string;
  extraRoute?: boolean;
  logLevel?: string;
}

/** YAML (not JSON) so that line numbers in errors point somewhere meaningful. */
function configYaml(o: Options): string {
  return `version: 1
data_dir: ${JSON.stringify(o.dataDir)}
listeners:
  - name: public
    address: 127.0.0.1:0
    protocol: http
admin:
  address: 127.0.0.1:0
upstreams:
  app:
    targets: [${JSON.stringify(o.target)}]
    retries: { attempts: 0 }
routes:
${
  o.extraRoute
    ? `  - name: extra
    match: { path: /extra }
    upstream: app
    action: { type: deny, status: 418, body: { error: teapot } }
`
    : ''
}  - name: all
    upstream: app
logging: { level: ${o.logLevel ?? 'silent'}, access_log: false }
shutdown_timeout: 5s
`;
}

/** Replace the file in one step (write + rename), as deploy tools do, so no reader sees half a file. */
function replaceFile(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `"${needle}" not in the config`);
  return i + 1;
}

describe('hot reload in process', () => {
  let tmp: { dir: string; cleanup(): void };
  let a: Upstream;
  let b: Upstream;
  let gw: Running;
  let file: string;
  let dataDir: string;

  before(async () => {
    tmp = tempDir();
    dataDir = path.join(tmp.dir, 'data');
    [a, b] = await Promise.all([startUpstream('A'), startUpstream('B')]);
    file = path.join(tmp.dir, 'shieldx.yaml');
    writeFileSync(file, configYaml({ dataDir, target: a.url }));
    gw = await startGateway(file);
  });

  after(async () => {
    await gw?.stop();
    await Promise.all([a?.close(), b?.close()]);
    tmp?.cleanup();
  });

  test('rewrites under load: zero failed requests, and traffic follows each applied config', async () => {
    const base = listenerUrl(gw, 'public');
    interface Sample {
      start: number;
      end: number;
      status: number;
      upstream: string | undefined;
      error?: string;
    }
    const samples: Sample[] = [];
    let stop = false;
    const agents = Array.from({ length: 8 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const clients = agents.map(async (agent, i) => {
      let n = 0;
      while (!stop) {
        const start = performance.now();
        try {
          const r = await request(`${base}/load/${i}/${n++}`, { agent });
          samples.push({
            start,
            end: performance.now(),
            status: r.status,
            upstream: r.headers['x-upstream'] as string | undefined,
          });
        } catch (e) {
          samples.push({ start, end: performance.now(), status: 0, upstream: undefined, error: (e as Error).message });
        }
      }
    });

    // Alternate the route between A and B, then end on B with an extra route added.
    // `begun`: the reload was asked for (the swap may happen any time after); `at`: it had been applied.
    const applied: { begun: number; at: number; target: 'A' | 'B' }[] = [];
    await sleep(300);
    const steps: ('A' | 'B')[] = ['B', 'A', 'B', 'A', 'B'];
    for (const [i, target] of steps.entries()) {
      const extraRoute = i === steps.length - 1;
      replaceFile(file, configYaml({ dataDir, target: target === 'A' ? a.url : b.url, extraRoute }));
      const begun = performance.now();
      const err = await gw.reload();
      assert.equal(err, undefined, `reload ${i} rejected: ${err}`);
      const at = performance.now();
      applied.push({ begun, at, target });
      // Let traffic run on this config: at least a few hundred ms and 16 requests made entirely after it.
      await sleep(300);
      assert.ok(
        await waitFor(() => samples.filter((s) => s.start > at).length >= 16, 20_000),
        `requests stalled after reload ${i}`,
      );
    }
    stop = true;
    await Promise.all(clients);
    for (const ag of agents) ag.destroy();

    const failed = samples.filter((s) => s.status !== 200);
    assert.deepEqual(failed.slice(0, 5), [], `${failed.length} of ${samples.length} requests failed`);
    assert.ok(samples.length > 100, `only ${samples.length} requests were made`);
    // A request made entirely between one reload being applied and the next being asked for is
    // served by that reload's upstream. (One that overlaps a reload may be served by either.)
    for (const [i, step] of applied.entries()) {
      const until = applied[i + 1]?.begun ?? Number.POSITIVE_INFINITY;
      const window = samples.filter((s) => s.start > step.at && s.end < until);
      assert.ok(
        window.length > 0,
        `no request made entirely between reload ${i} (${step.at.toFixed(0)}) and the next (${until.toFixed(0)}): ${JSON.stringify(
          samples
            .filter((s) => s.end > step.at && s.start < until)
            .map((s) => [Math.round(s.start), Math.round(s.end), s.upstream]),
        )}`,
      );
      const wrong = window.filter((s) => s.upstream !== step.target);
      assert.equal(
        wrong.length,
        0,
        `after reload ${i} to ${step.target}, ${wrong.length} requests went to ${wrong[0]?.upstream}`,
      );
    }
    assert.ok(
      samples.some((s) => s.end < (applied[0]?.begun ?? 0) && s.upstream === 'A'),
      'A served before the first reload',
    );
    // The route added by the last reload is live.
    const extra = await request(`${base}/extra`);
    assert.equal(extra.status, 418);
    assert.equal(JSON.parse(extra.body).error, 'teapot');
    assert.equal(gw.loaded.config.routes[0]?.name, 'extra');
  });

  test('an invalid config is rejected with file:line and key path; the old one keeps serving', async () => {
    const good = configYaml({ dataDir, target: a.url });
    replaceFile(file, good);
    assert.equal(await gw.reload(), undefined);
    const base = listenerUrl(gw, 'public');
    const rejected = async () =>
      metricValue(await scrapeMetrics(gw.admin?.url as string), 'shieldx_config_reloads_total', { result: 'rejected' });
    const servesA = async () => {
      const r = await request(`${base}/still`);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers['x-upstream'], 'A');
    };
    await servesA();

    // 1. Broken YAML: an unclosed flow sequence.
    const r0 = await rejected();
    const badYaml = good.replace(`targets: [${JSON.stringify(a.url)}]`, `targets: [${JSON.stringify(b.url)}, {`);
    assert.notEqual(badYaml, good);
    replaceFile(file, badYaml);
    const e1 = await gw.reload();
    assert.ok(e1, 'broken YAML is rejected');
    assert.match(e1, new RegExp(`${escapeRe(file)}:\\d+:\\d+`), `names file:line:col: ${e1}`);
    assert.match(e1, /YAML/);
    assert.ok((await rejected()) >= r0 + 1, 'counted as rejected');
    await servesA();

    // 2. Valid YAML, but the route names an upstream that does not exist.
    const r1 = await rejected();
    const unknownUpstream = good.replace('  - name: all\n    upstream: app', '  - name: all\n    upstream: nowhere');
    assert.notEqual(unknownUpstream, good);
    replaceFile(file, unknownUpstream);
    const e2 = await gw.reload();
    assert.ok(e2, 'an unknown upstream is rejected');
    const line = lineOf(unknownUpstream, 'upstream: nowhere');
    assert.match(e2, new RegExp(`${escapeRe(file)}:${line}:\\d+: routes\\[0\\]\\.upstream: unknown upstream "nowhere"`), e2);
    assert.ok((await rejected()) >= r1 + 1, 'counted as rejected');
    await servesA();

    // 3. Valid schema, but a stage setting that only compiling the stage catches.
    const r2 = await rejected();
    const badKey = good.replace(
      '  - name: all\n    upstream: app',
      '  - name: all\n    upstream: app\n    rate_limits: [{ key: "ip+bogus", rate: 5 }]',
    );
    replaceFile(file, badKey);
    const e3 = await gw.reload();
    assert.ok(e3, 'a bad rate-limit key expression is rejected');
    const keyLine = lineOf(badKey, 'ip+bogus');
    assert.match(e3, new RegExp(`${escapeRe(file)}:${keyLine}:\\d+: routes\\[0\\]\\.rate_limits\\[0\\]\\.key: `), e3);
    assert.ok((await rejected()) >= r2 + 1, 'counted as rejected');
    await servesA();

    // The rejections are recorded as revisions, newest first.
    const revs = await request(`${gw.admin?.url}/v1/config/revisions?limit=5`);
    const list = (JSON.parse(revs.body) as { revisions: { status: string; error: string | null }[] }).revisions;
    assert.equal(list[0]?.status, 'rejected');
    assert.match(list[0]?.error ?? '', /rate_limits/);

    // And a valid config after all that applies.
    replaceFile(file, configYaml({ dataDir, target: b.url }));
    assert.equal(await gw.reload(), undefined);
    assert.equal((await request(`${base}/after`)).headers['x-upstream'], 'B');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('SIGHUP on a `shieldx up` process', () => {
  let tmp: { dir: string; cleanup(): void };
  let a: Upstream;
  let b: Upstream;
  let child: GatewayProcess | undefined;

  before(async () => {
    tmp = tempDir();
    [a, b] = await Promise.all([startUpstream('A'), startUpstream('B')]);
  });

  after(async () => {
    await child?.stop('SIGKILL');
    await Promise.all([a?.close(), b?.close()]);
    tmp?.cleanup();
  });

  test('SIGHUP re-reads the file and applies a valid change; an invalid one is logged and ignored', async () => {
    // The gateway watches the directory of the path it is given. Give it a symlink to a file in
    // another directory: writes there are invisible to the watcher, so only SIGHUP can apply them.
    const real = path.join(tmp.dir, 'real');
    const visible = path.join(tmp.dir, 'visible');
    mkdirSync(real);
    mkdirSync(visible);
    const realFile = path.join(real, 'shieldx.yaml');
    const dataDir = path.join(tmp.dir, 'data');
    writeFileSync(realFile, configYaml({ dataDir, target: a.url, logLevel: 'info' }));
    const link = path.join(visible, 'shieldx.yaml');
    symlinkSync(realFile, link);
    child = await spawnGateway(link);
    const url = child.ready.listeners.find((l) => l.name === 'public')?.url;
    assert.ok(url, JSON.stringify(child.ready));
    const upstreamOf = async () => (await request(`${url}/hup`)).headers['x-upstream'];
    assert.equal(await upstreamOf(), 'A');

    // Invalid first: logged, and A keeps serving.
    replaceFile(realFile, configYaml({ dataDir, target: a.url, logLevel: 'info' }).replace('upstream: app', 'upstream: gone'));
    child.child.kill('SIGHUP');
    const proc = child;
    assert.ok(
      await waitFor(() => proc.logs.some((l) => l.includes('configuration rejected') && l.includes('routes[0].upstream'))),
      `no rejection logged:\n${proc.logs.slice(-5).join('\n')}`,
    );
    assert.equal(await upstreamOf(), 'A');

    replaceFile(realFile, configYaml({ dataDir, target: b.url, logLevel: 'info' }));
    // Longer than the watcher's debounce: nothing has applied it yet.
    await sleep(600);
    assert.equal(await upstreamOf(), 'A', 'the change is not picked up without SIGHUP (the test relies on that)');
    child.child.kill('SIGHUP');
    assert.ok(await waitFor(async () => (await upstreamOf()) === 'B', 10_000), 'B serves after SIGHUP');
    assert.ok(proc.logs.some((l) => l.includes('configuration reloaded')));

    const code = await child.stop('SIGTERM');
    child = undefined;
    assert.equal(code, 0, 'SIGTERM exits 0');
  });
});
