import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, percentEncode } from './waf-corpus.mjs';

test('parseCsv reads quoted fields, doubled quotes, commas and newlines inside quotes', () => {
  const rows = parseCsv('"payload","label"\n"a, b","norm"\n"say ""hi""\nthere",anom\r\nplain,norm\n');
  assert.deepEqual(rows, [
    { payload: 'a, b', label: 'norm' },
    { payload: 'say "hi"\nthere', label: 'anom' },
    { payload: 'plain', label: 'norm' },
  ]);
});

test('parseCsv keeps a last line without a newline and empty fields', () => {
  assert.deepEqual(parseCsv('a,b\n,x'), [{ a: '', b: 'x' }]);
});

for (const [input, want] of [
  ['abc-_.~', 'abc-_.~'],
  ["1' or 1=1--", '1%27%20or%201%3D1--'],
  ['é', '%C3%A9'],
  ['a+b&c', 'a%2Bb%26c'],
]) {
  test(`percentEncode(${JSON.stringify(input)})`, () => assert.equal(percentEncode(input), want));
}
