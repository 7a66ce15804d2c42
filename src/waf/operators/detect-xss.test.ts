import assert from 'node:assert/strict';
import { test } from 'node:test';
import './detect-xss.js';
import { getOperator, type OperatorContext } from './registry.js';

function context(capturing: boolean): OperatorContext & { captured: Map<number, string> } {
  const captured = new Map<number, string>();
  return { capturing, captured, capture: (i, v) => captured.set(i, v), expand: (t) => t };
}

const op = () => {
  const def = getOperator('detectxss');
  assert.ok(def, 'detectXSS is registered (case-insensitively)');
  return def.create('', { readFile: () => '' });
};

test('@detectXSS matches script injection and passes benign values', () => {
  const cases: [string, boolean][] = [
    ['<script>alert(1)</script>', true],
    ['"><img src=x onerror=alert(1)>', true],
    ['javascript:alert(1)', true],
    ['<b>bold</b>', false],
    ['5 < 6 and 7 > 3', false],
    ['', false],
  ];
  for (const [value, want] of cases) assert.equal(op().evaluate(context(false), value), want, value);
});

test('@detectXSS stores the matched value in TX:0 only with capture', () => {
  const on = context(true);
  const v = '<svg onload=alert(1)>';
  assert.equal(op().evaluate(on, v), true);
  assert.equal(on.captured.get(0), v);
  const off = context(false);
  assert.equal(op().evaluate(off, v), true);
  assert.equal(off.captured.size, 0);
});
