// Load balancing through the real gateway: every balancer's distribution over real upstream servers.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Running } from '../src/cli/up.js';
import {
  listenerUrl,
  request,
  startGateway,
  startUpstream,
  tempDir,
  testConfigYaml,
  type Upstream,
  waitFor,
  writeConfig,
} from './harness.js';

/** An upstream that answers at once, or holds requests open while `hold` is set. */
interface Holding extends Upstream {
  hold: boolean;
  held: http.ServerResponse[];
  release(): void;
}

async function holdingUpstream(id: string): Promise<Holding> {
  const up = (await startUpstream(id, (req, res, u) => {
    const h = u as Holding;
    req.resume();
    if (h.hold) {
      h.held.push(res);
      return;
    }
    res.writeHead(200, { 'x-upstream': id }).end(id);
  })) as Holding;
  up.hold = false;
  up.held = [];
  up.release = () => {
    for (const r of up.held.splice(0)) r.writeHead(200, { 'x-upstream': id }).end(id);
  };
  return up;
}

/** An upstream that answers after delayMs. */
function slowUpstream(id: string, delayMs: number): Promise<Upstream> {
  return startUpstream(id, (req, res) => {
    req.resume();
    setTimeout(() => res.writeHead(200, { 'x-upstream': id }).end(id), delayMs);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const get = (url: string, headers: http.OutgoingHttpHeaders = {}) => request(url, { agent, headers });

/** Count how many responses each upstream served (by the x-upstream header). */
function tally(ids: (string | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) out[id ?? '?'] = (out[id ?? '?'] ?? 0) + 1;
  return out;
}

/** `n` requests, `concurrency` at a time; resolves to the x-upstream of each (all must be 200). */
async function run(url: string, n: number, concurrency: number, headers?: (i: number) => http.OutgoingHttpHeaders) {
  const out: (string | undefined)[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await get(url, headers?.(i));
        assert.equal(r.status, 200, `request ${i}: ${r.status} ${r.body}`);
        out[i] = r.headers['x-upstream'] as string | undefined;
      }
    }),
  );
  return out;
}

/**
 * Send `n` requests one after another while `busy` holds every request it receives: each request is
 * started, then we wait until it either completed or is being held by `busy`. Resolves to the
 * upstream ids of the completed ones; the held ones stay open until busy.release().
 */
async function runAgainstHolder(
  url: string,
  n: number,
  busy: Holding,
): Promise<{ done: (string | undefined)[]; pending: Promise<unknown>[] }> {
  const done: (string | undefined)[] = [];
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const heldBefore = busy.held.length;
    let finished = false;
    const p = request(url, { agent: false }).then((r) => {
      finished = true;
      assert.equal(r.status, 200, r.body);
      if (r.headers['x-upstream'] !== busy.id) done.push(r.headers['x-upstream'] as string | undefined);
      return r;
    });
    const ok = await waitFor(() => finished || busy.held.length > heldBefore, 15_000, 2);
    assert.ok(ok, `request ${i} neither completed nor reached the busy upstream`);
    if (!finished) pending.push(p);
  }
  return { done, pending };
}

describe('load balancing through the gateway', { timeout: 120_000 }, () => {
  const tmp = tempDir();
  let gw: Running;
  let base: string;
  const ups: Record<string, Upstream[]> = {};
  let lcUps: Holding[];
  let p2cUps: Holding[];

  before(async () => {
    ups.rr = [await startUpstream('rr-w1'), await startUpstream('rr-w2'), await startUpstream('rr-w3')];
    lcUps = [await holdingUpstream('lc-a'), await holdingUpstream('lc-b'), await holdingUpstream('lc-c')];
    ups.ewma = [await slowUpstream('ewma-slow', 300), await startUpstream('ewma-f1'), await startUpstream('ewma-f2')];
    p2cUps = [await holdingUpstream('p2c-a'), await holdingUpstream('p2c-b'), await holdingUpstream('p2c-c')];
    ups.rv = [await startUpstream('rv-a'), await startUpstream('rv-b'), await startUpstream('rv-c')];
    const rr = ups.rr;
    const fastEjection = { outlier_detection: { consecutive_failures: 3 } };
    const cfg = testConfigYaml({
      dataDir: tmp.dir,
      upstreams: {
        rr: {
          balancer: 'round_robin',
          targets: rr.map((u, i) => ({ url: u.url, weight: i + 1 })),
        },
        lc: { balancer: 'least_conn', targets: lcUps.map((u) => u.url) },
        ewma: { balancer: 'ewma', targets: ups.ewma.map((u) => u.url) },
        p2c: { balancer: 'p2c', targets: p2cUps.map((u) => u.url) },
        rv: { balancer: 'rendezvous', hash_key: 'header:x-user', targets: ups.rv.map((u) => u.url), ...fastEjection },
      },
      routes: ['rr', 'lc', 'ewma', 'p2c', 'rv'].map((n) => ({
        name: n,
        match: { path: `/${n}` },
        upstream: n,
        strip_prefix: `/${n}`,
      })),
    });
    gw = await startGateway(writeConfig(tmp.dir, cfg));
    base = listenerUrl(gw, 'public');
  });

  after(async () => {
    agent.destroy();
    for (const u of [...lcUps, ...p2cUps]) u.release();
    await gw?.stop();
    await Promise.all([...Object.values(ups).flat(), ...lcUps, ...p2cUps].map((u) => u.close()));
    tmp.cleanup();
  });

  test('round_robin with weights 1/2/3 splits 600 requests exactly 100/200/300', async () => {
    const got = tally(await run(`${base}/rr/x`, 600, 6));
    assert.deepEqual(got, { 'rr-w1': 100, 'rr-w2': 200, 'rr-w3': 300 });
  });

  test('least_conn sends new requests to the idle targets while one holds a request open', async () => {
    const [a, b, c] = lcUps as [Holding, Holding, Holding];
    // Warm up: all idle, ties rotate so every target is used.
    const warm = tally(await run(`${base}/lc/`, 30, 1));
    for (const u of lcUps) assert.ok((warm[u.id] ?? 0) >= 5, `idle least_conn should rotate: ${JSON.stringify(warm)}`);
    a.hold = true;
    const { done, pending } = await runAgainstHolder(`${base}/lc/`, 60, a);
    // a got exactly one request (after that it has one in flight, the others none).
    assert.equal(a.held.length, 1, `a holds ${a.held.length}`);
    const t = tally(done);
    assert.equal((t[b.id] ?? 0) + (t[c.id] ?? 0), 59);
    assert.ok((t[b.id] ?? 0) >= 15 && (t[c.id] ?? 0) >= 15, `ties between b and c rotate: ${JSON.stringify(t)}`);
    a.hold = false;
    a.release();
    await Promise.all(pending);
  });

  test('ewma sends clearly fewer requests to the target with added latency', async (t) => {
    // Eight at a time: in-flight counts weigh in too, and a new target must not soak up the
    // concurrent requests while its first (slow) answer is outstanding.
    const got = tally(await run(`${base}/ewma/`, 160, 8));
    t.diagnostic(JSON.stringify(got));
    const slow = got['ewma-slow'] ?? 0;
    assert.ok(slow >= 1, `the slow target was tried: ${JSON.stringify(got)}`);
    assert.ok(slow <= 6, `the slow target got ${slow} of 160: ${JSON.stringify(got)}`);
    // The lowest estimate wins, so the fast ones may split unevenly; together they serve the rest.
    assert.equal((got['ewma-f1'] ?? 0) + (got['ewma-f2'] ?? 0), 160 - slow);
  });

  test('p2c spreads over idle targets and avoids a loaded one', async () => {
    const idle = tally(await run(`${base}/p2c/`, 90, 1));
    for (const u of p2cUps) assert.ok((idle[u.id] ?? 0) >= 10, `p2c over idle targets: ${JSON.stringify(idle)}`);
    const [a, b, c] = p2cUps as [Holding, Holding, Holding];
    a.hold = true;
    const { done, pending } = await runAgainstHolder(`${base}/p2c/`, 60, a);
    // With three targets every pair that includes a also includes an idle target, which wins.
    assert.equal(a.held.length, 1, `a holds ${a.held.length}`);
    const t = tally(done);
    assert.equal((t[b.id] ?? 0) + (t[c.id] ?? 0), 59);
    assert.ok((t[b.id] ?? 0) >= 10 && (t[c.id] ?? 0) >= 10, JSON.stringify(t));
    a.hold = false;
    a.release();
    await Promise.all(pending);
  });

  test('rendezvous keeps each x-user on one target, spreads users, and moves only a stopped target’s users', async () => {
    const users = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const where = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (const u of users) {
        const r = await get(`${base}/rv/`, { 'x-user': u });
        assert.equal(r.status, 200);
        const id = r.headers['x-upstream'] as string;
        if (round === 0) where.set(u, id);
        else assert.equal(id, where.get(u), `${u} moved from ${where.get(u)} to ${id} with every target up`);
      }
    }
    const spread = tally([...where.values()]);
    for (const up of ups.rv as Upstream[])
      assert.ok((spread[up.id] ?? 0) >= 5, `users spread over all targets: ${JSON.stringify(spread)}`);

    const stopped = ups.rv?.[1] as Upstream;
    await stopped.close();
    for (let round = 0; round < 2; round++) {
      for (const u of users) {
        const r = await get(`${base}/rv/`, { 'x-user': u });
        assert.equal(r.status, 200, `${u}: ${r.status} ${r.body}`);
        const id = r.headers['x-upstream'] as string;
        if (where.get(u) === stopped.id) assert.notEqual(id, stopped.id);
        else assert.equal(id, where.get(u), `${u} was on ${where.get(u)}, a live target, but moved to ${id}`);
      }
    }
  });
});
