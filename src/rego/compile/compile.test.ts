import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepare, RegoErrors } from '../index.js';

/** [name, modules, code, message substring, row] — row of the first error (0 = not checked). */
const errors: [string, string[], string, string, number][] = [
  ['redeclared var', ['package t\np if {\n  x := 1\n  x := 2\n}'], 'rego_compile_error', 'var x assigned above', 4],
  ['assign after use', ['package t\np if {\n  x = 1\n  x := 2\n}'], 'rego_compile_error', 'var x referenced above', 4],
  ['some after use', ['package t\np if {\n  x = 1\n  some x\n}'], 'rego_compile_error', 'var x referenced above', 4],
  [
    'assign to function argument',
    ['package t\nf(x) := y if {\n  x := 1\n  y := x\n}'],
    'rego_compile_error',
    'var x assigned above',
    3,
  ],
  ['unsafe var in body', ['package t\np if {\n  x > 1\n}'], 'rego_unsafe_var_error', 'var x is unsafe', 3],
  ['unsafe var in negation', ['package t\np if {\n  not input.xs[_]\n}'], 'rego_unsafe_var_error', 'var _ is unsafe', 3],
  ['unsafe head var', ['package t\np[x] := 1'], 'rego_unsafe_var_error', 'var x is unsafe', 2],
  ['unsafe comprehension head', ['package t\np := [y | x := 1]'], 'rego_unsafe_var_error', 'var y is unsafe', 0],
  [
    'recursion',
    ['package t\np if q\nq if p'],
    'rego_recursion_error',
    'rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p',
    2,
  ],
  ['self recursion via function', ['package t\nf(x) := f(x)'], 'rego_recursion_error', 'rule data.t.f is recursive', 2],
  [
    'recursion through the package document',
    ['package t\np if count(data.t) > 0\nq := 1'],
    'rego_recursion_error',
    'data.t.p -> data.t.p',
    2,
  ],
  ['undefined builtin', ['package t\np if nope(1)'], 'rego_type_error', 'undefined function nope', 2],
  ['undefined package function', ['package t\nq := 1\np if q(1)'], 'rego_type_error', 'undefined function data.t.q', 3],
  ['builtin arity', ['package t\np if count(1, 2, 3)'], 'rego_type_error', 'count: arity mismatch', 2],
  [
    'function arity',
    ['package t\nf(x) := x\np if f(1, 2, 3)'],
    'rego_type_error',
    'function data.t.f has arity 1, got 3 arguments',
    3,
  ],
  ['complete and partial rule', ['package t\np := 1\np contains 2'], 'rego_type_error', 'conflicting rules data.t.p found', 2],
  ['function and rule', ['package t\np := 1\np(x) := x'], 'rego_type_error', 'conflicting rules data.t.p found', 2],
  ['function arities', ['package t\nf(x) := x\nf(x, y) := x'], 'rego_type_error', 'conflicting rules data.t.f found', 2],
  [
    'rule with rules below it',
    ['package t\np := 1\np.q := 2'],
    'rego_type_error',
    'rule data.t.p conflicts with [data.t.p.q]',
    2,
  ],
  ['two defaults', ['package t\ndefault p := 1\ndefault p := 2'], 'rego_type_error', 'multiple default rules data.t.p found', 1],
  ['literal operand of the wrong type', ['package t\np if count(1)'], 'rego_type_error', 'count: invalid argument(s)', 2],
  [
    'literal operand of the wrong type (operator)',
    ['package t\np := 1 + "a"'],
    'rego_type_error',
    'plus: invalid argument(s)',
    2,
  ],
  ['unknown import root', ['package t\nimport foo.bar\np := 1'], 'rego_parse_error', '', 0],
];

for (const [name, modules, code, msg, row] of errors) {
  test(`compile error: ${name}`, () => {
    assert.throws(
      () => prepare(modules.map((text, i) => ({ file: `m${i}.rego`, text }))),
      (e: unknown) => {
        assert.ok(e instanceof RegoErrors, String(e));
        const first = e.errors[0];
        assert.ok(first, 'no errors');
        assert.equal(first.code, code, e.message);
        assert.ok(first.message.includes(msg), e.message);
        if (row) assert.equal(first.location?.row, row, e.message);
        return true;
      },
    );
  });
}

const ok: [string, string[]][] = [
  ['shadowing a rule name with :=', ['package t\nq := 1\np := q if { q := 2 }']],
  ['same var name in separate comprehensions', ['package t\np := [[x | x := 1], [x | x := 2]]']],
  ['wildcards are independent', ['package t\np if { _ = 1; _ = 2 }']],
  ['imports and aliases', ['package t\nimport data.lib as l\nimport input.user\np := l.f(user)', 'package lib\nf(x) := x']],
  ['future keywords and rego.v1 imports', ['package t\nimport future.keywords.in\nimport rego.v1\np if 1 in [1]']],
  ['rules below a rule with a var in its ref', ['package t\np[x] := 1 if x := "a"\np.b := 2']],
  ['operand types only known at run time', ['package t\np if { {1} - 1 }\nq := count(input.x)']],
];

for (const [name, modules] of ok) {
  test(`compiles: ${name}`, () => {
    prepare(modules.map((text, i) => ({ file: `m${i}.rego`, text })));
  });
}

test('compile: errors of one stage are reported together, sorted by location', () => {
  assert.throws(
    () => prepare([{ file: 'm.rego', text: 'package t\np if { x > 1 }\nq if { y > 1 }' }]),
    (e: unknown) => {
      assert.ok(e instanceof RegoErrors);
      assert.deepEqual(
        e.errors.map((x) => [x.location?.row, x.message]),
        [
          [2, 'var x is unsafe'],
          [3, 'var y is unsafe'],
        ],
      );
      return true;
    },
  );
});
