import assert from 'node:assert/strict';
import { test } from 'node:test';
import './net.js';
import { format, fromJSON, RObject, RSet, type Value } from '../value.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const set = (...xs: Value[]) => RSet.from(xs);

test('net.cidr_contains', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.1.1/32', true],
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '192.168.1.1', false],
    ['10.0.0.0/8', '11.0.0.0/7', false],
    ['2001:4860:4860::8888/32', '2001:4860:4860:1234::8888/40', true],
    ['2001:4860:4860::8888/32', '2001:4860:4860:1234:5678:1234:5678:8888/128', true],
    ['2001:4860::/96', '2001:4860::/32', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['::/0', '10.1.2.3', false],
    ['192.168.1.0/24', '192.168.1.0/24', true],
  ];
  for (const [a, b, want] of cases) assert.equal(call('net.cidr_contains', a, b), want, `${a} ⊇ ${b}`);
});

test('net.cidr_contains errors', () => {
  const cases: [Value, Value, RegExp][] = [
    ['not-a-cidr', '192.168.1.67', /^net\.cidr_contains: invalid CIDR address: not-a-cidr$/],
    ['192.168.1.0/28', 'not-a-cidr', /not a valid textual representation of an IP address or CIDR: not-a-cidr/],
    ['192.168.1.0/33', '1.1.1.1', /invalid CIDR address/],
    ['01.2.3.0/24', '1.1.1.1', /invalid CIDR address/],
    [1, '1.1.1.1', /operand 1 must be string but got number/],
  ];
  for (const [a, b, message] of cases) assert.throws(() => call('net.cidr_contains', a, b), { message });
});

test('net.cidr_intersects', () => {
  const cases: [string, string, boolean][] = [
    ['192.168.1.0/25', '192.168.1.64/25', true],
    ['192.168.1.0/25', '192.168.1.128/25', false],
    ['fd1e:5bfe:8af3:9ddc::/64', '2001:4860:4860::8888/32', false],
    ['2001:4860::/32', '2001:4860:4860::8888/64', true],
  ];
  for (const [a, b, want] of cases) assert.equal(call('net.cidr_intersects', a, b), want);
  assert.throws(() => call('net.cidr_intersects', '1.2.3.4', '1.2.3.0/24'), /invalid CIDR address: 1\.2\.3\.4/);
});

test('net.cidr_is_valid', () => {
  const cases: [Value, boolean][] = [
    ['192.168.1.0/24', true],
    ['', false],
    ['there goes a string', false],
    ['192.168.1.2', false],
    ['2002::1234:abcd:ffff:c0a8:101/64', true],
    ['fe80::1%eth0/64', false],
    ['1:2:3:4:5:6:7:8::/64', false],
    [5, false],
  ];
  for (const [s, want] of cases) assert.equal(call('net.cidr_is_valid', s), want, String(s));
});

test('net.cidr_expand', () => {
  assert.equal(format(call('net.cidr_expand', '192.168.1.1/32') as Value), '{"192.168.1.1"}');
  assert.equal(
    format(call('net.cidr_expand', '192.168.1.1/30') as Value),
    '{"192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"}',
  );
  assert.equal(format(call('net.cidr_expand', '2001:db8::/127') as Value), '{"2001:db8::", "2001:db8::1"}');
  assert.throws(() => call('net.cidr_expand', '192.168.1.1/33'), {
    code: 'eval_builtin_error',
    message: 'net.cidr_expand: invalid CIDR address: 192.168.1.1/33',
  });
  assert.throws(() => call('net.cidr_expand', '10.0.0.0/8'), /more than/);
});

test('net.cidr_merge', () => {
  const cases: [Value[], string[]][] = [
    [['192.0.128.0/24'], ['192.0.128.0/24']],
    [['192.0.128.0/24', '192.0.128.0/24'], ['192.0.128.0/24']],
    [['192.0.128.0/24', '0.0.0.0/0'], ['0.0.0.0/0']],
    [['192.0.128.0/24', '192.0.129.0/24'], ['192.0.128.0/23']],
    [['192.0.2.112/30', '192.0.2.116/31', '192.0.2.118/31'], ['192.0.2.112/29']],
    [
      ['192.0.129.0/24', '192.0.130.0/24'],
      ['192.0.129.0/24', '192.0.130.0/24'],
    ],
    [
      ['192.0.2.112/31', '192.0.2.116/31', '192.0.2.118/31'],
      ['192.0.2.112/31', '192.0.2.116/30'],
    ],
    [['::/0', '::192.0.2.0/124', 'ff00::101/128'], ['::/0']],
    [
      ['fe80::/120', '192.0.2.0/24', '192.0.3.0/24', '192.0.4.0/25', '192.0.4.128/25'],
      ['192.0.2.0/23', '192.0.4.0/24', 'fe80::/120'],
    ],
    [['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128'], ['2601:600:8a80:207e::/64']],
    [['192.0.2.112', '192.0.2.116/31', '192.0.2.118/31'], ['192.0.2.0/24']],
    [['192.0.128.0', '192.0.129.0'], ['192.0.128.0/23']],
    [['10.1.2.3'], ['10.1.2.3/8']],
    [[], []],
  ];
  for (const [input, want] of cases) {
    assert.equal(format(call('net.cidr_merge', input) as Value), format(RSet.from(want)), input.join(' '));
  }
  assert.equal(
    format(call('net.cidr_merge', set('192.0.2.112/30', '192.0.2.116/31', '192.0.2.118/31')) as Value),
    '{"192.0.2.112/29"}',
  );
  assert.throws(() => call('net.cidr_merge', ['2601:600::1']), /net\.cidr_merge: IPv6 invalid: needs prefix length/);
  assert.throws(() => call('net.cidr_merge', ['foo']), /invalid CIDR address: foo/);
  assert.throws(() => call('net.cidr_merge', [1]), /element must be string/);
});

test('net.cidr_contains_matches', () => {
  const cases: [Value, Value, string][] = [
    ['1.1.1.0/24', '1.1.1.1', '{["1.1.1.0/24", "1.1.1.1"]}'],
    [['1.1.2.0/24', '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'], '{[0, 1], [1, 0]}'],
    [[['1.1.2.0/24', 1], '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'], '{[0, 1], [1, 0]}'],
    [set('1.1.1.0/24', '1.1.2.0/24'), set('1.1.1.1', '1.1.2.1'), '{["1.1.1.0/24", "1.1.1.1"], ["1.1.2.0/24", "1.1.2.1"]}'],
    [
      set(['1.1.1.0/24', 'bar'], ['1.1.2.0/24', 'foo']),
      set(['1.1.1.1', 'baz'], ['1.1.2.1', 'qux']),
      '{[["1.1.1.0/24", "bar"], ["1.1.1.1", "baz"]], [["1.1.2.0/24", "foo"], ["1.1.2.1", "qux"]]}',
    ],
    [fromJSON({ k1: '1.1.1.1/24', k2: ['1.1.1.2/24', 1] }), '1.1.1.128', '{["k1", "1.1.1.128"], ["k2", "1.1.1.128"]}'],
    [RObject.from([]), '1.1.1.1', 'set()'],
  ];
  for (const [a, b, want] of cases) assert.equal(format(call('net.cidr_contains_matches', a, b) as Value), want);
  const bad = {
    code: 'eval_builtin_error',
    message: 'net.cidr_contains_matches: operand 2: element must be string or non-empty array',
  };
  assert.throws(() => call('net.cidr_contains_matches', ['1.1.2.0/24'], ['1.1.1.1', 1]), bad);
  assert.throws(() => call('net.cidr_contains_matches', set(['1.1.1.0/24', 'bar']), set([], ['1.1.2.1', 'qux'])), bad);
});

test('net.cidr_* answers stay right when parsed CIDRs and the last address are reused', () => {
  // The same texts through different builtins and in alternation: cached parses (and cached
  // failures, whose message names the calling builtin) must not leak between calls.
  for (let pass = 0; pass < 2; pass++) {
    assert.equal(call('net.cidr_contains', '10.0.0.0/8', '10.9.9.9'), true);
    assert.equal(call('net.cidr_contains', '192.168.0.0/16', '10.9.9.9'), false);
    assert.equal(call('net.cidr_contains', '::ffff:10.0.0.0/104', '10.9.9.9'), true);
    assert.equal(call('net.cidr_contains', '::/0', '10.9.9.9'), false);
    assert.equal(call('net.cidr_contains', '::/0', '::1'), true);
    assert.equal(call('net.cidr_contains', '10.0.0.0/8', '10.0.0.0/7'), false);
    assert.equal(call('net.cidr_contains', '10.0.0.0/8', '10.0.0.0/9'), true);
    assert.equal(call('net.cidr_intersects', '10.0.0.0/9', '10.0.0.0/8'), true);
    assert.throws(() => call('net.cidr_contains', 'bad/8', '1.1.1.1'), {
      message: 'net.cidr_contains: invalid CIDR address: bad/8',
    });
    assert.throws(() => call('net.cidr_intersects', 'bad/8', '1.1.1.1/32'), {
      message: 'net.cidr_intersects: invalid CIDR address: bad/8',
    });
    assert.throws(() => call('net.cidr_contains', '10.0.0.0/8', 'bad/8'), {
      message: 'net.cidr_contains: not a valid textual representation of an IP address or CIDR: bad/8',
    });
  }
});
