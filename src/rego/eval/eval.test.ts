import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepare, RegoError, RegoErrors, toJSON } from '../index.js';

interface Case {
  name: string;
  modules: string[];
  query: string;
  input?: unknown;
  data?: unknown;
  /** Expected solutions (bindings as plain JSON), order-insensitive. */
  want?: Record<string, unknown>[];
  /** Expected error: code and a substring of the message. */
  err?: [string, string];
  strict?: boolean;
}

function run(c: Case): Record<string, unknown>[] {
  const p = prepare(
    c.modules.map((text, i) => ({ file: `m${i}.rego`, text })),
    { data: c.data ?? {}, strictBuiltinErrors: c.strict },
  );
  return p.query(c.query, c.input).map((row) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) o[k] = toJSON(v);
    return o;
  });
}

const sortRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

const cases: Case[] = [
  // conflicts
  {
    name: 'complete rule conflict',
    modules: ['package t\np := 1\np := 2 if true'],
    query: 'x = data.t.p',
    err: ['eval_conflict_error', 'complete rules must not produce multiple outputs'],
  },
  {
    name: 'complete rule: iteration producing two values conflicts',
    modules: ['package t\np := x if some x in [1, 2]'],
    query: 'x = data.t.p',
    err: ['eval_conflict_error', 'complete rules must not produce multiple outputs'],
  },
  {
    name: 'complete rule: equal values do not conflict',
    modules: ['package t\np := 1\np := 1 if true'],
    query: 'x = data.t.p',
    want: [{ x: 1 }],
  },
  {
    name: 'partial object key conflict',
    modules: ['package t\np[k] := v if { some v in [1, 2]; k := "a" }'],
    query: 'x = data.t.p',
    err: ['eval_conflict_error', 'object keys must be unique'],
  },
  {
    name: 'function output conflict',
    modules: ['package t\nf(x) := 1\nf(x) := 2 if x > 0\np := f(1)'],
    query: 'x = data.t.p',
    err: ['eval_conflict_error', 'functions must not produce multiple outputs for same inputs'],
  },
  // else
  {
    name: 'else chain picks the first branch with a solution',
    modules: ['package t\nf(x) := "big" if x > 10 else := "mid" if x > 5 else := "small"\np := [f(11), f(6), f(1)]'],
    query: 'x = data.t.p',
    want: [{ x: ['big', 'mid', 'small'] }],
  },
  {
    name: 'default applies when every rule is undefined',
    modules: ['package t\ndefault p := "no"\np := "yes" if input.ok'],
    query: 'x = data.t.p',
    input: { ok: false },
    want: [{ x: 'no' }],
  },
  // every
  {
    name: 'every over an empty domain is true, over a non-collection undefined',
    modules: ['package t\na if every x in [] { x > 1 }\nb if every x in 5 { x > 1 }'],
    query: 'x = data.t',
    want: [{ x: { a: true } }],
  },
  {
    name: 'every with key and value and outer bindings',
    modules: ['package t\np if { n := 3; every k, v in [3, 4] { v - k == n } }'],
    query: 'x = data.t.p',
    want: [{ x: true }],
  },
  {
    name: 'every fails when one element has no solution',
    modules: ['package t\ndefault p := false\np if every v in input.xs { v > 1 }'],
    query: 'x = data.t.p',
    input: { xs: [2, 3, 1] },
    want: [{ x: false }],
  },
  // with
  {
    name: 'with input replaces only for its expression',
    modules: ['package t\nq := input.v\np := [a, b] if { a := q with input.v as 1; b := q }'],
    query: 'x = data.t.p',
    input: { v: 2 },
    want: [{ x: [1, 2] }],
  },
  {
    name: 'with data replaces a virtual document',
    modules: ['package t\nq := 1\nr := q + 1\np := x if x := r with data.t.q as 10'],
    query: 'x = data.t.p',
    want: [{ x: 11 }],
  },
  {
    name: 'with data below a base document merges',
    modules: ['package t\np := x if x := data.cfg with data.cfg.b as 2'],
    data: { cfg: { a: 1 } },
    query: 'x = data.t.p',
    want: [{ x: { a: 1, b: 2 } }],
  },
  {
    name: 'with mocks a function by a value and by another function',
    modules: [
      'package t\nf(x) := x\ng(x) := x * 10\np := [a, b, c] if { a := f(1) with f as 7; b := f(2) with f as g; c := f(3) }',
    ],
    query: 'x = data.t.p',
    want: [{ x: [7, 20, 3] }],
  },
  {
    name: 'with mocks a builtin',
    modules: ['package t\np := x if x := count([1, 2, 3]) with count as 42'],
    query: 'x = data.t.p',
    want: [{ x: 42 }],
  },
  // ref heads and partial documents
  {
    name: 'ref heads build nested documents',
    modules: ['package t\na.b.c := 1\na.b[k] := 2 if k := "d"\na.e contains 3'],
    query: 'x = data.t.a',
    want: [{ x: { b: { c: 1, d: 2 }, e: [3] } }],
  },
  {
    name: 'ref head with several vars',
    modules: ['package t\np[a][b] := a + b if { some a in [1, 2]; some b in [10] }'],
    query: 'x = data.t.p',
    want: [{ x: { '1': { '10': 11 }, '2': { '10': 12 } } }],
  },
  {
    name: 'partial set lookup by key and iteration',
    modules: ['package t\ns contains x if some x in input.xs'],
    query: 'data.t.s[2]; y = count(data.t.s)',
    input: { xs: [1, 2, 2, 3] },
    want: [{ y: 3 }],
  },
  {
    name: 'iteration over data merges base and virtual documents',
    modules: ['package a\nv := 2'],
    data: { a: { b: 1 } },
    query: 'data.a[k] = x',
    want: [
      { k: 'b', x: 1 },
      { k: 'v', x: 2 },
    ],
  },
  // unification, comprehensions, negation, some
  {
    name: 'composite unification both ways',
    modules: [],
    query: '[x, 1] = [2, y]; {"a": z} = {"a": [x, y]}',
    want: [{ x: 2, y: 1, z: [2, 1] }],
  },
  {
    name: 'comprehensions capture outer vars',
    modules: [],
    query: 'n := 2; xs := [y | some x in [1, 2, 3]; y := x * n]; s := {x | some x in xs; x > 2}',
    want: [{ n: 2, xs: [2, 4, 6], s: [4, 6] }],
  },
  {
    name: 'not with an undefined nested call is true',
    modules: ['package t\np if not startswith(input.missing, "a")'],
    query: 'x = data.t.p',
    want: [{ x: true }],
  },
  {
    name: 'body is reordered for safety',
    modules: ['package t\np := y if { y = x + 1; x = input.v }'],
    query: 'x = data.t.p',
    input: { v: 1 },
    want: [{ x: 2 }],
  },
  {
    name: 'string interpolation',
    modules: [],
    query: 'x := 42; s := $"v={x} missing={input.nope} arr={[1, "a"]}"',
    want: [{ x: 42, s: 'v=42 missing=<undefined> arr=[1, "a"]' }],
  },
  {
    name: 'walk is a relation',
    modules: [],
    query: 'ps := [p | walk({"a": [1]}, [p, _])]',
    want: [{ ps: [[], ['a'], ['a', 0]] }],
  },
  // builtin error policy
  {
    name: 'builtin errors are undefined outside strict mode',
    modules: ['package t\ndefault p := "undef"\np := x if x := 1 / 0'],
    query: 'x = data.t.p',
    want: [{ x: 'undef' }],
  },
  {
    name: 'builtin errors are raised in strict mode with a location',
    modules: ['package t\np := x if x := 1 / 0'],
    query: 'x = data.t.p',
    strict: true,
    err: ['eval_builtin_error', 'm0.rego:2: eval_builtin_error: div: divide by zero'],
  },
];

for (const c of cases) {
  test(`eval: ${c.name}`, () => {
    if (c.err) {
      assert.throws(
        () => run(c),
        (e: unknown) => {
          const err = e instanceof RegoErrors ? e.errors[0] : e;
          assert.ok(err instanceof RegoError, `not a RegoError: ${String(e)}`);
          assert.equal(err.code, c.err?.[0]);
          assert.ok(err.toString().includes(c.err?.[1] ?? ''), err.toString());
          return true;
        },
      );
      return;
    }
    assert.deepEqual(sortRows(run(c)), sortRows(c.want ?? []));
  });
}

test('eval: print goes to the print option, undefined operands print <undefined>', () => {
  const lines: string[] = [];
  const p = prepare([{ file: 'a.rego', text: 'package t\np if { print("x", input.a, input.b) }' }], {
    print: (l) => lines.push(l),
  });
  p.evalPath('t.p', { a: [1] });
  assert.deepEqual(lines, ['x [1] <undefined>']);
});

test('eval: evalPath merges base and virtual documents', () => {
  const p = prepare([{ file: 'a.rego', text: 'package a.b\nc := 1' }], { data: { a: { x: true } } });
  assert.deepEqual(toJSON(p.evalPath('data.a') ?? null), { x: true, b: { c: 1 } });
  assert.equal(p.evalPath(['a', 'b', 'nope']), undefined);
});

test('eval: query results exclude wildcards and generated vars; compiled queries are reused', () => {
  const p = prepare([]);
  const q = 'x := [1, 2][_]; y := count([x])';
  assert.deepEqual(
    p.query(q).map((r) => Object.keys(r).sort()),
    [
      ['x', 'y'],
      ['x', 'y'],
    ],
  );
  assert.equal(p.query(q).length, 2);
});
