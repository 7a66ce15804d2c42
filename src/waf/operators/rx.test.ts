import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, makeOperator, RecordingContext } from './operator-test-kit.js';
import { OperatorError } from './registry.js';

test('@rx matches bytes with ModSecurity options (DOTALL | MULTILINE)', () => {
  const cases: [string, string, boolean][] = [
    ['b', 'abc', true],
    ['^abc$', 'abc', true],
    ['a.b', 'a\nb', true], // DOTALL
    ['(?-s)a.b', 'a\nb', false],
    ['^abc', 'x\nabc', true], // MULTILINE
    ['abc$', 'abc\nx', true],
    ['(?-m)^abc', 'x\nabc', false],
    ['(?i)select', 'SeLeCt', true],
    ['select', 'SELECT', false],
    ['(?i:<script)', '<SCRIPT>', true],
    ['\\s', '\xa0', false], // no Unicode whitespace in byte mode
    ['[\\s\\x0b]', '\x0b', true],
    ['(?i)\\xc9', '\xe9', false], // PCRE folds ASCII only
    ['\\x{e9}', '\xe9', true],
    ['€', '\xe2\x82\xac', true], // a Unicode pattern is matched as its UTF-8 bytes
    ['', 'anything', true], // empty pattern: always
    ['^$', '', true],
    ['(a+)+$', `${'a'.repeat(64)}!`, false], // exponential for a backtracker; runs on the linear VM
  ];
  for (const [pattern, value, want] of cases) {
    assert.equal(evaluate('rx', pattern, value), want, `${JSON.stringify(pattern)} on ${JSON.stringify(value)}`);
  }
});

test('@rx capture stores groups 0-9 of the first match in TX and skips unset groups', () => {
  const cases: [string, string, [number, string][]][] = [
    [
      '(\\d+)-(\\d+)',
      'id=12-34',
      [
        [0, '12-34'],
        [1, '12'],
        [2, '34'],
      ],
    ],
    [
      '(a)|(b)',
      'xb',
      [
        [0, 'b'],
        [2, 'b'],
      ],
    ],
    [
      '(?i)(union)\\s+(select)',
      'UNION  Select',
      [
        [0, 'UNION  Select'],
        [1, 'UNION'],
        [2, 'Select'],
      ],
    ],
    ['((((((((((((x))))))))))))', 'x', Array.from({ length: 10 }, (_, i): [number, string] => [i, 'x'])],
    [
      '^(a+)+$',
      'aaa',
      [
        [0, 'aaa'],
        [1, 'aaa'],
      ],
    ], // VM engine
    ['nomatch', 'abc', []],
  ];
  for (const [pattern, value, want] of cases) {
    const ctx = new RecordingContext(true);
    assert.equal(makeOperator('rx', pattern).evaluate(ctx, value), want.length > 0, pattern);
    assert.deepEqual([...ctx.captures.entries()], want, pattern);
  }
});

test('@rx without the capture action records nothing', () => {
  const ctx = new RecordingContext(false);
  assert.equal(makeOperator('rx', '(b)').evaluate(ctx, 'abc'), true);
  assert.equal(ctx.captures.size, 0);
});

test('@rx expands macros at evaluation time', () => {
  const op = makeOperator('rx', '^%{tx.prefix}-\\d+$');
  assert.equal(op.evaluate(new RecordingContext(false, { 'tx.prefix': 'ab' }), 'ab-12'), true);
  assert.equal(op.evaluate(new RecordingContext(false, { 'tx.prefix': 'cd' }), 'ab-12'), false);
  assert.equal(op.evaluate(new RecordingContext(false, { 'tx.prefix': '(' }), '(-1'), false); // invalid expansion: no match
  assert.equal(makeOperator('rx', '%{tx.none}').evaluate(new RecordingContext(false), 'x'), true); // empty → .*
});

test('@rx rejects untranslatable patterns at load with OperatorError', () => {
  for (const pattern of ['(?R)', 'a\\K', '(?(1)a)', '\\x{263a}', '(unclosed', '[[:nope:]]']) {
    assert.throws(() => makeOperator('rx', pattern), OperatorError, pattern);
  }
});
