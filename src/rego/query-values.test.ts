// Query results with expression values, as `opa eval` prints them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepare } from './index.js';
import { evalQuery } from './query-values.js';
import { toJSON } from './value.js';

const policy = prepare(
  [{ file: 'lib.rego', text: 'package lib\n\ndouble(x) := x * 2\n\nallow := false\n\nxs := [1, false, 3]\n' }],
  { data: { users: { alice: 'admin', bob: 'dev' } } },
);

function run(query: string) {
  return evalQuery(policy, query).map((r) => ({
    values: r.expressions.map((e) => toJSON(e.value)),
    bindings: Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [k, toJSON(v)])),
  }));
}

test('one expression: its value, even false', () => {
  assert.deepEqual(run('data.lib.allow'), [{ values: [false], bindings: {} }]);
  assert.deepEqual(run('1 > 2'), [{ values: [false], bindings: {} }]);
  assert.deepEqual(run('data.lib.double(2)'), [{ values: [4], bindings: {} }]);
  assert.deepEqual(run('data.lib.nothing'), []);
});

test('several expressions or iteration: false values fail the query', () => {
  assert.deepEqual(run('1 < 2; 1 > 2'), []);
  assert.deepEqual(run('data.lib.xs[_]'), [
    { values: [1], bindings: {} },
    { values: [3], bindings: {} },
  ]);
});

test('assignments and output arguments are true; named variables are bound', () => {
  assert.deepEqual(run('count([1, 2], n)'), [{ values: [true], bindings: { n: 2 } }]);
  assert.deepEqual(run('data.lib.double(3, y)'), [{ values: [true], bindings: { y: 6 } }]);
  assert.deepEqual(run('some name; role := data.users[name]; role != "dev"'), [
    { values: [true, true, true], bindings: { name: 'alice', role: 'admin' } },
  ]);
});

test('text and location are the source of each expression', () => {
  const [r] = evalQuery(policy, 'x := 1;  y := x + 1\nx < y');
  assert.deepEqual(
    r?.expressions.map((e) => [e.text, e.location]),
    [
      ['x := 1', { row: 1, col: 1 }],
      ['y := x + 1', { row: 1, col: 10 }],
      ['x < y', { row: 2, col: 1 }],
    ],
  );
});

test('a query that does not parse raises RegoErrors', () => {
  assert.throws(() => evalQuery(policy, 'data.x['), { name: 'RegoErrors' });
});
