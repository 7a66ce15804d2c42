import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseFtwFile } from './load.js';
import { applyOverrides, OverrideError, parseOverrides } from './overrides.js';
import { SHIELDX_OVERRIDES } from './paths.js';

const TESTS = `rule_id: 920100
tests:
  - test_id: 1
    stages:
      - input: {}
        output: { status: 400 }
      - input: {}
        output: { status: 400 }
  - test_id: 2
    stages:
      - input: {}
        output: { status: 400 }
`;

test('overrides replace the whole output of the tests and stages they name', () => {
  const o = parseOverrides(
    `version: "v0.0.0"
meta:
  engine: "e"
  platform: "p"
test_overrides:
  - rule_id: 920100
    test_ids: [1]
    stage_ids: [1]
    reason: only the second stage
    output:
      log:
        expect_ids: [920100]
  - rule_id: 920100
    reason: every test, no output (nothing expected)
  - rule_id: 999
    test_ids: [1]
    reason: another rule
    output: { status: 200 }
`,
    'o.yaml',
  );
  assert.equal(o.engine, 'e');
  assert.equal(o.overrides.length, 3);
  const files = [parseFtwFile(TESTS, 't.yaml')];
  // The second entry, applied last, empties every stage of both tests.
  const applied = applyOverrides(files, { ...o, overrides: [o.overrides[0]!, o.overrides[2]!] });
  const [t1, t2] = files[0]!.tests;
  assert.equal(t1?.stages[0]?.output.status, 400);
  assert.equal(t1?.stages[1]?.output.status, undefined);
  assert.deepEqual(t1?.stages[1]?.output.log.expectIds, [920100]);
  assert.equal(t2?.stages[0]?.output.status, 400);
  assert.deepEqual([...applied], [['920100-1', ['only the second stage']]]);
  const all = applyOverrides(files, { ...o, overrides: [o.overrides[1]!] });
  assert.deepEqual([...all.keys()], ['920100-1', '920100-2']);
  assert.equal(t2?.stages[0]?.output.status, undefined);
  assert.deepEqual(t2?.stages[0]?.output.log.expectIds, []);
});

test('override files must give a rule and a reason for each entry', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['no reason', 'test_overrides:\n  - rule_id: 1\n', /reason is required/],
    ['no rule', 'test_overrides:\n  - reason: x\n', /rule_id is required/],
    ['bad test id', 'test_overrides:\n  - rule_id: 1\n    reason: x\n    test_ids: [a]\n', /test_ids/],
    [
      'bad output',
      'test_overrides:\n  - rule_id: 1\n    reason: x\n    output: { status: ok }\n',
      /status: not a non-negative integer/,
    ],
    ['not a list', 'test_overrides: 3\n', /expected a list/],
  ];
  for (const [what, text, re] of cases) {
    await t.test(what, () =>
      assert.throws(
        () => parseOverrides(text, 'o.yaml'),
        (e: unknown) => e instanceof OverrideError && re.test(e.message),
      ),
    );
  }
  assert.deepEqual(parseOverrides('', 'empty.yaml').overrides, []);
});

test('the shipped ShieldX overrides file is valid and explains every entry', () => {
  const o = parseOverrides(readFileSync(SHIELDX_OVERRIDES, 'utf8'), SHIELDX_OVERRIDES);
  for (const e of o.overrides) assert.ok(e.reason.length > 40, `${e.ruleId}: ${e.reason}`);
});
