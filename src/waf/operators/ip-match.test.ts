import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, makeOperator } from './operator-test-kit.js';
import { OperatorError } from './registry.js';

test('@ipMatch matches IPv4 / IPv6 addresses against addresses and CIDR networks', () => {
  const list = '127.0.0.1, 10.0.0.0/8,192.168.1.77/24,2001:db8::/32,::1,0.0.0.0/32';
  const cases: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.255.3.4', true],
    ['11.0.0.1', false],
    ['192.168.1.200', true], // host bits of 192.168.1.77/24 are ignored
    ['192.168.2.1', false],
    ['2001:db8:1234::5', true],
    ['2001:DB8::', true],
    ['2001:db9::1', false],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', false], // IPv4-mapped IPv6 is IPv6, kept apart
    ['0.0.0.0', true],
    ['localhost', false],
    ['127.0.0.01', false], // leading zeros are not an address (inet_pton)
    ['', false],
  ];
  for (const [ip, want] of cases) assert.equal(evaluate('ipMatch', list, ip), want, ip);
});

test('@ipMatch /0 matches the whole family only', () => {
  assert.equal(evaluate('ipMatch', '0.0.0.0/0', '203.0.113.9'), true);
  assert.equal(evaluate('ipMatch', '0.0.0.0/0', '2001:db8::1'), false);
  assert.equal(evaluate('ipMatch', '::/0', '2001:db8::1'), true);
});

test('@ipMatch rejects invalid entries at load', () => {
  for (const param of ['', '300.1.1.1', '10.0.0.0/33', '2001:db8::/129', '1.2.3', 'fe80::1%eth0', '1::2::3', 'abc']) {
    assert.throws(() => makeOperator('ipMatch', param), OperatorError, param);
  }
});
