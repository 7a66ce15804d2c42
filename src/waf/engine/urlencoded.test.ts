import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUrlEncoded, urlDecode } from './urlencoded.js';

test('urlDecode', async (t) => {
  const cases: [string, string, boolean, string][] = [
    ['plain', 'abc', true, 'abc'],
    ['percent', 'a%20b%2Fc', true, 'a b/c'],
    ['plus as space in forms', 'a+b', true, 'a b'],
    ['plus kept in paths', 'a+b', false, 'a+b'],
    ['invalid escape kept', '%zz%4', true, '%zz%4'],
    ['trailing percent kept', 'ab%', true, 'ab%'],
    ['high bytes', '%ff%00', true, '\xff\x00'],
    ['mixed case hex', '%3c%3E', true, '<>'],
  ];
  for (const [what, input, plus, want] of cases) {
    await t.test(what, () => assert.equal(urlDecode(input, plus), want));
  }
});

test('parseUrlEncoded', async (t) => {
  const cases: [string, string, [string, string][]][] = [
    [
      'pairs in order',
      'a=1&b=2&a=3',
      [
        ['a', '1'],
        ['b', '2'],
        ['a', '3'],
      ],
    ],
    [
      'name without value',
      'flag&x=',
      [
        ['flag', ''],
        ['x', ''],
      ],
    ],
    ['empty segments skipped', '&&a=1&&', [['a', '1']]],
    ['value keeps later =', 'a=b=c', [['a', 'b=c']]],
    ['names and values decoded', 'a%5B%5D=%3Cscript%3E+x', [['a[]', '<script> x']]],
    ['empty string', '', []],
  ];
  for (const [what, input, want] of cases) {
    await t.test(what, () => {
      const r = parseUrlEncoded(input, 100);
      assert.deepEqual(
        r.pairs.map((p) => [p.name, p.value]),
        want,
      );
      assert.equal(r.truncated, false);
    });
  }
  await t.test('limit truncates', () => {
    const r = parseUrlEncoded('a=1&b=2&c=3', 2);
    assert.deepEqual(
      r.pairs.map((p) => p.name),
      ['a', 'b'],
    );
    assert.equal(r.truncated, true);
  });
});
