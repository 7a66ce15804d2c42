import assert from 'node:assert/strict';
import { test } from 'node:test';
import './jsonpatch.js';
import { format, fromJSON, RObject, RSet, type Value } from '../value.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const J = fromJSON;
const show = (v: Value | undefined) => (v === undefined ? 'undefined' : format(v));

test('json.patch applies RFC 6902 operations', () => {
  const cases: [unknown, unknown[], string][] = [
    [{ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], '{"baz": "qux", "foo": "bar"}'],
    [{ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], '{"foo": ["bar", "qux", "baz"]}'],
    [{ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc'] }], '{"foo": ["bar", ["abc"]]}'],
    [{ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], '{"foo": "bar"}'],
    [{ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], '{"foo": ["bar", "baz"]}'],
    [{ baz: 'qux' }, [{ op: 'replace', path: '/baz', value: 'boo' }], '{"baz": "boo"}'],
    [
      { foo: { waldo: 'fred' }, qux: {} },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      '{"foo": {}, "qux": {"thud": "fred"}}',
    ],
    [
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      '{"foo": ["all", "cows", "eat", "grass"]}',
    ],
    [{ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], '{"a": {"b": 1}, "c": {"b": 1}}'],
    [{ baz: 'qux', foo: ['a', 2] }, [{ op: 'test', path: '/foo/1', value: 2 }], '{"baz": "qux", "foo": ["a", 2]}'],
    [{ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], '{"/": 9, "~1": 10}'],
    [{ foo: 'bar' }, [{ op: 'add', path: '', value: [] }], '[]'],
    [{}, [{ op: 'add', path: '/', value: 1 }], '{"": 1}'],
    [{ foo: {} }, [{ op: 'add', path: 'foo/x', value: 1 }], '{"foo": {"x": 1}}'],
    [{ foo: {} }, [{ op: 'add', path: ['foo', 'x'], value: 1 }], '{"foo": {"x": 1}}'],
    [[1, 2], [{ op: 'add', path: '/-', value: 3 }], '[1, 2, 3]'],
    [
      [1, 2, 3, 4],
      [
        { op: 'remove', path: '/1' },
        { op: 'remove', path: '/2' },
      ],
      '[1, 3]',
    ],
    ['foo', [{ op: 'replace', path: '', value: 'bar' }], '"bar"'],
    [{ foo: 1 }, [], '{"foo": 1}'],
  ];
  for (const [doc, patch, want] of cases) assert.equal(show(call('json.patch', J(doc), J(patch))), want, JSON.stringify(patch));
});

test('json.patch is undefined when a patch cannot apply', () => {
  const cases: [unknown, unknown[]][] = [
    [[1, 2, 3], [{ op: 'add', path: '1.2', value: 'foo' }]],
    [{ q: { bar: 2 } }, [{ op: 'add', path: '/a/b', value: 1 }]],
    [{ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]],
    [{ bar: [1, 2] }, [{ op: 'add', path: '/bar/8', value: '5' }]],
    [{ bar: [1, 2] }, [{ op: 'add', path: '/bar/-1', value: '5' }]],
    [['foo', 'bar'], [{ op: 'test', path: '/1e0', value: 'bar' }]],
    [['foo', 'bar'], [{ op: 'test', path: '/01', value: 'bar' }]],
    [['foo', 'sil'], [{ op: 'add', path: '/bar', value: 42 }]],
    [{}, [{ op: 'add', value: 'bar' }]],
    [{}, [{ op: 'add', path: null, value: 'bar' }]],
    [[1], [{ op: 'add', path: '/-' }]],
    [[1], [{ op: 'copy', path: '/-' }]],
    [{ foo: 1 }, [{ op: 'move', from: '/bar', path: '/foo' }]],
    [{ foo: 1 }, [{ op: 'spam', path: '/foo', value: 1 }]],
    [{ foo: 'bar' }, [{ op: 'remove', path: '/baz' }]],
    [{ foo: 1 }, [1]],
  ];
  for (const [doc, patch] of cases) assert.equal(call('json.patch', J(doc), J(patch)), undefined, JSON.stringify(patch));
  assert.throws(() => call('json.patch', J({}), J({})), {
    code: 'eval_type_error',
    message: 'json.patch: operand 2 must be array but got object',
  });
});

test('json.patch on sets', () => {
  const doc = J({ s: RSet.from(['a', [0]]) });
  const cases: [unknown[], string | undefined][] = [
    [[{ op: 'add', path: ['s', 'b'], value: 'b' }], '{"s": {"a", "b", [0]}}'],
    [[{ op: 'remove', path: ['s', 'a'] }], '{"s": {[0]}}'],
    [[{ op: 'add', path: ['s', [0], 1], value: 1 }], '{"s": {"a", [0, 1]}}'],
    [[{ op: 'test', path: ['s', 'a'], value: 'a' }], '{"s": {"a", [0]}}'],
    [[{ op: 'add', path: ['s', 'b'], value: 'c' }], undefined],
    [[{ op: 'remove', path: ['s', 'z'] }], undefined],
  ];
  for (const [patch, want] of cases) {
    const got = call('json.patch', doc, J(patch));
    assert.equal(got === undefined ? undefined : format(got), want, JSON.stringify(patch));
  }
});

test('json.filter', () => {
  const cases: [unknown, Value, string][] = [
    [{ a: { b: { c: 7, d: 8 } }, e: 9 }, RSet.from(['a/b/c']), '{"a": {"b": {"c": 7}}}'],
    [{ a: { b: { c: 7, d: 8 } }, e: 9 }, RSet.from(['a/b/c', 'e']), '{"a": {"b": {"c": 7}}, "e": 9}'],
    [{ a: { b: { c: 7, d: 8 }, e: 9 } }, RSet.from(['a/b/c', 'a/e']), '{"a": {"b": {"c": 7}, "e": 9}}'],
    [{ a: { b: 7 } }, RSet.from(['a', 'a/b']), '{"a": {"b": 7}}'],
    [{ a: [{ b: 7, c: 8 }, { d: 9 }] }, RSet.from(['a/0/b', 'a/1']), '{"a": [{"b": 7}, {"d": 9}]}'],
    [{ a: [{ 1: ['b', 'c', 'd'] }, { x: 'y' }] }, RSet.from(['a/0/1/2']), '{"a": [{"1": ["d"]}]}'],
    [{ a: { b: { c: 7, d: 8, x: 0 } }, e: 9 }, RSet.from(['a/b/d', ['a', 'b', 'c']]), '{"a": {"b": {"c": 7, "d": 8}}}'],
    [{ 'a/b': 1, 'c~d': 2, e: 3 }, ['a~1b', '/c~0d'], '{"a/b": 1, "c~d": 2}'],
    [{ a: 1 }, [''], '{}'],
  ];
  for (const [o, paths, want] of cases) assert.equal(show(call('json.filter', J(o), paths)), want, format(paths));
  assert.equal(
    show(
      call(
        'json.filter',
        RObject.from([
          [1, 'x'],
          ['1', 'y'],
        ]),
        [[1]],
      ),
    ),
    '{1: "x"}',
  );
});

test('json.remove', () => {
  const cases: [unknown, Value, string][] = [
    [{ a: { b: { c: 7, d: 8 } }, e: 9 }, RSet.from(['a/b/c', 'e']), '{"a": {"b": {"d": 8}}}'],
    [{ a: { b: { c: 7, d: 8 } }, e: 9 }, ['a/b/c', 'e'], '{"a": {"b": {"d": 8}}}'],
    [{ a: { b: 7 }, c: 1 }, RSet.from(['a', 'a/b']), '{"c": 1}'],
    [{}, RSet.from(['a/b']), '{}'],
    [{ a: { b: 7 }, c: 1 }, RSet.from(['a', 'c']), '{}'],
    [{ a: { b: 7 }, c: 1 }, RSet.from(['a/b', 'c']), '{"a": {}}'],
    [{ a: [{ 1: ['b', 'c', 'd'] }, { x: 'y' }] }, RSet.from(['a/0/1/2']), '{"a": [{"1": ["b", "c"]}, {"x": "y"}]}'],
    [{ a: { b: { c: 7, d: 8 } }, e: 9 }, RSet.from([['a', 'b', 'c'], ['e']]), '{"a": {"b": {"d": 8}}}'],
    [{ a: { b: { c: 7, d: 8, x: 0 } }, e: 9 }, RSet.from(['a/b/d', ['a', 'b', 'c']]), '{"a": {"b": {"x": 0}}, "e": 9}'],
  ];
  for (const [o, paths, want] of cases) assert.equal(show(call('json.remove', J(o), paths)), want, format(paths));
});

test('json.filter and json.remove operand errors', () => {
  const obj = J({ a: { b: { c: 123 } } });
  for (const name of ['json.filter', 'json.remove']) {
    const cases: [Value, Value, string][] = [
      [22, RSet.from(['a/b/c']), `${name}: operand 1 must be object but got number`],
      [true, RSet.from(['a/b/c']), `${name}: operand 1 must be object but got boolean`],
      [['a'], RSet.from(['a/b/c']), `${name}: operand 1 must be object but got array`],
      [obj, 22, `${name}: operand 2 must be one of {set, array} but got number`],
      [obj, J({ y: 123 }), `${name}: operand 2 must be one of {set, array} but got object`],
      [
        obj,
        RSet.from([1, 2, 3, 'a']),
        `${name}: operand 2 must be one of {set, array} containing string paths or array of path segments but got number`,
      ],
      [
        obj,
        ['a', J({ x: 1 })],
        `${name}: operand 2 must be one of {set, array} containing string paths or array of path segments but got object`,
      ],
    ];
    for (const [o, paths, message] of cases) assert.throws(() => call(name, o, paths), { code: 'eval_type_error', message });
  }
});
