import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getTransformation, transformationNames } from './index.js';

// Every SecLang transformation name, in its reference-manual spelling.
const SECLANG_NAMES = [
  'none',
  'urlDecode',
  'urlDecodeUni',
  'urlEncode',
  'lowercase',
  'uppercase',
  'jsDecode',
  'htmlEntityDecode',
  'cssDecode',
  'escapeSeqDecode',
  'utf8toUnicode',
  'removeNulls',
  'replaceNulls',
  'cmdLine',
  'removeWhitespace',
  'compressWhitespace',
  'replaceComments',
  'removeComments',
  'removeCommentsChar',
  'normalizePath',
  'normalisePath',
  'normalizePathWin',
  'normalisePathWin',
  'length',
  'base64Decode',
  'base64DecodeExt',
  'base64Encode',
  'hexEncode',
  'hexDecode',
  'sqlHexDecode',
  'sha1',
  'md5',
  'trim',
  'trimLeft',
  'trimRight',
  'parityEven7bit',
  'parityOdd7bit',
  'parityZero7bit',
];

test('index registers every SecLang transformation under its own name', () => {
  for (const name of SECLANG_NAMES) {
    assert.equal(getTransformation(name)?.name, name, name);
  }
  assert.deepEqual(transformationNames(), [...SECLANG_NAMES].sort());
});

test('lookup ignores case, as in rule files (t:base64decode, t:CMDLINE)', () => {
  assert.equal(getTransformation('base64decode')?.name, 'base64Decode');
  assert.equal(getTransformation('CMDLINE')?.name, 'cmdLine');
  assert.equal(getTransformation('utf8ToUnicode')?.name, 'utf8toUnicode');
  assert.equal(getTransformation('noSuchThing'), undefined);
});

test('a typical CRS chain composes', () => {
  const chain = ['urlDecodeUni', 'htmlEntityDecode', 'jsDecode', 'cssDecode', 'lowercase', 'removeNulls'];
  let v = '%3CSCRIPT%3E&#x61;lert\\x28\\u0031)%00';
  for (const name of chain) v = getTransformation(name)!.fn(v);
  assert.equal(v, '<script>alert(1)');
});
