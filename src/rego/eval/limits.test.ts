// Evaluation limits: runaway evaluations end with eval_limit_error, never a hang or a stack overflow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepare, RegoError } from '../index.js';

function limitError(fn: () => unknown, what: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RegoError, String(e));
    assert.equal(e.code, 'eval_limit_error');
    assert.match(e.message, what);
    return true;
  });
}

test('limits: the step budget stops large iterations', () => {
  const p = prepare([{ file: 'a.rego', text: 'package t\np := count([x | some x in numbers.range(1, 100000)])' }], {
    limits: { maxSteps: 1000 },
  });
  limitError(() => p.evalPath('t.p'), /step limit \(1000\)/);
  // The same policy completes within the default budget.
  assert.equal(
    prepare([{ file: 'a.rego', text: 'package t\np := count([x | some x in numbers.range(1, 1000)])' }]).evalPath('t.p'),
    1000,
  );
});

test('limits: the depth limit stops deep rule chains', () => {
  let src = 'package t\n';
  for (let i = 0; i < 50; i++) src += `p${i} if p${i + 1}\n`;
  src += 'p50 := true\n';
  const shallow = prepare([{ file: 'a.rego', text: src }], { limits: { maxDepth: 10 } });
  limitError(() => shallow.evalPath('t.p0'), /maximum depth \(10\)/);
  assert.equal(prepare([{ file: 'a.rego', text: src }]).evalPath('t.p0'), true);
});

test('limits: very deep chains end with a typed error instead of a stack overflow', () => {
  let src = 'package t\n';
  const n = 20_000;
  for (let i = 0; i < n; i++) src += `p${i} if p${i + 1}\n`;
  src += `p${n} := true\n`;
  const p = prepare([{ file: 'a.rego', text: src }], { limits: { maxDepth: 1_000_000 } });
  limitError(() => p.evalPath('t.p0'), /depth/);
});
