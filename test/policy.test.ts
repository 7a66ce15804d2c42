// The policy stage and the OPA Data API through the real gateway: Rego decisions (allow, deny,
// challenge, divert, tarpit, response headers), the fail mode for errors / undefined / malformed
// decisions, hot reload of policy files (valid applied, invalid rejected while the old set keeps
// serving), and OPA's own npm client against the admin listener.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OPAClient } from '@styra/opa';
import { repoRoot } from '../src/testing/services.js';
import {
  type TestGateway,
  metricValue,
  request,
  scrapeMetrics,
  startTestGateway,
  startUpstream,
  tempDir,
  type Upstream,
  waitFor,
} from './harness.js';

const POLICY = `package shieldx

import rego.v1

default decision := {"action": "deny", "status": 403, "reason": "no rule allows this"}

decision := {"action": "allow"} if startswith(input.request.path, "/public")

decision := {"action": "deny", "status": 451, "reason": "unavailable for legal reasons"} if input.request.path == "/legal"

decision := {"action": "challenge", "reason": "step-up required"} if input.request.path == "/mfa"

decision := {"action": "divert", "upstream": "honeypot"} if {
	input.request.path == "/divert"
	input.request.headers["x-suspicious"] == "1"
}

decision := {"action": "allow"} if {
	input.request.path == "/divert"
	not input.request.headers["x-suspicious"]
}

decision := {"action": "tarpit", "delay_ms": 300, "then": "deny", "status": 429} if input.request.path == "/slow"

decision := {"action": "allow", "headers": {"x-policy-version": data.meta.version}} if input.request.path == "/hdr"

decision := 42 if input.request.path == "/malformed"

# Two complete-rule values for one request: an eval_conflict_error at run time.
decision := {"action": "allow"} if input.request.path == "/conflict"

decision := {"action": "deny"} if input.request.path == "/conflict"

route_name := input.route.name
`;

describe('policy stage', () => {
  let app: Upstream;
  let honeypot: Upstream;
  let g: TestGateway;
  let policyDir: { dir: string; cleanup(): void };
  let adminUrl: string;

  before(async () => {
    app = await startUpstream('app');
    honeypot = await startUpstream('honeypot');
    policyDir = tempDir('shieldx-policy-');
    mkdirSync(path.join(policyDir.dir, 'meta'));
    writeFileSync(path.join(policyDir.dir, 'policy.rego'), POLICY);
    writeFileSync(path.join(policyDir.dir, 'meta', 'data.json'), JSON.stringify({ version: 'v1' }));
    g = await startTestGateway({
      upstreams: { app: { targets: [app.url] }, honeypot: { targets: [honeypot.url] } },
      routes: [
        {
          name: 'lenient',
          match: { path: '/lenient' },
          upstream: 'app',
          policy: { decision: 'shieldx/nothing_here', on_error: 'allow' },
        },
        { name: 'all', upstream: 'app' },
      ],
      extra: { policy: { paths: [policyDir.dir] } },
    });
    adminUrl = g.gw.admin?.url ?? '';
  });

  after(async () => {
    await g?.stop();
    await app?.close();
    await honeypot?.close();
    policyDir?.cleanup();
  });

  test('allow proxies, deny and challenge answer with the decided status and a JSON body', async () => {
    const ok = await request(`${g.base}/public/x`);
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).upstream, 'app');

    const legal = await request(`${g.base}/legal`);
    assert.equal(legal.status, 451);
    const lb = JSON.parse(legal.body);
    assert.equal(lb.reason, 'unavailable for legal reasons');
    assert.ok(lb.request_id);

    const none = await request(`${g.base}/elsewhere`);
    assert.equal(none.status, 403);
    assert.equal(JSON.parse(none.body).reason, 'no rule allows this');

    const mfa = await request(`${g.base}/mfa`);
    assert.equal(mfa.status, 401);
    assert.equal(JSON.parse(mfa.body).error, 'challenge_required');
  });

  test('divert sends the request to the named upstream; headers from the decision reach the client', async () => {
    const normal = await request(`${g.base}/divert`);
    assert.equal(JSON.parse(normal.body).upstream, 'app');
    const diverted = await request(`${g.base}/divert`, { headers: { 'x-suspicious': '1' } });
    assert.equal(diverted.status, 200);
    assert.equal(JSON.parse(diverted.body).upstream, 'honeypot');
    const hdr = await request(`${g.base}/hdr`);
    assert.equal(hdr.status, 200);
    assert.equal(hdr.headers['x-policy-version'], 'v1');
  });

  test('tarpit delays, then answers as decided', async () => {
    const t0 = Date.now();
    const slow = await request(`${g.base}/slow`);
    assert.ok(Date.now() - t0 >= 250, 'the tarpit held the request');
    assert.equal(slow.status, 429);
  });

  test('errors, malformed and undefined decisions follow the fail mode', async () => {
    const conflict = await request(`${g.base}/conflict`);
    assert.equal(conflict.status, 503);
    assert.equal(JSON.parse(conflict.body).error, 'policy_error');
    const malformed = await request(`${g.base}/malformed`);
    assert.equal(malformed.status, 503);
    // This route's decision path is undefined, and its on_error is allow.
    const lenient = await request(`${g.base}/lenient`);
    assert.equal(lenient.status, 200);
  });

  test("OPA Data API: raw requests and OPA's npm client get the same results", async () => {
    const input = { request: { path: '/legal', headers: {} }, principal: {}, route: { name: 'all' } };
    const raw = await request(`${adminUrl}/v1/data/shieldx/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input }),
    });
    assert.equal(raw.status, 200);
    const rb = JSON.parse(raw.body);
    assert.deepEqual(rb.result, { action: 'deny', status: 451, reason: 'unavailable for legal reasons' });
    assert.match(rb.decision_id, /^[0-9a-f-]{36}$/);

    const client = new OPAClient(adminUrl);
    const viaClient = await client.evaluate('shieldx/decision', input);
    assert.deepEqual(viaClient, rb.result);
    assert.equal(await client.evaluate('shieldx/route_name', input), 'all');

    const get = await request(`${adminUrl}/v1/data/meta/version`);
    assert.deepEqual(JSON.parse(get.body), { result: 'v1', decision_id: JSON.parse(get.body).decision_id });

    const undef = JSON.parse((await request(`${adminUrl}/v1/data/shieldx/nope`)).body);
    assert.equal(undef.result, undefined);

    const q = await request(`${adminUrl}/v1/query`, {
      method: 'POST',
      body: JSON.stringify({ query: 'x := data.meta.version; y := count([1, 2, 3])' }),
    });
    assert.deepEqual(JSON.parse(q.body), { result: [{ x: 'v1', y: 3 }] });

    const health = await request(`${adminUrl}/health`);
    assert.equal(health.status, 200);
  });

  test('OPA npm client and `shieldx policy eval` agree on the same policy files and inputs', async () => {
    const client = new OPAClient(adminUrl);
    const main = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
    const paths = ['/public/a', '/legal', '/mfa', '/slow', '/hdr', '/nowhere', '/divert'];
    const inputs = tempDir('shieldx-policy-input-');
    after(() => inputs.cleanup());
    // The CLI runs first, in child processes that don't block this event loop (the gateway and its
    // admin listener live in this process); then the client asks for the same decisions.
    const cases: { p: string; input: unknown; cli: unknown }[] = [];
    for (const p of paths) {
      const input = { request: { path: p, headers: p === '/divert' ? { 'x-suspicious': '1' } : {} }, principal: {} };
      const inputFile = path.join(inputs.dir, `input-${cases.length}.json`);
      writeFileSync(inputFile, JSON.stringify(input));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [main, 'policy', 'eval', '-d', policyDir.dir, '-i', inputFile, 'data.shieldx.decision'],
        { encoding: 'utf8' },
      );
      cases.push({ p, input, cli: JSON.parse(stdout).result[0].expressions[0].value });
    }
    for (const c of cases) {
      assert.deepEqual(
        await client.evaluate('shieldx/decision', c.input as Record<string, unknown>),
        c.cli,
        `same decision for ${c.p}`,
      );
    }
  });

  test('OPA Data API errors: bad JSON 400, bad query 400 with rego_parse_error, eval error 500', async () => {
    const bad = await request(`${adminUrl}/v1/data/shieldx/decision`, { method: 'POST', body: '{"input": ' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).code, 'invalid_parameter');

    const parse = await request(`${adminUrl}/v1/query`, { method: 'POST', body: JSON.stringify({ query: 'x := [' }) });
    assert.equal(parse.status, 400);
    const pb = JSON.parse(parse.body);
    assert.equal(pb.code, 'invalid_parameter');
    assert.equal(pb.errors[0].code, 'rego_parse_error');

    const conflict = await request(`${adminUrl}/v1/data/shieldx/decision`, {
      method: 'POST',
      body: JSON.stringify({ input: { request: { path: '/conflict' } } }),
    });
    assert.equal(conflict.status, 500);
    const cb = JSON.parse(conflict.body);
    assert.equal(cb.code, 'internal_error');
    assert.equal(cb.errors[0].code, 'eval_conflict_error');
  });

  test('policy files hot-reload: a valid change applies, an invalid one is rejected and the old set keeps serving', async () => {
    const file = path.join(policyDir.dir, 'policy.rego');
    const before = metricValue(await scrapeMetrics(adminUrl), 'shieldx_config_reloads_total', { result: 'rejected' });
    writeFileSync(file, POLICY.replace('"unavailable for legal reasons"', '"changed"'));
    assert.ok(
      await waitFor(async () => JSON.parse((await request(`${g.base}/legal`)).body).reason === 'changed', 10_000, 100),
      'the edited policy was applied',
    );
    writeFileSync(file, `${POLICY}\nbroken := [\n`);
    assert.ok(
      await waitFor(
        async () => metricValue(await scrapeMetrics(adminUrl), 'shieldx_config_reloads_total', { result: 'rejected' }) > before,
        10_000,
        100,
      ),
      'the broken policy was rejected',
    );
    const still = await request(`${g.base}/legal`);
    assert.equal(still.status, 451);
    assert.equal(JSON.parse(still.body).reason, 'changed');
  });
});
