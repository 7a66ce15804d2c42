import assert from 'node:assert/strict';
import { test } from 'node:test';
import './detect-sqli.js';
import { getOperator, type OperatorContext } from './registry.js';

function context(capturing: boolean): OperatorContext & { captured: Map<number, string> } {
  const captured = new Map<number, string>();
  return { capturing, captured, capture: (i, v) => captured.set(i, v), expand: (t) => t };
}

const op = () => {
  const def = getOperator('detectsqli');
  assert.ok(def, 'detectSQLi is registered (case-insensitively)');
  return def.create('', { readFile: () => '' });
};

test('@detectSQLi matches injections and passes benign values', () => {
  const cases: [string, boolean][] = [
    ["1' or '1'='1", true],
    ['1 union select 1,2,3--', true],
    ["admin'--", true],
    ['1; drop table users', true],
    ["O'Reilly", false],
    ['hello world', false],
    ['', false],
  ];
  for (const [value, want] of cases) assert.equal(op().evaluate(context(false), value), want, value);
});

test('@detectSQLi stores the fingerprint in TX:0 only with capture', () => {
  const on = context(true);
  assert.equal(op().evaluate(on, "1' or '1'='1"), true);
  assert.equal(on.captured.get(0), 's&sos');
  const off = context(false);
  assert.equal(op().evaluate(off, "1' or '1'='1"), true);
  assert.equal(off.captured.size, 0);
  const miss = context(true);
  assert.equal(op().evaluate(miss, 'plain text'), false);
  assert.equal(miss.captured.size, 0);
});
