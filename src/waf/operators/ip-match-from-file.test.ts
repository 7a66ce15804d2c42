import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeOperator, RecordingContext } from './operator-test-kit.js';
import { OperatorError } from './registry.js';

const FILES = {
  'allow.txt': '# trusted\n10.1.0.0/16\n\n192.0.2.1, 192.0.2.2 # two hosts\r\n2001:db8::/48\n',
  'more.txt': '198.51.100.0/24\n',
  'bad.txt': '10.0.0.0/8\nnot-an-ip\n',
};

test('@ipMatchFromFile reads addresses per line (comments, blanks, commas)', () => {
  const cases: [string, string, boolean][] = [
    ['allow.txt', '10.1.200.3', true],
    ['allow.txt', '10.2.0.1', false],
    ['allow.txt', '192.0.2.2', true],
    ['allow.txt', '192.0.2.3', false],
    ['allow.txt', '2001:db8:0:ffff::1', true],
    ['allow.txt', '2001:db8:1::1', false],
    ['allow.txt more.txt', '198.51.100.9', true],
    ['more.txt', '10.1.0.1', false],
    ['allow.txt', 'garbage', false],
  ];
  for (const [param, ip, want] of cases) {
    assert.equal(makeOperator('ipMatchFromFile', param, FILES).evaluate(new RecordingContext(), ip), want, `${param} ${ip}`);
  }
  assert.equal(makeOperator('ipMatchF', 'more.txt', FILES).evaluate(new RecordingContext(), '198.51.100.1'), true);
});

test('@ipMatchFromFile load errors', () => {
  for (const param of ['bad.txt', 'missing.txt', 'https://example.com/ips.txt']) {
    assert.throws(() => makeOperator('ipMatchFromFile', param, FILES), OperatorError, param);
  }
});
