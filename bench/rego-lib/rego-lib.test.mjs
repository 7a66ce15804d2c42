// The parts of bench/rego that must be right for its agreement check to mean anything: the
// generator is deterministic and produces every kind of input, the hand-written pieces (glob →
// RegExp, IP allow-list) behave as glob.match and CIDR containment do, the checked-in policies are
// current, and Cedar agrees with the hand-written decision, while a Cedar policy missing the
// single-segment guard does not (so the inputs do exercise it). ShieldX itself is checked by the
// bench (bench/rego --check-only). Run: node --test bench/rego-lib/
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { cedarRequestBuilder, setupEngines } from './engines.mjs';
import { generate } from './generate.mjs';
import { globToRegExp, makeHandwritten } from './handwritten.mjs';
import { makeAllowList, parseIPv4, parseIPv6 } from './ipnet.mjs';
import { renderCedar, staleFiles } from './policies.mjs';
import { ALLOWED_NETWORKS } from './routes.mjs';

const gen = generate({});

describe('generator', () => {
  test('same seed, same documents; another seed, other inputs', () => {
    assert.equal(JSON.stringify(generate({})), JSON.stringify(gen));
    assert.notEqual(JSON.stringify(generate({ seed: 7 }).inputs), JSON.stringify(gen.inputs));
  });

  test('1,000 users, 10,000 inputs, every kind present, a third to a half allowed', () => {
    assert.equal(Object.keys(gen.data.users).length, 1000);
    assert.equal(gen.inputs.length, 10000);
    const kinds = new Set(gen.kinds.flat());
    for (const k of [
      'unknown-user',
      'disabled-user',
      'no-token',
      'expired',
      'wrong-audience',
      'wrong-issuer',
      'ip-outside',
      'wrong-method',
      'route-role-ok',
      'route-role-missing',
      'miss-extra-segment',
      'edge-trailing-slash',
      'edge-prefix-slash',
    ])
      assert.ok(kinds.has(k), k);
    const decide = makeHandwritten(gen.data);
    const allowed = gen.inputs.filter(decide).length;
    assert.ok(allowed > 2500 && allowed < 5000, `${allowed} allowed`);
  });
});

describe('glob → RegExp', () => {
  const cases = [
    ['/api/v1/orders', '/api/v1/orders', true],
    ['/api/v1/orders', '/api/v1/orders/', false],
    ['/api/v1/orders/*', '/api/v1/orders/12', true],
    ['/api/v1/orders/*', '/api/v1/orders/', true], // `*` matches the empty segment
    ['/api/v1/orders/*', '/api/v1/orders/1/2', false],
    ['/api/v1/orders/*/history', '/api/v1/orders/1/history', true],
    ['/api/v1/orders/*/history', '/api/v1/orders/1/2/history', false],
    ['/static/orders/**', '/static/orders/', true],
    ['/static/orders/**', '/static/orders/a/b/c', true],
    ['/static/orders/**', '/static/orders', false],
    ['/a.b/*', '/aXb/c', false], // regexp metacharacters are literal
  ];
  for (const [glob, path, want] of cases)
    test(`${glob} ~ ${path} = ${want}`, () => assert.equal(globToRegExp(glob).test(path), want));
});

describe('IP allow-list', () => {
  const list = makeAllowList(ALLOWED_NETWORKS);
  const block = new net.BlockList();
  for (const c of ALLOWED_NETWORKS) {
    const [a, b] = c.split('/');
    block.addSubnet(a, Number(b), net.isIPv6(a) ? 'ipv6' : 'ipv4');
  }
  const viaNode = (ip) => net.isIP(ip) !== 0 && block.check(ip, net.isIP(ip) === 6 ? 'ipv6' : 'ipv4');

  test('agrees with net.BlockList on every generated address', () => {
    for (const { ip } of gen.inputs) assert.equal(list.contains(ip), viaNode(ip), ip);
  });

  test('edges and bad text', () => {
    const cases = [
      ['172.31.255.255', true],
      ['172.32.0.0', false],
      ['100.127.255.255', true],
      ['100.128.0.0', false],
      ['198.51.100.127', false],
      ['198.51.100.128', true],
      ['2001:db8::', true],
      ['2001:db9::', false],
      ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
      ['fc00::1', false],
      ['10.0.0', false],
      ['10.0.0.256', false],
      ['010.0.0.1', false],
      ['::1::', false],
      ['', false],
    ];
    for (const [ip, want] of cases) assert.equal(list.contains(ip), want, ip);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    assert.deepEqual(parseIPv6('::1'), [0, 0, 0, 1]);
  });
});

describe('policies', () => {
  test('policy.rego and policy.cedar are what routes.mjs renders', () => {
    assert.deepEqual(staleFiles(), []);
  });

  test('Cedar agrees with the hand-written decision', async () => {
    const inputs = gen.inputs.slice(0, 250);
    const e = await setupEngines(['cedar', 'handwritten'], gen.data, null);
    for (const [i, input] of inputs.entries()) {
      const c = e.cedar.check(input);
      assert.equal(c.problem, undefined, `#${i}`);
      assert.equal(c.allow, e.handwritten.decide(input), `#${i} ${JSON.stringify(input)}`);
    }
  });

  test('without the single-segment guard, Cedar allows requests the glob rejects', async () => {
    // `like "/api/v1/x/*"` alone matches "/api/v1/x/a/b": the inputs must contain such paths.
    const loose = renderCedar().replace(/ && !\(context\.path like "[*/]+"\)/g, '');
    assert.notEqual(loose, renderCedar());
    assert.equal(cedar.preparsePolicySet('loose', { staticPolicies: loose }).type, 'success');
    const e = await setupEngines(['cedar', 'handwritten'], gen.data, null);
    const build = cedarRequestBuilder(gen.data);
    let differ = 0;
    const deeper = ['miss-extra-segment', 'miss-suffix', 'miss-deep'];
    const picked = gen.inputs.filter((_, i) => gen.kinds[i].some((k) => deeper.includes(k))).slice(0, 200);
    for (const input of picked) {
      const strict = e.cedar.check(input).allow;
      assert.equal(strict, e.handwritten.decide(input));
      // Same request as the engine builds, against the loose policy set.
      const ans = cedar.statefulIsAuthorized({ ...build(input), preparsedPolicySetId: 'loose' });
      if (ans.type === 'success' && (ans.response.decision === 'allow') !== strict) differ++;
    }
    assert.ok(differ > 0, 'no generated input tells the loose policy from the exact one');
  });
});
