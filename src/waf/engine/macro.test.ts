import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTemplate, expandTemplate } from './macro.js';

test('macro templates', async (t) => {
  const vars: Record<string, string> = { 'TX.score': '5', 'TX.0': 'm', MATCHED_VAR: '<x>', 'REQUEST_HEADERS.Host': 'h' };
  const resolve = (name: string, key: string) => vars[key === '' ? name : `${name}.${key}`];
  const cases: [string, string, string][] = [
    ['no macro stays a string', 'plain text', 'plain text'],
    ['collection and key', 'score=%{tx.score}', 'score=5'],
    ['plain variable, any case', '[%{matched_var}]', '[<x>]'],
    ['colon separator', '%{TX:score}', '5'],
    ['key keeps case and dashes', '%{REQUEST_HEADERS.Host}', 'h'],
    ['unknown expands to empty', 'a%{tx.nope}b', 'ab'],
    ['several', '%{tx.0}%{tx.score}%{tx.0}', 'm5m'],
    ['unterminated kept', 'x %{tx.score', 'x %{tx.score'],
    ['not a name kept', '%{} %{1a}', '%{} %{1a}'],
  ];
  for (const [what, text, want] of cases) {
    await t.test(what, () => assert.equal(expandTemplate(compileTemplate(text), resolve), want));
  }
  assert.equal(typeof compileTemplate('x'), 'string');
});
