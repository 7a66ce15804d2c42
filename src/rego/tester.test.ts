// The test runner: which rules are tests, their outcomes, and OPA's coverage report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegoErrors } from './errors.js';
import { parseModule } from './parser.js';
import { coverageReport, runTests, testName } from './tester.js';

const range = (a: number, b = a) => ({ start: { row: a }, end: { row: b } });

const LIB = `package lib

default allow := false

allow if {
	input.role == "admin"
}

allow if {
	input.role == "guest"
	input.path == "/public"
}

unused(x) := x * 2
`;

const TESTS = `package lib_test

import data.lib

test_admin if lib.allow with input as {"role": "admin"}

test_guest_private if lib.allow with input as {"role": "guest", "path": "/private"}

test_false := false

test_prints if {
	print("hello from a test")
	false
}

conflict = 1 if true

conflict = 2 if true

test_error if conflict

todo_test_later if false

helper_not_a_test if true

test_fn(x) if x
`;

test('outcomes: pass, fail (false or undefined), error, skipped; functions and other rules are not tests', () => {
  const run = runTests(
    [
      { file: 'lib.rego', text: LIB },
      { file: 'lib_test.rego', text: TESTS },
    ],
    {},
  );
  const outcomes = Object.fromEntries(run.results.map((r) => [testName(r), r.outcome]));
  assert.deepEqual(outcomes, {
    'data.lib_test.test_admin': 'PASS',
    'data.lib_test.test_guest_private': 'FAIL',
    'data.lib_test.test_false': 'FAIL',
    'data.lib_test.test_prints': 'FAIL',
    'data.lib_test.test_error': 'ERROR',
    'data.lib_test.todo_test_later': 'SKIPPED',
  });
  const byName = new Map(run.results.map((r) => [r.name, r]));
  assert.equal(byName.get('test_false')?.value, false);
  assert.equal(byName.get('test_guest_private')?.value, undefined);
  assert.deepEqual(byName.get('test_prints')?.output, ['hello from a test']);
  assert.equal(byName.get('test_error')?.error?.code, 'eval_conflict_error');
  assert.deepEqual(byName.get('test_admin')?.location, { file: 'lib_test.rego', row: 5, col: 1 });
  for (const r of run.results) assert.ok(r.durationNs >= 0 && Number.isFinite(r.durationNs));
  assert.equal(byName.get('todo_test_later')?.durationNs, 0);
  assert.equal(run.coverage, undefined);
});

test('run filters on the full name; data is visible to tests', () => {
  const mod = {
    file: 't.rego',
    text: 'package a.b\n\ntest_one if data.x == 1\n\ntest_two if data.x == 2\n',
  };
  const run = runTests([mod], { data: { x: 1 }, run: /b\.test_o/ });
  assert.deepEqual(
    run.results.map((r) => [testName(r), r.outcome]),
    [['data.a.b.test_one', 'PASS']],
  );
  const all = runTests([mod], { data: { x: 2 } });
  assert.deepEqual(
    all.results.map((r) => r.outcome),
    ['FAIL', 'PASS'],
  );
});

test('modules that do not compile raise RegoErrors', () => {
  assert.throws(() => runTests([{ file: 'bad.rego', text: 'package p\n\ntest_x if {' }]), RegoErrors);
  assert.throws(() => runTests([{ file: 'unsafe.rego', text: 'package p\n\ntest_x if x == 1\n' }]), RegoErrors);
});

test('coverage: what the tests evaluated, per file and overall', () => {
  const run = runTests(
    [
      { file: 'lib.rego', text: LIB },
      {
        file: 'cov_test.rego',
        text: 'package cov_test\n\nimport data.lib\n\ntest_admin if lib.allow with input as {"role": "admin"}\n',
      },
    ],
    { coverage: true },
  );
  assert.deepEqual(
    run.results.map((r) => r.outcome),
    ['PASS'],
  );
  assert.deepEqual(run.coverage, {
    files: {
      'lib.rego': {
        covered: [range(5, 6), range(10)],
        not_covered: [range(3), range(9), range(11), range(14)],
        covered_lines: 3,
        not_covered_lines: 4,
        coverage: 42.86,
      },
      'cov_test.rego': { covered: [range(5)], not_covered: [], covered_lines: 1, not_covered_lines: 0, coverage: 100 },
    },
    covered_lines: 4,
    not_covered_lines: 4,
    coverage: 50,
  });
});

test('coverageReport: rule heads and expressions not hit are not covered; `some` declarations do not count', () => {
  const m = parseModule(
    `package p

f(x) := y if {
	some i
	y := [z | some z in x; z > i]
	every v in x {
		v > 0
	}
}
`,
    'p.rego',
  );
  // Rows: head 3, some-decl 4 (excluded), assign 5 with a comprehension body on 5, every 6, body 7.
  assert.deepEqual(coverageReport([m], new Set(['p.rego:3', 'p.rego:5', 'other.rego:1', 'p.rego:x'])), {
    files: {
      'p.rego': {
        covered: [range(3), range(5)],
        not_covered: [range(6, 7)],
        covered_lines: 2,
        not_covered_lines: 2,
        coverage: 50,
      },
    },
    covered_lines: 2,
    not_covered_lines: 2,
    coverage: 50,
  });
  assert.deepEqual(coverageReport([m], new Set()).files['p.rego']?.not_covered, [range(3), range(5, 7)]);
  assert.equal(coverageReport([], new Set()).coverage, 0);
});
