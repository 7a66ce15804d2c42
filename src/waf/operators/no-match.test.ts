import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@noMatch matches no value', () => {
  for (const value of ['', 'x', '\x00', 'a\nb', '\xff'.repeat(1000), '0', 'true', ' ']) {
    assert.equal(evaluate('noMatch', '', value), false, JSON.stringify(value));
  }
  assert.equal(evaluate('noMatch', 'ignored parameter', 'x'), false);
});
