import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCidrs } from './cidr.js';
import { StageConfigError } from './stage.js';

// [cidrs, client ip, expected]
const CASES: [string[], string, boolean][] = [
  [['10.0.0.0/8'], '10.1.2.3', true],
  [['10.0.0.0/8'], '11.0.0.1', false],
  [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
  [['10.0.0.0/8'], '::ffff:11.1.2.3', false],
  [['10.1.2.3/8'], '10.200.0.1', true],
  [['192.0.2.1'], '192.0.2.1', true],
  [['192.0.2.1'], '192.0.2.2', false],
  [['192.0.2.1'], '::ffff:192.0.2.1', true],
  [['192.0.2.0/32'], '192.0.2.0', true],
  [['0.0.0.0/0'], '203.0.113.9', true],
  [['0.0.0.0/0'], '2001:db8::1', false],
  [['2001:db8::/32'], '2001:db8:1::5', true],
  [['2001:db8::/32'], '2001:db9::5', false],
  [['2001:db8::/32'], '10.0.0.1', false],
  [['2001:DB8::/32'], '2001:db8::1', true],
  [['::1'], '::1', true],
  [['::1/128'], '::2', false],
  [['::/0'], '2001:db8::1', true],
  [['::ffff:0:0/96'], '198.51.100.7', true],
  [['::ffff:0:0/96'], '2001:db8::1', false],
  [['fe80::/10'], 'fe80::1%eth0', true],
  [['10.0.0.0/8', '2001:db8::/32'], '2001:db8::9', true],
  [['10.0.0.0/8', '2001:db8::/32'], '10.9.9.9', true],
  [['10.0.0.0/8', '2001:db8::/32'], '172.16.0.1', false],
  [[' 10.0.0.0/8 '], '10.0.0.1', true],
  [[], '10.0.0.1', false],
  [['10.0.0.0/8'], '', false],
  [['10.0.0.0/8'], 'unknown', false],
  [['2001:db8::/32'], 'not:an:ip', false],
];

describe('compileCidrs', () => {
  for (const [cidrs, ip, want] of CASES) {
    test(`${JSON.stringify(cidrs)} ${want ? 'contains' : 'excludes'} ${JSON.stringify(ip)}`, () => {
      assert.equal(compileCidrs(cidrs)(ip), want);
    });
  }

  const BAD: [string, RegExp][] = [
    ['10.0.0.0/33', /prefix length must be 0..32/],
    ['2001:db8::/129', /prefix length must be 0..128/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.0.0.0/8x', /prefix length/],
    ['10.0.0/8', /not an IP address/],
    ['example.com', /not an IP address/],
    ['', /not an IP address/],
    ['1.2.3.4.5', /not an IP address/],
  ];
  for (const [cidr, msg] of BAD) {
    test(`rejects ${JSON.stringify(cidr)}`, () => {
      assert.throws(
        () => compileCidrs(['10.0.0.0/8', cidr], ['access_rules', 'rules', 0, 'cidrs']),
        (err: unknown) =>
          err instanceof StageConfigError && msg.test(err.message) && err.path.join('.') === 'access_rules.rules.0.cidrs.1',
      );
    });
  }
});
