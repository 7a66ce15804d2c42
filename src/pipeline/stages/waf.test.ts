import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { type RequestContext, StageConfigError, type StageResult } from '../stage.js';
import { type ContextInput, makeContext, makeDeps, makeRoute, runSync } from './test-context.js';
import { resolveRuleFiles, ruleSetText, type WafSignal, wafStage } from './waf.js';
import { routeWafSchema } from '../../config/schema.js';

// A tiny anomaly-scoring rule set in the style of CRS: detection rules add to tx.anomaly_score, one
// rule at the end of phase 2 blocks at the threshold the stage configures.
const RULES = `
SecRule REQUEST_HEADERS:User-Agent "@contains badbot" \\
  "id:1003,phase:1,pass,t:none,t:lowercase,msg:'Bad bot',tag:'scanner',setvar:tx.anomaly_score=+2"
SecRule TX:BLOCKING_PARANOIA_LEVEL "@ge 2" \\
  "id:1010,phase:1,pass,nolog,setvar:tx.pl2_active=1"
SecRule ARGS "@rx (?i)'\\s*or\\s*'?\\d" \\
  "id:1001,phase:2,pass,t:none,t:urlDecodeUni,msg:'SQL injection',tag:'attack-sqli',setvar:tx.anomaly_score=+5"
SecRule ARGS "@contains <script" \\
  "id:1002,phase:2,pass,t:none,t:lowercase,msg:'XSS',tag:'attack-xss',setvar:tx.anomaly_score=+5"
SecRule TX:PL2_ACTIVE "@eq 1" "chain,id:1011,phase:2,pass,msg:'PL2 check',tag:'paranoia-level/2'"
  SecRule ARGS "@contains --" "setvar:tx.anomaly_score=+5"
SecRule TX:ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" \\
  "id:1999,phase:2,deny,status:403,msg:'Anomaly score exceeded',tag:'anomaly-evaluation'"
`;

let dir: string;
let rulesFile: string;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shieldx-waf-stage-'));
  rulesFile = path.join(dir, 'rules.conf');
  writeFileSync(rulesFile, RULES);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function stageFor(waf: Record<string, unknown>, deps = makeDeps()) {
  return wafStage.create(makeRoute({ waf: { rules: [rulesFile], ...waf } }), deps);
}

function ctx(input: ContextInput & { bodyText?: string } = {}): RequestContext {
  const { bodyText, ...rest } = input;
  const c = makeContext(rest);
  if (bodyText !== undefined) c.body = Buffer.from(bodyText, 'latin1');
  return c;
}

function outcome(r: StageResult): 'pass' | number {
  if (r === undefined) return 'pass';
  assert.equal(r.action, 'deny');
  return r.action === 'deny' ? r.status : -1;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'example.test' };

// [title, waf settings, request, expected outcome, expected anomaly score, expected matched ids]
const CASES: [string, Record<string, unknown>, ContextInput & { bodyText?: string }, 'pass' | number, number, number[]][] = [
  ['clean request', {}, { request: { path: '/search', query: 'q=shoes' } }, 'pass', 0, []],
  ['SQLi in the query', {}, { request: { path: '/item', query: "id=1'%20OR%20'1'='1" } }, 403, 5, [1001, 1999]],
  [
    'XSS in a urlencoded body',
    {},
    { request: { method: 'POST', headers: FORM }, bodyText: 'c=%3Cscript%3Ealert(1)' },
    403,
    5,
    [1002, 1999],
  ],
  ['bad bot alone stays below the threshold', {}, { request: { headers: { 'user-agent': 'BadBot/1.0' } } }, 'pass', 2, [1003]],
  ['detect mode never blocks', { mode: 'detect' }, { request: { query: "id=1'%20or%201=1" } }, 'pass', 5, [1001, 1999]],
  [
    'a higher inbound threshold lets one match pass',
    { inbound_threshold: 7 },
    { request: { query: "id=1'%20or%201=1" } },
    'pass',
    5,
    [1001],
  ],
  [
    'two matches reach a higher threshold',
    { inbound_threshold: 7 },
    { request: { query: "id=1'%20or%201=1", headers: { 'user-agent': 'badbot' } } },
    403,
    7,
    [1003, 1001, 1999],
  ],
  ['PL1 skips the PL2 rule', {}, { request: { query: 'x=a--b' } }, 'pass', 0, []],
  ['PL2 runs the PL2 rule', { paranoia_level: 2 }, { request: { query: 'x=a--b' } }, 403, 5, [1011, 1999]],
  ['excluded by id', { exclusions: { rule_ids: [1001] } }, { request: { query: "id=1'%20or%201=1" } }, 'pass', 0, []],
  [
    'excluded by id range',
    { exclusions: { rule_ids: ['1000-1001'] } },
    { request: { query: "id=1'%20or%201=1" } },
    'pass',
    0,
    [],
  ],
  ['excluded by tag', { exclusions: { tags: ['attack-sqli'] } }, { request: { query: "id=1'%20or%201=1" } }, 'pass', 0, []],
  [
    'a target exclusion spares that argument',
    { exclusions: { targets: [{ rule_id: 1001, target: 'ARGS:password' }] } },
    { request: { query: "password=x'%20or%201=1" } },
    'pass',
    0,
    [],
  ],
  [
    'a target exclusion leaves other arguments inspected',
    { exclusions: { targets: [{ rule_id: 1001, target: 'ARGS:password' }] } },
    { request: { query: "user=x'%20or%201=1" } },
    403,
    5,
    [1001, 1999],
  ],
  [
    'request_body skip does not inspect the body',
    { request_body: 'skip' },
    { request: { method: 'POST', headers: FORM }, bodyText: 'c=%3Cscript%3Ealert(1)' },
    'pass',
    0,
    [],
  ],
];

describe('waf stage', () => {
  for (const [title, waf, input, expected, score, ids] of CASES) {
    test(title, () => {
      const c = ctx(input);
      const r = runSync(stageFor(waf), c);
      assert.equal(outcome(r), expected);
      const signal = c.signals.waf as WafSignal;
      assert.equal(signal.anomaly_score, score);
      assert.deepEqual(
        signal.matched_rules.map((m) => m.id),
        ids,
      );
      assert.equal(signal.interrupted, ids.includes(1999));
    });
  }

  test('the denial tells the client nothing about the rules; the log at info level does', () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const c = makeContext({ request: { query: "id=1'%20or%201=1" }, log });
    const r = runSync(stageFor({}), c);
    assert.deepEqual(r, {
      action: 'deny',
      status: 403,
      reason: 'blocked by the WAF',
      body: { error: 'forbidden', reason: 'blocked by the WAF' },
    });
    const entry = lines.find((l) => l.msg === 'request blocked by the WAF') as {
      level: number;
      waf: { matched_rules: { id: number; msg: string }[] };
    };
    assert.ok(entry, 'a log line names the block');
    assert.equal(entry.level, 30);
    assert.deepEqual(
      entry.waf.matched_rules.map((m) => [m.id, m.msg]),
      [
        [1001, 'SQL injection'],
        [1999, 'Anomaly score exceeded'],
      ],
    );
    const signal = c.signals.waf as WafSignal;
    assert.deepEqual(signal.matched_rules[0], { id: 1001, msg: 'SQL injection', tags: ['attack-sqli'] });
  });

  test('needsBody follows request_body, request_body_limit and SecRequestBodyLimitAction', () => {
    assert.deepEqual(stageFor({}).needsBody, { maxBytes: 13_107_200, onLimit: 'reject' });
    assert.deepEqual(stageFor({ request_body_limit: '64KiB' }).needsBody, { maxBytes: 65536, onLimit: 'reject' });
    assert.equal(stageFor({ request_body: 'skip' }).needsBody, undefined);
    const partial = path.join(dir, 'partial.conf');
    writeFileSync(partial, 'SecRequestBodyLimitAction ProcessPartial\n');
    const s = wafStage.create(makeRoute({ waf: { rules: [partial, rulesFile] } }), makeDeps());
    assert.deepEqual(s.needsBody, { maxBytes: 13_107_200, onLimit: 'partial' });
  });

  test('routes with identical rule settings share one engine per generation', () => {
    const deps = makeDeps();
    const engineOf = (s: unknown) => (s as { engine: unknown }).engine;
    const a = stageFor({ mode: 'block' }, deps);
    const b = stageFor({ mode: 'detect', request_body: 'skip' }, deps);
    const c = stageFor({ paranoia_level: 2 }, deps);
    const d = stageFor({}, makeDeps());
    assert.equal(engineOf(a), engineOf(b));
    assert.notEqual(engineOf(a), engineOf(c));
    assert.notEqual(engineOf(a), engineOf(d));
  });

  test('config errors name the key, and the file:line of a bad rule', () => {
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, 'SecRule ARGS "@rx ok" "id:1,phase:2,pass"\n\nSecRule ARGS "@rx (unclosed" "id:2,phase:2,deny"\n');
    const unknown = path.join(dir, 'unknown.conf');
    writeFileSync(unknown, '# comment\nSecNoSuchDirective On\n');
    const cases: [string, unknown, RegExp, (string | number)[]][] = [
      ['no rules', { rules: [] }, /waf\.rules/, ['waf', 'rules']],
      ['a missing file', { rules: [path.join(dir, 'nope.conf')] }, /no rule files found/, ['waf', 'rules', 0]],
      ['a glob matching nothing', { rules: [rulesFile, path.join(dir, '*.none')] }, /no rule files found/, ['waf', 'rules', 1]],
      ['a bad regex', { rules: [bad] }, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3`), ['waf', 'rules']],
      ['an unknown directive', { rules: [unknown] }, /unknown\.conf:2: unknown directive SecNoSuchDirective/, ['waf', 'rules']],
    ];
    for (const [title, waf, message, where] of cases) {
      assert.throws(
        () => wafStage.create(makeRoute({ waf }), makeDeps()),
        (e: unknown) => {
          assert.ok(e instanceof StageConfigError, title);
          assert.match(e.message, message, title);
          assert.deepEqual(e.path, where, title);
          return true;
        },
      );
    }
  });

  test('relative rule paths resolve against the config directory', () => {
    const deps = { ...makeDeps(), baseDir: dir };
    const s = wafStage.create(makeRoute({ waf: { rules: ['rules.conf'] } }), deps);
    assert.equal(outcome(runSync(s, ctx({ request: { query: "id=1'%20or%201=1" } }))), 403);
  });

  test('exclusion values cannot inject SecLang', () => {
    for (const bad of [
      { exclusions: { tags: ['x" \nSecRuleEngine Off'] } },
      { exclusions: { targets: [{ rule_id: 1, target: 'ARGS:a"' }] } },
      { exclusions: { rule_ids: ['1 2'] } },
    ]) {
      assert.equal(routeWafSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});

describe('waf rule files', () => {
  test('a CRS directory: setup file, then rules/*.conf, with the settings before the first CRS rule file', () => {
    const crs = path.join(dir, 'crs');
    mkdirSync(path.join(crs, 'rules'), { recursive: true });
    writeFileSync(path.join(crs, 'crs-setup.conf.example'), '');
    for (const f of ['REQUEST-901-INITIALIZATION.conf', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf', 'sql.data'])
      writeFileSync(path.join(crs, 'rules', f), '');
    const resolved = resolveRuleFiles([crs, rulesFile], '/');
    assert.deepEqual(
      resolved.files.map((f) => path.relative(dir, f)),
      [
        'crs/crs-setup.conf.example',
        'crs/rules/REQUEST-901-INITIALIZATION.conf',
        'crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf',
        'rules.conf',
      ],
    );
    assert.equal(resolved.settingsAt, 1);
    const text = ruleSetText(
      routeWafSchema.parse({ paranoia_level: 3, inbound_threshold: 10, exclusions: { rule_ids: [942100] } }),
      resolved,
    );
    const lines = text.split('\n');
    const setupAt = lines.findIndex((l) => l.includes('crs-setup.conf.example'));
    const plAt = lines.findIndex((l) => l.includes('setvar:tx.blocking_paranoia_level=3'));
    const initAt = lines.findIndex((l) => l.includes('REQUEST-901'));
    assert.ok(setupAt < plAt && plAt < initAt, text);
    assert.match(text, /setvar:tx\.detection_paranoia_level=3/);
    assert.match(text, /setvar:tx\.inbound_anomaly_score_threshold=10/);
    assert.match(text, /setvar:tx\.outbound_anomaly_score_threshold=4/);
    assert.equal(lines.filter((l) => l !== '').at(-1), 'SecRuleRemoveById 942100');
  });
});
