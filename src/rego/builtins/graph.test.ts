import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError, HaltError } from '../errors.js';
import { equal, format, fromJSON, RObject, RSet, type Value } from '../value.js';
import './graph.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);
const set = (...xs: Value[]) => RSet.from(xs);
/** A graph whose adjacency lists are sets (`asSets`) or arrays. */
const graph = (adj: Record<string, Value[] | null>, asSets = false) =>
  RObject.from(Object.entries(adj).map(([k, v]): [Value, Value] => [k, v === null ? null : asSets ? RSet.from(v) : v]));
const paths = (...ps: string[][]) => RSet.from(ps);

const cycle = { a: ['b'], b: ['c'], c: ['a'] };
const components = { a: ['b', 'c'], b: ['d'], c: ['d'], d: [], e: ['f'], f: ['e'], x: ['x'] };
const g1022 = {
  one: ['two', 'five'],
  two: ['four'],
  three: [''],
  four: ['three'],
  five: ['seven', 'six'],
  six: ['nine'],
  seven: ['eight'],
  eight: [''],
  nine: [''],
};
const g1022b = { ...g1022, six: ['nine', 'seven'], eight: ['three'] };

const reachable: [Value, Value, Value][] = [
  [graph({}), set('a'), set()],
  [graph(cycle, true), set('a'), set('a', 'b', 'c')],
  [graph(cycle), ['a'], set('a', 'b', 'c')],
  [graph(components, true), set('b', 'e'), set('b', 'd', 'e', 'f')],
  [graph({ a: ['b'], b: ['nonexistent'] }), ['a'], set('a', 'b')],
  [graph({ a: null }), ['a'], set('a')],
  [graph({ a: ['b'] }), [], set()],
];

test('graph.reachable', () => {
  for (const [g, init, want] of reachable) {
    const got = call('graph.reachable', [g, init]);
    assert.ok(
      got !== undefined && equal(got, want),
      `reachable(${format(g)}, ${format(init)}) = ${got === undefined ? 'undefined' : format(got)}`,
    );
  }
});

const reachablePaths: [Value, Value, Value][] = [
  [graph({}), set('a'), set()],
  [graph(cycle, true), set('a'), paths(['a', 'b', 'c'])],
  [graph(components, true), set('b', 'e'), paths(['b', 'd'], ['e', 'f'])],
  [graph(cycle), ['a'], paths(['a', 'b', 'c'])],
  [graph({ a: null }), ['a'], paths(['a'])],
  [graph({ a: ['b', 'c'], b: ['c'], c: [] }), set('a'), paths(['a', 'b', 'c'], ['a', 'c'])],
  [graph({ a: ['b'], b: ['nonexistent'] }), set('a', 'b'), paths(['a', 'b'], ['b'])],
  [
    graph(g1022),
    set('one'),
    paths(['one', 'five', 'seven', 'eight'], ['one', 'five', 'six', 'nine'], ['one', 'two', 'four', 'three']),
  ],
  [
    graph(g1022, true),
    set('one'),
    paths(['one', 'five', 'seven', 'eight'], ['one', 'five', 'six', 'nine'], ['one', 'two', 'four', 'three']),
  ],
  [
    graph(g1022b),
    set('one'),
    paths(
      ['one', 'five', 'seven', 'eight', 'three'],
      ['one', 'five', 'six'],
      ['one', 'five', 'six', 'nine'],
      ['one', 'two', 'four', 'three'],
    ),
  ],
  [graph({ x: ['x'] }), ['x'], paths(['x', 'x'])],
];

test('graph.reachable_paths', () => {
  for (const [g, init, want] of reachablePaths) {
    const got = call('graph.reachable_paths', [g, init]);
    assert.ok(
      got !== undefined && equal(got, want),
      `reachable_paths(${format(g)}, ${format(init)}) = ${got === undefined ? 'undefined' : format(got)}`,
    );
  }
});

test('deep graphs do not overflow the stack', () => {
  const n = 50_000;
  const adj: [Value, Value][] = [];
  for (let i = 0; i < n; i++) adj.push([i, i + 1 < n ? [i + 1] : []]);
  const g = RObject.from(adj);
  const r = call('graph.reachable', [g, [0]]);
  assert.ok(r instanceof RSet && r.size === n);
  const p = call('graph.reachable_paths', [g, [0]]);
  assert.ok(p instanceof RSet && p.size === 1);
  assert.equal(((p as RSet).sorted()[0] as Value[]).length, n);
});

test('reachable_paths stops on runaway work', () => {
  // A root with many children, each pointing at many nodes outside the graph: every one of those
  // edges ends a path, so the walk is long even though the paths are short.
  const n = 1200;
  const kids = Array.from({ length: n }, (_, i) => `a${i}`);
  const outside = Array.from({ length: n }, (_, i) => `x${i}`);
  const g = RObject.from([['r', kids] as [Value, Value], ...kids.map((k): [Value, Value] => [k, outside])]);
  assert.throws(
    () => call('graph.reachable_paths', [g, ['r']]),
    (e: unknown) => e instanceof HaltError && e.code === 'eval_limit_error',
  );
});

test('operand errors', () => {
  for (const name of ['graph.reachable', 'graph.reachable_paths']) {
    assert.throws(
      () => call(name, [1, [1]]),
      (e: unknown) =>
        e instanceof BuiltinError &&
        e.code === 'eval_type_error' &&
        e.message === `${name}: operand 1 must be object but got number`,
    );
    assert.throws(
      () => call(name, [fromJSON({ a: [] }), 'a']),
      (e: unknown) =>
        e instanceof BuiltinError &&
        e.code === 'eval_type_error' &&
        e.message === `${name}: operand 2 must be {array, set} but got string`,
    );
  }
});
