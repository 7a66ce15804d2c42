import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RouteConfig } from '../../config/schema.js';
import { type RequestContext, StageConfigError, type StageResult } from '../stage.js';
import { accessRulesStage } from './access-rules.js';
import { type ContextInput, makeContext, makeDeps, makeRoute, runSync } from './test-context.js';

function stageFor(access_rules: unknown) {
  return accessRulesStage.create(makeRoute({ access_rules }), makeDeps());
}

function ctx(input: ContextInput): RequestContext {
  return makeContext(input);
}

/** 'allow' (undefined), or the deny status. */
function outcome(r: StageResult): 'allow' | number {
  if (r === undefined) return 'allow';
  assert.equal(r.action, 'deny');
  return r.action === 'deny' ? r.status : -1;
}

const ADMIN_ONLY_FROM_OFFICE = {
  default: 'allow',
  rules: [
    { action: 'allow', path: '/admin', cidrs: ['10.0.0.0/8', '2001:db8:1::/48'] },
    { action: 'deny', path: '/admin', status: 404, reason: 'admin is internal' },
  ],
};

// [title, access_rules, request, expected]
const CASES: [string, unknown, ContextInput, 'allow' | number][] = [
  ['no access_rules at all', undefined, {}, 'allow'],
  ['empty rules, default allow', { rules: [] }, {}, 'allow'],
  ['empty rules, default deny', { default: 'deny' }, {}, 403],
  // CIDRs, IPv4 / IPv6 / IPv4-mapped
  ['office IPv4 reaches admin', ADMIN_ONLY_FROM_OFFICE, { request: { path: '/admin/users', client_ip: '10.2.3.4' } }, 'allow'],
  [
    'office IPv4-mapped reaches admin',
    ADMIN_ONLY_FROM_OFFICE,
    { request: { path: '/admin', client_ip: '::ffff:10.2.3.4' } },
    'allow',
  ],
  ['office IPv6 reaches admin', ADMIN_ONLY_FROM_OFFICE, { request: { path: '/admin', client_ip: '2001:db8:1:ff::1' } }, 'allow'],
  [
    'outside IPv4 gets the deny rule status',
    ADMIN_ONLY_FROM_OFFICE,
    { request: { path: '/admin/x', client_ip: '203.0.113.1' } },
    404,
  ],
  ['outside IPv4-mapped denied', ADMIN_ONLY_FROM_OFFICE, { request: { path: '/admin', client_ip: '::ffff:203.0.113.1' } }, 404],
  ['outside IPv6 denied', ADMIN_ONLY_FROM_OFFICE, { request: { path: '/admin', client_ip: '2001:db8:2::1' } }, 404],
  [
    'plain rule path is a segment prefix',
    ADMIN_ONLY_FROM_OFFICE,
    { request: { path: '/administrator', client_ip: '203.0.113.1' } },
    'allow',
  ],
  ['other paths fall to the default', ADMIN_ONLY_FROM_OFFICE, { request: { path: '/shop', client_ip: '203.0.113.1' } }, 'allow'],
  // first match wins
  [
    'first match wins (deny before allow)',
    {
      rules: [
        { action: 'deny', cidrs: ['0.0.0.0/0'] },
        { action: 'allow', cidrs: ['192.0.2.0/24'] },
      ],
    },
    {},
    403,
  ],
  [
    'first match wins (allow before deny)',
    {
      default: 'deny',
      rules: [
        { action: 'allow', cidrs: ['192.0.2.0/24'] },
        { action: 'deny', cidrs: ['0.0.0.0/0'] },
      ],
    },
    {},
    'allow',
  ],
  // methods
  ['method listed', { rules: [{ action: 'deny', methods: ['DELETE', 'PUT'] }] }, { request: { method: 'DELETE' } }, 403],
  ['method not listed', { rules: [{ action: 'deny', methods: ['DELETE', 'PUT'] }] }, { request: { method: 'GET' } }, 'allow'],
  // glob paths
  [
    'glob * within a segment',
    { rules: [{ action: 'deny', path: '/api/*/secret' }] },
    { request: { path: '/api/v1/secret' } },
    403,
  ],
  [
    'glob * does not cross segments',
    { rules: [{ action: 'deny', path: '/api/*/secret' }] },
    { request: { path: '/api/v1/x/secret' } },
    'allow',
  ],
  ['glob ** crosses segments', { rules: [{ action: 'deny', path: '/**/*.php' }] }, { request: { path: '/wp/admin/x.php' } }, 403],
  ['glob "/x/*" is one level only', { rules: [{ action: 'deny', path: '/x/*' }] }, { request: { path: '/x' } }, 'allow'],
  // headers
  [
    'header present',
    { rules: [{ action: 'deny', header: { name: 'X-Debug' } }] },
    { request: { headers: { host: 'h', 'x-debug': '' } } },
    403,
  ],
  ['header absent (presence test)', { rules: [{ action: 'deny', header: { name: 'X-Debug' } }] }, {}, 'allow'],
  [
    'header present: true',
    { rules: [{ action: 'deny', header: { name: 'x-debug', present: true } }] },
    { request: { headers: { host: 'h', 'x-debug': '1' } } },
    403,
  ],
  [
    'header present: false, absent',
    { default: 'deny', rules: [{ action: 'allow', header: { name: 'x-internal', present: false } }] },
    {},
    'allow',
  ],
  [
    'header present: false, present',
    { default: 'deny', rules: [{ action: 'allow', header: { name: 'x-internal', present: false } }] },
    { request: { headers: { host: 'h', 'x-internal': '1' } } },
    403,
  ],
  [
    'header exact value',
    { rules: [{ action: 'deny', header: { name: 'x-env', value: 'staging' } }] },
    { request: { headers: { host: 'h', 'x-env': 'staging' } } },
    403,
  ],
  [
    'header other value',
    { rules: [{ action: 'deny', header: { name: 'x-env', value: 'staging' } }] },
    { request: { headers: { host: 'h', 'x-env': 'staging2' } } },
    'allow',
  ],
  [
    'header regex',
    { rules: [{ action: 'deny', header: { name: 'user-agent', regex: '(?:sqlmap|nikto)' } }] },
    { request: { headers: { host: 'h', 'user-agent': 'sqlmap/1.7' } } },
    403,
  ],
  [
    'header regex no match',
    { rules: [{ action: 'deny', header: { name: 'user-agent', regex: '^(?:sqlmap|nikto)' } }] },
    { request: { headers: { host: 'h', 'user-agent': 'Mozilla/5.0 sqlmap' } } },
    'allow',
  ],
  [
    'header regex with a leading (?i) is case-insensitive',
    { rules: [{ action: 'deny', header: { name: 'user-agent', regex: '(?i)sqlmap' } }] },
    { request: { headers: { host: 'h', 'user-agent': 'SQLMap/1.7' } } },
    403,
  ],
  [
    'header regex is case-sensitive without (?i)',
    { rules: [{ action: 'deny', header: { name: 'user-agent', regex: 'sqlmap' } }] },
    { request: { headers: { host: 'h', 'user-agent': 'SQLMap/1.7' } } },
    'allow',
  ],
  [
    'header value and regex both required',
    { rules: [{ action: 'deny', header: { name: 'x-a', value: 'abc', regex: '^a' } }] },
    { request: { headers: { host: 'h', 'x-a': 'abc' } } },
    403,
  ],
  [
    'repeated header: one value matching is enough',
    { rules: [{ action: 'deny', header: { name: 'set-cookie', value: 'b=2' } }] },
    { request: { headers: { host: 'h', 'set-cookie': ['a=1', 'b=2'] } } },
    403,
  ],
  // all conditions must match
  [
    'all conditions match',
    { rules: [{ action: 'deny', cidrs: ['192.0.2.0/24'], methods: ['POST'], path: '/login', header: { name: 'x-bot' } }] },
    { request: { method: 'POST', path: '/login', headers: { host: 'h', 'x-bot': '1' } } },
    403,
  ],
  [
    'one condition fails',
    { rules: [{ action: 'deny', cidrs: ['192.0.2.0/24'], methods: ['POST'], path: '/login', header: { name: 'x-bot' } }] },
    { request: { method: 'GET', path: '/login', headers: { host: 'h', 'x-bot': '1' } } },
    'allow',
  ],
  ['a rule without conditions matches everything', { rules: [{ action: 'deny', status: 451 }] }, {}, 451],
];

describe('access_rules', () => {
  for (const [title, rules, input, expected] of CASES) {
    test(`${title} -> ${expected}`, () => {
      assert.equal(outcome(runSync(stageFor(rules), ctx(input))), expected);
    });
  }

  test('deny carries {error: forbidden, reason}', () => {
    const r = runSync(stageFor(ADMIN_ONLY_FROM_OFFICE), ctx({ request: { path: '/admin', client_ip: '203.0.113.1' } }));
    assert.deepEqual(r, {
      action: 'deny',
      status: 404,
      reason: 'admin is internal',
      body: { error: 'forbidden', reason: 'admin is internal' },
    });
    const d = runSync(stageFor({ rules: [{ action: 'deny', methods: ['PUT'] }] }), ctx({ request: { method: 'PUT' } }));
    assert.deepEqual(d && d.action === 'deny' && d.body, { error: 'forbidden', reason: 'denied by access rule 0' });
    const def = runSync(stageFor({ default: 'deny' }), ctx({}));
    assert.deepEqual(def && def.action === 'deny' && def.body, {
      error: 'forbidden',
      reason: 'no access rule allows this request',
    });
  });

  // [title, access_rules, message, config path]
  const BAD: [string, unknown, RegExp, string][] = [
    ['bad CIDR', { rules: [{ action: 'deny', cidrs: ['10.0.0.0/40'] }] }, /prefix length/, 'access_rules.rules.0.cidrs.0'],
    [
      'bad regex',
      { rules: [{ action: 'allow' }, { action: 'deny', header: { name: 'x', regex: '(' } }] },
      /invalid header regex/,
      'access_rules.rules.1.header.regex',
    ],
    [
      'bad header name',
      { rules: [{ action: 'deny', header: { name: 'x y' } }] },
      /invalid header name/,
      'access_rules.rules.0.header.name',
    ],
    [
      'present: false with a value',
      { rules: [{ action: 'deny', header: { name: 'x', present: false, value: 'v' } }] },
      /cannot be combined/,
      'access_rules.rules.0.header.present',
    ],
    [
      'path without leading slash',
      { rules: [{ action: 'deny', path: 'admin' }] },
      /must start with/,
      'access_rules.rules.0.path',
    ],
  ];
  for (const [title, rules, msg, path] of BAD) {
    test(`config error: ${title}`, () => {
      assert.throws(
        () => stageFor(rules),
        (err: unknown) => err instanceof StageConfigError && msg.test(err.message) && err.path.join('.') === path,
      );
    });
  }

  test('routes without access_rules are created from the schema default', () => {
    const route: RouteConfig = makeRoute();
    assert.equal(route.access_rules, undefined);
    assert.equal(runSync(accessRulesStage.create(route, makeDeps()), ctx({})), undefined);
  });
});
