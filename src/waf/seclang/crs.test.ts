// Loads the OWASP Core Rule Set: CRS 4 from ../shared/corpora/crs (required in CI), and the Debian
// package's CRS 3.3.x when it is installed on this machine (never installed by the tests).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Rule, RuleSet } from '../rule.js';
import { loadRuleSet } from './loader.js';
import { formatVariable } from './variables.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

const crs4 = join(repoRoot(), '..', 'shared', 'corpora', 'crs');

function load(t: TestContext, files: string[]): RuleSet {
  const t0 = performance.now();
  const rs = loadRuleSet({ files });
  const ms = performance.now() - t0;
  t.diagnostic(`loaded ${rs.byId.size} rules from ${rs.files.length} files in ${ms.toFixed(0)} ms`);
  return rs;
}

const counts = (rs: RuleSet) =>
  [1, 2, 3, 4, 5].map((p) => {
    const list = rs.phases[p] ?? [];
    return { rules: list.filter((r) => r.kind !== 'marker').length, markers: list.filter((r) => r.kind === 'marker').length };
  });

function byId(rs: RuleSet, id: number): Rule {
  const r = rs.byId.get(id);
  assert.ok(r, `rule ${id} is loaded`);
  return r;
}

test('CRS 4 (../shared/corpora/crs) loads completely', (t) => {
  if (!existsSync(join(crs4, 'rules'))) {
    const reason = `${crs4} is absent (reference corpora are read from ../shared)`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    console.log(`# skip: ${reason}`);
    t.skip(reason);
    return;
  }
  const rs = load(t, [join(crs4, 'crs-setup.conf.example'), join(crs4, 'rules', '*.conf')]);
  assert.equal(rs.files.length, 28, 'crs-setup + 27 rule files (the .conf.example exclusion files are not matched)');
  assert.deepEqual(rs.settings.componentSignatures, ['OWASP_CRS/4.29.0-dev']);
  assert.equal(rs.byId.size, 630);
  assert.deepEqual(
    counts(rs).map((c) => c.rules),
    [173, 292, 43, 109, 13],
  );
  assert.ok(counts(rs).every((c) => c.markers === 30));

  // 942100: libinjection SQLi over cookies, selected headers, args and XML.
  const sqli = byId(rs, 942100);
  assert.equal(sqli.kind, 'rule');
  assert.equal(sqli.loc.file, join(crs4, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf'));
  assert.equal(
    sqli.variables.map(formatVariable).join('|'),
    'REQUEST_COOKIES|REQUEST_COOKIES_NAMES|REQUEST_HEADERS:User-Agent|REQUEST_HEADERS:Referer|ARGS_NAMES|ARGS|XML:/*|XML://@*',
  );
  assert.deepEqual(
    { name: sqli.operator?.name, param: sqli.operator?.param, negated: sqli.operator?.negated },
    { name: 'detectSQLi', param: '', negated: false },
  );
  assert.deepEqual(sqli.actions.transformations, ['utf8toUnicode', 'urlDecodeUni', 'removeNulls']);
  assert.equal(sqli.actions.phase, 2);
  assert.deepEqual(sqli.actions.disruptive, { kind: 'block' });
  assert.deepEqual(sqli.actions.blockAction, { kind: 'pass' }, 'crs-setup: SecDefaultAction "phase:2,log,auditlog,pass"');
  assert.equal(sqli.actions.capture, true);
  assert.equal(sqli.actions.severity, 2);
  assert.equal(sqli.actions.msg, 'SQL Injection Attack Detected via libinjection');
  assert.ok(sqli.actions.tags.includes('attack-sqli') && sqli.actions.tags.includes('paranoia-level/1'));
  assert.deepEqual(sqli.actions.setvars[0], {
    collection: 'tx',
    key: 'inbound_anomaly_score_pl1',
    op: '+=',
    value: '%{tx.critical_anomaly_score}',
  });

  // REQUEST-999 appends cookie exclusions to rules defined before it.
  const r942290 = byId(rs, 942290).variables.map(formatVariable);
  assert.ok(r942290.includes('!REQUEST_COOKIES:/^_ga(?:_\\w+)?$/'));
  assert.ok(r942290.includes('!REQUEST_COOKIES:__gads'));

  // A chain: 920420's link checks the content type against the allowed list.
  const link = byId(rs, 920420).chain;
  assert.ok(link);
  assert.equal(link.variables.map(formatVariable).join('|'), 'TX:content_type');
  assert.deepEqual(
    { name: link.operator?.name, param: link.operator?.param, negated: link.operator?.negated },
    { name: 'within', param: '%{tx.allowed_request_content_type}', negated: true },
  );
  assert.equal(link.actions.disruptive, undefined);

  // Data files are named relative to the rule file.
  assert.equal(byId(rs, 913100).operator?.param, 'scanners-user-agents.data');
  assert.equal(byId(rs, 949110).actions.disruptive?.kind, 'deny');
});

test('CRS 3.3 of the Debian package loads, when installed', (t) => {
  const root = '/usr/share/modsecurity-crs';
  if (!existsSync(join(root, 'rules'))) {
    t.skip(`${root} is not installed`);
    return;
  }
  const setup = ['/etc/modsecurity/crs/crs-setup.conf', join(root, 'crs-setup.conf.example')].find((p) => existsSync(p));
  const rs = load(t, [...(setup ? [setup] : []), join(root, 'rules', '*.conf')]);
  assert.ok(rs.byId.size > 400, `${rs.byId.size} rules`);
  const sqli = byId(rs, 942100);
  assert.equal(sqli.operator?.name, 'detectSQLi');
  assert.ok(counts(rs).every((c) => c.rules > 0));
});
