import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePcre } from './pcre-parse.js';
import { PikeVm } from './pcre-vm.js';

const vm = (pattern: string, opts = {}) => new PikeVm(parsePcre(pattern, opts).root);

function groups(pattern: string, subject: string): (string | null)[] | null {
  const caps = vm(pattern).exec(subject);
  if (caps === null) return null;
  const out: (string | null)[] = [];
  for (let g = 0; g < caps.length / 2; g++) out.push(caps[2 * g] < 0 ? null : subject.slice(caps[2 * g], caps[2 * g + 1]));
  while (out.length > 1 && out[out.length - 1] === null) out.pop();
  return out;
}

test('the VM agrees with PCRE on matches and leftmost-first captures', () => {
  const cases: [string, string, (string | null)[] | null][] = [
    ['(a+)+$', 'aaa', ['aaa', 'aaa']],
    ['(a+)+$', 'aab', null],
    ['(a|ab)(c|bcd)', 'abcd', ['abcd', 'a', 'bcd']],
    ['(a+?)(a*)', 'aaa', ['aaa', 'a', 'aa']],
    ['x(a|b)*y', 'zxabay', ['xabay', 'a']],
    ['\\bfoo\\b', 'a foo.', ['foo']],
    ['\\Bo', 'foo', ['o']],
    ['(?<=a)b', 'cbab', ['b']],
    ['(?<!a)b', 'abcb', ['b']],
    ['(?=.*z)a', 'abz', ['a']],
    ['(?!a)\\w', 'ab', ['b']],
    ['^b', 'a\nb', null],
    ['a$', 'a\n', ['a']],
    ['\\R', 'x\r\ny', ['\r\n']],
    ['(a)|(b)', 'b', ['b', null, 'b']],
    ['', 'abc', ['']],
  ];
  for (const [pattern, subject, want] of cases) {
    assert.deepEqual(groups(pattern, subject), want, `${pattern} on ${JSON.stringify(subject)}`);
    assert.equal(vm(pattern).test(subject), want !== null, `test() ${pattern}`);
  }
});

test('the VM runs in linear time where a backtracker explodes', () => {
  // A backtracking engine needs ~2^40 steps to fail each of these; the VM one pass.
  const cases: [string, string, boolean][] = [
    ['^(a+)+$', `${'a'.repeat(40)}!`, false],
    ['^(?:a|a)*b', `${'a'.repeat(40)}`, false],
    ['^(?:[a-z]+\\.?)+@', `${'a'.repeat(40)}.`, false],
    ['^(?:[a-z]+\\.?)+@', `${'a'.repeat(40)}@`, true],
  ];
  for (const [pattern, subject, want] of cases) assert.equal(vm(pattern).test(subject), want, pattern);
});

test('the VM refuses what it cannot simulate without backtracking', () => {
  for (const pattern of ['(?>a+)b', 'a++', '(a)\\1', '(?=(a))']) {
    assert.throws(() => vm(pattern), /linear-time matcher/, pattern);
  }
});
