// The waf stage through the real gateway: blocking with a request id, clean traffic passing, detect
// mode feeding signals.waf to a Rego policy, body inspection (buffered, forwarded intact, hashed into
// input.request.body_sha256), the body limit (413 / ProcessPartial), a bad rule file rejected on
// reload with file:line while the old rules keep serving, and OWASP CRS 4 at PL1 when the corpus is there.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedDir } from '../src/testing/services.js';
import { request, startTestGateway, startUpstream, type TestGateway, tempDir, type Upstream } from './harness.js';

const RULES = `
SecRule ARGS "@rx (?i)'\\s*or\\s*'?\\d" \\
  "id:1001,phase:2,pass,t:none,t:urlDecodeUni,msg:'SQL injection',tag:'attack-sqli',setvar:tx.anomaly_score=+5"
SecRule ARGS "@contains <script" \\
  "id:1002,phase:2,pass,t:none,t:lowercase,msg:'XSS',tag:'attack-xss',setvar:tx.anomaly_score=+5"
SecRule TX:ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" \\
  "id:1999,phase:2,deny,status:403,msg:'Anomaly score exceeded',tag:'anomaly-evaluation'"
`;

const POLICY = `package shieldx

import rego.v1

default decision := {"action": "allow"}

decision := {"action": "deny", "status": 409, "reason": sprintf("waf score %d", [input.signals.waf.anomaly_score])} if {
	input.signals.waf.anomaly_score >= 5
}

decision := {"action": "allow", "headers": {"x-body-sha256": input.request.body_sha256}} if {
	input.signals.waf.anomaly_score < 5
	input.request.body_sha256
}
`;

const SQLI = "?id=1'%20OR%20'1'='1";
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** An upstream that answers with what it received: method, url, body and its length. */
function echo(id: string): Promise<Upstream> {
  return startUpstream(id, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: id, method: req.method, url: req.url, body, length: body.length }));
    });
  });
}

/** A chunked POST (no Content-Length), the body written in one piece. */
function chunkedPost(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: FORM, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('waf stage through the gateway', () => {
  let app: Upstream;
  let g: TestGateway;
  let files: { dir: string; cleanup(): void };
  let rulesFile: string;

  before(async () => {
    app = await echo('app');
    files = tempDir('shieldx-waf-');
    rulesFile = path.join(files.dir, 'rules.conf');
    writeFileSync(rulesFile, RULES);
    const partialFile = path.join(files.dir, 'partial.conf');
    writeFileSync(partialFile, 'SecRequestBodyLimitAction ProcessPartial\n');
    mkdirSync(path.join(files.dir, 'policy'));
    writeFileSync(path.join(files.dir, 'policy', 'policy.rego'), POLICY);
    g = await startTestGateway({
      upstreams: { app: { targets: [app.url] } },
      routes: [
        {
          name: 'detect',
          match: { path: '/detect' },
          upstream: 'app',
          stages: ['waf', 'policy'],
          waf: { rules: [rulesFile], mode: 'detect' },
        },
        {
          name: 'partial',
          match: { path: '/partial' },
          upstream: 'app',
          stages: ['waf'],
          waf: { rules: [partialFile, rulesFile], request_body_limit: 16 },
        },
        { name: 'plain', match: { path: '/plain' }, upstream: 'app', stages: ['protocol_guard'] },
        { name: 'block', upstream: 'app', stages: ['waf'], waf: { rules: [rulesFile], request_body_limit: 1024 } },
      ],
      extra: { policy: { paths: [path.join(files.dir, 'policy')] } },
    });
  });

  after(async () => {
    await g?.stop();
    await app?.close();
    files?.cleanup();
  });

  test('a SQLi-ish query is blocked with 403 and the request id; nothing about the rules reaches the client', async () => {
    const r = await request(`${g.base}/items${SQLI}`, { headers: { 'x-request-id': 'waf-test-1' } });
    assert.equal(r.status, 403);
    assert.deepEqual(JSON.parse(r.body), { error: 'forbidden', reason: 'blocked by the WAF', request_id: 'waf-test-1' });
    assert.equal(r.headers['x-request-id'], 'waf-test-1');
    assert.ok(!app.seen.some((s) => s.url.includes("'")), 'the blocked request never reached the upstream');
  });

  test('a clean request passes', async () => {
    const r = await request(`${g.base}/items?id=42&q=shoes`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).url, '/items?id=42&q=shoes');
  });

  test('detect mode never blocks, and signals.waf reaches the Rego policy', async () => {
    const clean = await request(`${g.base}/detect?id=42`);
    assert.equal(clean.status, 200);
    const r = await request(`${g.base}/detect${SQLI}`);
    assert.equal(r.status, 409, 'the policy denied on the WAF score, not the WAF itself');
    assert.equal(JSON.parse(r.body).reason, 'waf score 5');
  });

  test('a urlencoded POST body is inspected, then forwarded byte for byte; its sha256 is in the input document', async () => {
    const attack = await request(`${g.base}/form`, { method: 'POST', headers: FORM, body: 'name=x&c=%3Cscript%3Ealert(1)' });
    assert.equal(attack.status, 403);
    const body = 'name=caf%C3%A9&note=fine+%26+dandy';
    const ok = await request(`${g.base}/form`, { method: 'POST', headers: FORM, body });
    assert.equal(ok.status, 200);
    const seen = JSON.parse(ok.body);
    assert.equal(seen.body, body);
    assert.equal(seen.method, 'POST');
    const chunked = await chunkedPost(`${g.base}/form`, body);
    assert.equal(chunked.status, 200);
    assert.equal(JSON.parse(chunked.body).body, body);
    const chunkedAttack = await chunkedPost(`${g.base}/form`, "a=1&id=1'%20or%201=1");
    assert.equal(chunkedAttack.status, 403);
    // The policy route echoes input.request.body_sha256 back as a header.
    const hashed = await request(`${g.base}/detect/x`, { method: 'POST', headers: FORM, body });
    assert.equal(hashed.status, 200);
    assert.equal(hashed.headers['x-body-sha256'], createHash('sha256').update(body).digest('hex'));
  });

  test('a body over request_body_limit is answered 413 (Reject), with or without Content-Length', async () => {
    const big = `a=${'x'.repeat(2000)}`;
    const r = await request(`${g.base}/form`, { method: 'POST', headers: FORM, body: big });
    assert.equal(r.status, 413);
    const b = JSON.parse(r.body);
    assert.equal(b.error, 'payload_too_large');
    assert.ok(b.request_id);
    const chunked = await chunkedPost(`${g.base}/form`, big);
    assert.equal(chunked.status, 413);
    // The same body on a route without a body-inspecting stage streams through.
    const plain = await request(`${g.base}/plain`, { method: 'POST', headers: FORM, body: big });
    assert.equal(plain.status, 200);
    assert.equal(JSON.parse(plain.body).length, big.length);
  });

  test('ProcessPartial inspects the first request_body_limit bytes and still forwards the whole body', async () => {
    const early = await request(`${g.base}/partial`, { method: 'POST', headers: FORM, body: `c=<script>${'x'.repeat(100)}` });
    assert.equal(early.status, 403);
    const late = `a=${'x'.repeat(100)}&c=<script>`;
    const r = await request(`${g.base}/partial`, { method: 'POST', headers: FORM, body: late });
    assert.equal(r.status, 200, 'the attack lies past the inspected prefix');
    assert.equal(JSON.parse(r.body).body, late);
    const chunked = await chunkedPost(`${g.base}/partial`, late);
    assert.equal(chunked.status, 200);
    assert.equal(JSON.parse(chunked.body).body, late);
  });

  test('a bad rule file is rejected on reload with file:line, and the old rules keep serving', async () => {
    writeFileSync(rulesFile, `${RULES}\nSecRule ARGS "@rx (unclosed" "id:2000,phase:2,deny"\n`);
    try {
      const err = await g.gw.reload(true);
      assert.ok(err, 'the reload was rejected');
      const lines = RULES.split('\n').length + 1;
      assert.ok(err.includes(`${rulesFile}:${lines}`), err);
      assert.match(err, /waf\.rules/);
      assert.equal((await request(`${g.base}/items${SQLI}`)).status, 403);
      assert.equal((await request(`${g.base}/items?id=7`)).status, 200);
    } finally {
      writeFileSync(rulesFile, RULES);
    }
  });
});

describe('waf stage with OWASP CRS 4', () => {
  const shared = sharedDir();
  const crsDir = shared.dir ? path.join(shared.dir, 'corpora', 'crs') : '';
  const skip = shared.skip ?? (existsSync(path.join(crsDir, 'rules')) ? undefined : `${crsDir}/rules is absent`);
  let app: Upstream;
  let g: TestGateway;

  before(async () => {
    if (skip) return;
    app = await echo('app');
    g = await startTestGateway({
      upstreams: { app: { targets: [app.url] } },
      routes: [{ name: 'crs', upstream: 'app', stages: ['waf'], waf: { rules: [crsDir], paranoia_level: 1 } }],
    });
  });

  after(async () => {
    await g?.stop();
    await app?.close();
  });

  test("CRS at PL1 blocks ?id=1' OR '1'='1 and passes a clean request", { skip }, async () => {
    const headers = { 'user-agent': 'shieldx-test/1.0', accept: 'text/html' };
    const blocked = await request(`${g.base}/index.php${SQLI}`, { headers });
    assert.equal(blocked.status, 403);
    assert.equal(JSON.parse(blocked.body).reason, 'blocked by the WAF');
    const clean = await request(`${g.base}/index.php?id=42`, { headers });
    assert.equal(clean.status, 200);
  });
});
