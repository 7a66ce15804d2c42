import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgSyntaxError } from './errors.js';
import { parseOperator } from './operator.js';

test('operator: forms', () => {
  const cases: [string, { name: string; param: string; negated: boolean }][] = [
    ['@rx ^a', { name: 'rx', param: '^a', negated: false }],
    ['!@rx ^a', { name: 'rx', param: '^a', negated: true }],
    ['^a b', { name: 'rx', param: '^a b', negated: false }],
    ['!^a', { name: 'rx', param: '^a', negated: true }],
    ['', { name: 'rx', param: '', negated: false }],
    ['@pmFromFile x.data', { name: 'pmFromFile', param: 'x.data', negated: false }],
    ['@pmfromfile x.data', { name: 'pmFromFile', param: 'x.data', negated: false }],
    ['@detectSQLi', { name: 'detectSQLi', param: '', negated: false }],
    ['@eq   0', { name: 'eq', param: '0', negated: false }],
    ['@rx a  ', { name: 'rx', param: 'a  ', negated: false }],
    ['@within %{tx.allowed_methods}', { name: 'within', param: '%{tx.allowed_methods}', negated: false }],
    ['!@streq\tGET', { name: 'streq', param: 'GET', negated: true }],
  ];
  for (const [text, want] of cases) {
    const got = parseOperator(text);
    assert.deepEqual({ name: got.name, param: got.param, negated: got.negated }, want, text);
  }
});

test('operator: unknown operators are refused', () => {
  for (const [text, message] of [
    ['@nosuch x', /unknown operator @nosuch/],
    ['@', /missing operator name/],
    ['!@ x', /missing operator name/],
  ] as const) {
    assert.throws(
      () => parseOperator(text),
      (e: unknown) => e instanceof ArgSyntaxError && message.test(e.message),
      text,
    );
  }
});
