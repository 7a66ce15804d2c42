import assert from 'node:assert/strict';
import { test } from 'node:test';
import './index.js';
import { getOperator, operatorNames } from './registry.js';

test('index.ts registers every operator, looked up case-insensitively', () => {
  const expected = [
    'rx',
    'pm',
    'pmFromFile',
    'pmf',
    'eq',
    'ge',
    'gt',
    'le',
    'lt',
    'streq',
    'contains',
    'containsWord',
    'beginsWith',
    'endsWith',
    'within',
    'strmatch',
    'ipMatch',
    'ipMatchFromFile',
    'ipMatchF',
    'validateByteRange',
    'validateUrlEncoding',
    'validateUtf8Encoding',
    'unconditionalMatch',
    'noMatch',
  ];
  const names = new Set(operatorNames());
  for (const name of expected) {
    assert.ok(names.has(name), name);
    assert.equal(getOperator(name.toUpperCase())?.name, name);
  }
});
