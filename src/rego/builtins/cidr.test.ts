import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatIP,
  formatNet,
  type IPAddr,
  ipEqual,
  ipFromBytes,
  ipString,
  lastAddr,
  netContains,
  parseCIDR,
  parseIP,
  rangeToCIDRs,
} from './cidr.js';

test('parseIP and formatIP follow Go (RFC 5952 output, IPv4-mapped printed dotted)', () => {
  const cases: [string, string | null][] = [
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['256.1.1.1', null],
    ['01.2.3.4', null],
    ['1.2.3', null],
    ['1.2.3.4.5', null],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::192.0.2.1', '::c000:201'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['1:2:3:4:5:6:7:8::', null],
    ['::1:2:3:4:5:6:7:8', null],
    ['1::2::3', null],
    ['12345::', null],
    ['fe80::1%eth0', null],
    ['', null],
  ];
  for (const [s, want] of cases) {
    const ip = parseIP(s);
    assert.equal(ip === null ? null : formatIP(ip), want, s);
  }
});

test('parseCIDR masks the network and rejects bad prefixes', () => {
  const cases: [string, string | null][] = [
    ['192.168.1.77/24', '192.168.1.0/24'],
    ['10.0.0.0/0', '0.0.0.0/0'],
    ['2001:db8::1/32', '2001:db8::/32'],
    ['::ffff:1.2.3.4/120', '1.2.3.0/24'],
    ['1.2.3.4/33', null],
    ['1.2.3.4/', null],
    ['1.2.3.4/-1', null],
    ['1.2.3.4', null],
    ['::/129', null],
  ];
  for (const [s, want] of cases) {
    let got: string | null;
    try {
      got = formatNet(parseCIDR(s).net);
    } catch {
      got = null;
    }
    assert.equal(got, want, s);
  }
});

test('rangeToCIDRs gives the fewest aligned blocks', () => {
  const v4 = (s: string) => (0xffffn << 32n) | (parseIP(s)?.v ?? 0n);
  assert.deepEqual(rangeToCIDRs(v4('192.0.2.112'), v4('192.0.2.119')), ['192.0.2.112/29']);
  assert.deepEqual(rangeToCIDRs(v4('10.0.0.1'), v4('10.0.0.6')), ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
  assert.deepEqual(rangeToCIDRs(0n, (1n << 128n) - 1n), ['::/0']);
});

test('IP addresses as Go prints and parses them', () => {
  const str: [number[], string][] = [
    [[10, 0, 0, 1], '10.0.0.1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4], '1.2.3.4'],
    [[0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '1:0:0:1::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[1, 2, 3], '?010203'],
  ];
  for (const [bytes, want] of str) assert.equal(ipString(Buffer.from(bytes)), want);
  const parse: [string, string | null][] = [
    ['10.0.0.1', '00000000000000000000ffff0a000001'],
    ['::1', '00000000000000000000000000000001'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['2001:db8:0:0:0:0:0:1', '20010db8000000000000000000000001'],
    ['01.2.3.4', null],
    ['1.2.3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['example.com', null],
  ];
  // As Go's 16-byte form: IPv4 as ::ffff:a.b.c.d.
  const hex16 = (a: IPAddr) => ((a.bits === 32 ? 0xffffn << 32n : 0n) | a.v).toString(16).padStart(32, '0');
  for (const [s, want] of parse) {
    const a = parseIP(s);
    assert.equal(a ? hex16(a) : null, want, s);
  }
  const v4 = parseIP('1.2.3.4') as IPAddr;
  assert.ok(ipEqual(v4, ipFromBytes(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4])) as IPAddr));
  assert.ok(!ipEqual(v4, parseIP('::1.2.3.4') as IPAddr));
  assert.equal(ipFromBytes(Buffer.from([1, 2, 3])), null);
});

test('netContains and lastAddr follow Go (an IPv4-mapped network is an IPv4 one)', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['::ffff:0:0/96', '255.255.255.255', true],
    ['::ffff:0:0/96', '::1', false],
    ['::ffff:0:0/95', '1.2.3.4', false],
    ['::/0', '1.2.3.4', false],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['0.0.0.0/0', '::1', false],
    ['2001:db8::/33', '2001:db8:7fff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/33', '2001:db8:8000::', false],
    ['1.2.3.4/32', '1.2.3.4', true],
    ['1.2.3.4/32', '1.2.3.5', false],
  ];
  for (const [n, a, want] of cases) assert.equal(netContains(parseCIDR(n).net, parseIP(a) as IPAddr), want, `${n} contains ${a}`);
  const last: [string, string][] = [
    ['10.0.0.0/8', '10.255.255.255'],
    ['0.0.0.0/0', '255.255.255.255'],
    ['2001:db8::/33', '2001:db8:7fff:ffff:ffff:ffff:ffff:ffff'],
    ['::ffff:10.0.0.0/104', '10.255.255.255'],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ];
  for (const [n, want] of last) assert.equal(formatIP(lastAddr(parseCIDR(n).net)), want, n);
});
