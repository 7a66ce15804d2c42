import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandTemplate, queryEscape, TemplateError } from './template.js';

test('go-ftw data templates expand like text/template + sprig', async (t) => {
  const cases: [string, string, string][] = [
    ['text without actions is unchanged', 'a=b {not} }}', 'a=b {not} }}'],
    ['a string literal', 'x={{ "ab" }}y', 'x=aby'],
    ['sprig repeat through a pipe', '{{ "1" | repeat 5 }}', '11111'],
    ['repeat called directly', '{{repeat 3 "ab"}}', 'ababab'],
    ['repeat 0 is empty', '[{{ "x" | repeat 0 }}]', '[]'],
    ['Go string escapes', '{{ "\\x41\\t\\u00e9\\101" }}', 'A\t\xc3\xa9A'],
    ['raw strings keep backslashes', '{{ `a\\nb` }}', 'a\\nb'],
    ['numbers and bools print as Go does', '{{ 42 }} {{ true }}', '42 true'],
    ['parentheses', '{{ repeat 2 ("a" | upper) }}', 'AA'],
    ['several functions in a pipe', '{{ "  Hi " | trim | lower | repeat 2 }}', 'hihi'],
    ['b64enc and b64dec', '{{ "hi" | b64enc }} {{ "aGk=" | b64dec }}', 'aGk= hi'],
    ['urlquery escapes like url.QueryEscape', '{{ urlquery "a b&c" }}', 'a+b%26c'],
    ['print joins operands', '{{ print "a" 1 2 "b" }}', 'a1 2b'],
    ['comments vanish', 'a{{/* note */}}b', 'ab'],
    ['{{- trims whitespace before the action', 'a \n {{- "b" }}', 'ab'],
    ['-}} trims whitespace after the action', 'a{{ "b" -}} \n c', 'abc'],
    ['multi-line data around an action', '--x\n{{ "1" | repeat 3 }}\n--x--', '--x\n111\n--x--'],
  ];
  for (const [what, src, out] of cases) await t.test(what, () => assert.equal(expandTemplate(src), out));
});

test('templates go-ftw would fail on raise TemplateError', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['an unknown function', '{{ nosuch 1 }}', /function "nosuch" not defined/],
    ['an unclosed action', 'a {{ "b"', /unclosed action/],
    ['an unterminated string', '{{ "abc }}', /unterminated string/],
    ['control actions', '{{ if true }}x{{ end }}', /"if" actions are not supported/],
    ['arguments to a literal', '{{ "a" "b" }}', /non-function/],
    ['repeat with a non-number', '{{ repeat "x" "y" }}', /expected an integer/],
    ['repeat with too few arguments', '{{ repeat 2 }}', /wrong number of args/],
    ['an empty action', '{{ }}', /missing value/],
    ['output past the size bound', '{{ "x" | repeat 99999999 }}', /too large/],
  ];
  for (const [what, src, re] of cases) {
    await t.test(what, () =>
      assert.throws(
        () => expandTemplate(src),
        (e: unknown) => e instanceof TemplateError && re.test(e.message),
      ),
    );
  }
});

test('queryEscape keeps unreserved bytes, turns space into + and the rest into %XX', () => {
  assert.equal(queryEscape('aZ09-_.~ /?=&%+\xc3\xa9'), 'aZ09-_.~+%2F%3F%3D%26%25%2B%C3%A9');
});
