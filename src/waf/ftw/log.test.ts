import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MatchedRule, Rule } from '../index.js';
import { formatLogLine, type LogContext, logEscape, matchDescription, triggeredIds } from './log.js';

const matched = (o: Partial<MatchedRule> = {}): MatchedRule => ({
  id: 942100,
  phase: 2,
  msg: 'SQL Injection Attack Detected via libinjection',
  data: 'Matched Data: s&sos found within ARGS:id: 1\' or "1"="1',
  tags: ['attack-sqli', 'OWASP_CRS'],
  severity: 2,
  matchedVarName: 'ARGS:id',
  matchedVar: '1',
  log: true,
  file: '/crs/REQUEST-942.conf',
  line: 46,
  ...o,
});

const rule = (name: string, param: string, negated = false, kind: Rule['kind'] = 'rule'): Rule => ({
  kind,
  loc: { file: 'f', line: 1 },
  variables: [],
  operator: kind === 'rule' ? { name, param, negated } : undefined,
  actions: {
    tags: [],
    capture: false,
    multiMatch: false,
    transformations: [],
    setvars: [],
    ctls: [],
    initcol: [],
    expirevars: [],
    extra: [],
    ver: 'OWASP_CRS/4.0.0',
    maturity: 9,
  },
});

const ctx: LogContext = { clientIp: '127.0.0.1', clientPort: 40000, hostname: 'localhost', uri: '/', uniqueId: 'u1' };

test('log lines carry the fields go-ftw and the CRS tests look for', () => {
  const line = formatLogLine(matched(), rule('detectSQLi', ''), ctx);
  assert.match(line, /ModSecurity: Warning\. detected SQLi using libinjection at ARGS:id\. /);
  assert.match(
    line,
    / \[file "\/crs\/REQUEST-942\.conf"\] \[line "46"\] \[id "942100"\] \[msg "SQL Injection Attack Detected via libinjection"\]/,
  );
  assert.match(
    line,
    / \[data "Matched Data: s&sos found within ARGS:id: 1' or \\"1\\"=\\"1"\] \[severity "CRITICAL"\] \[ver "OWASP_CRS\/4\.0\.0"\] \[maturity "9"\]/,
  );
  assert.match(line, /\[tag "attack-sqli"\] \[tag "OWASP_CRS"\] \[hostname "localhost"\] \[uri "\/"\] \[unique_id "u1"\]$/);
  assert.deepEqual(triggeredIds([line]), [942100]);
});

test('the interrupting rule reads Access denied', () => {
  const line = formatLogLine(matched({ id: 949110 }), undefined, {
    ...ctx,
    interruption: { ruleId: 949110, status: 403, phase: 2 },
  });
  assert.match(line, /ModSecurity: Access denied with code 403 \(phase 2\)\./);
  assert.match(
    formatLogLine(matched({ id: 1 }), undefined, { ...ctx, interruption: { ruleId: 949110, status: 403, phase: 2 } }),
    /Warning\./,
  );
});

test('[data] is escaped and cut at 512 bytes', () => {
  const line = formatLogLine(matched({ data: `\x00\xff\\${'a'.repeat(600)}` }), undefined, ctx);
  const data = /\[data "([^\]]*)"\]/.exec(line)?.[1] ?? '';
  assert.ok(data.startsWith('\\x00\\xff\\\\aaa'));
  assert.equal(data.length, 515);
  assert.ok(data.endsWith('...'));
});

test('match descriptions follow ModSecurity v2 wording', async (t) => {
  const cases: [Rule | undefined, string][] = [
    [rule('rx', '(?i)a"b'), 'Pattern match "(?i)a\\"b" at ARGS:id.'],
    [rule('ge', '%{tx.threshold}'), 'Operator GE matched 5 at ARGS:id.'],
    [rule('pm', 'a b'), 'Matched phrase "1" at ARGS:id.'],
    [rule('within', 'GET POST'), 'String match within "GET POST" at ARGS:id.'],
    [rule('eq', '0', true), 'Match of "eq 0" against "ARGS:id" required.'],
    [rule('validateByteRange', '1-255'), 'Found invalid byte(s) in ARGS:id outside range: 1-255.'],
    [rule('', '', false, 'action'), 'Unconditional match in SecAction.'],
  ];
  for (const [r, text] of cases) {
    await t.test(text, () =>
      assert.equal(
        matchDescription(r, matched(), (s) => s.replace('%{tx.threshold}', '5')),
        text,
      ),
    );
  }
});

test('logEscape and triggeredIds', () => {
  assert.equal(logEscape('a"b\\c\n\x7f~'), 'a\\"b\\\\c\\x0a\\x7f~');
  assert.deepEqual(triggeredIds(['[id "1"] [id "2"]', 'x', '{"id": "3"}', '[id "1"]']).sort(), [1, 2, 3]);
});
