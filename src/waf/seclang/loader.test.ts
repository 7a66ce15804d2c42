import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rule, RuleSet } from '../rule.js';
import { SecLangError, type SecLangIssue } from './errors.js';
import { loadRuleSet } from './loader.js';
import { formatVariable } from './variables.js';

const load = (text: string): RuleSet => loadRuleSet({ text, file: 'test.conf' }, { compileOperators: false });

function issuesOf(text: string, file = 'test.conf'): SecLangIssue[] {
  try {
    loadRuleSet({ text, file }, { compileOperators: false });
  } catch (e) {
    if (e instanceof SecLangError) return e.issues;
    throw e;
  }
  assert.fail(`expected a SecLangError for:\n${text}`);
}

const rule = (rs: RuleSet, id: number): Rule => {
  const r = rs.byId.get(id);
  assert.ok(r, `rule ${id} is loaded`);
  return r;
};
const ids = (rules: Rule[]) => rules.map((r) => r.actions.id ?? r.marker);
const targets = (r: Rule) => r.variables.map(formatVariable).join('|');

test('loader: rules land in their phases, in order, with markers in every phase', () => {
  const rs = load(`
SecRule REQUEST_URI "@rx a" "id:1,phase:1,pass"
SecAction "id:2,phase:1,nolog,pass,setvar:tx.x=1"
SecRule ARGS "b" "id:3"
SecMarker END_X
SecRule RESPONSE_BODY "@pm x y" "id:4,phase:response,deny"
SecRule REMOTE_ADDR "@ipMatch 10.0.0.1" "id:5,phase:logging,pass,skipAfter:END_X"
`);
  assert.deepEqual(ids(rs.phases[1] ?? []), [1, 2, 'END_X']);
  assert.deepEqual(ids(rs.phases[2] ?? []), [3, 'END_X']);
  assert.deepEqual(ids(rs.phases[3] ?? []), ['END_X']);
  assert.deepEqual(ids(rs.phases[4] ?? []), ['END_X', 4]);
  assert.deepEqual(ids(rs.phases[5] ?? []), ['END_X', 5]);
  assert.deepEqual(rs.phases[0], []);
  assert.equal(rs.byId.size, 5);
  assert.equal(rule(rs, 2).kind, 'action');
  assert.deepEqual(rule(rs, 2).variables, []);
  assert.equal(rule(rs, 2).operator, undefined);
  assert.deepEqual(rule(rs, 3).operator, { name: 'rx', param: 'b', negated: false });
  assert.equal(rule(rs, 3).actions.phase, 2, 'phase defaults to 2');
  assert.equal(rule(rs, 5).actions.skipAfter, 'END_X');
  assert.equal(rs.phases[1]?.[2]?.kind, 'marker');
  assert.deepEqual(rule(rs, 1).loc, { file: 'test.conf', line: 2 });
  assert.deepEqual(rs.files, ['test.conf']);
});

test('loader: chain assembly', () => {
  const rs = load(`
SecRule REQUEST_METHOD "@streq POST" \\
    "id:10,phase:1,deny,status:400,msg:'no length',tag:'proto',logdata:'%{MATCHED_VAR}',chain"
    SecRule &REQUEST_HEADERS:Content-Length "@eq 0" "t:none,setvar:tx.a=1,capture,chain"
        SecAction "setvar:tx.b=1"
SecRule ARGS "@rx z" "id:11,phase:1,pass"
`);
  assert.deepEqual(ids(rs.phases[1] ?? []), [10, 11]);
  const head = rule(rs, 10);
  assert.equal(head.actions.msg, 'no length');
  assert.deepEqual(head.actions.disruptive, { kind: 'deny' });
  const link1 = head.chain;
  assert.ok(link1);
  assert.equal(targets(link1), '&REQUEST_HEADERS:Content-Length');
  assert.deepEqual(link1.operator, { name: 'eq', param: '0', negated: false });
  assert.equal(link1.actions.id, undefined);
  assert.equal(link1.actions.phase, undefined);
  assert.equal(link1.actions.disruptive, undefined);
  assert.equal(link1.actions.capture, true);
  assert.deepEqual(link1.actions.setvars, [{ collection: 'tx', key: 'a', op: '=', value: '1' }]);
  assert.deepEqual(link1.loc, { file: 'test.conf', line: 4 });
  const link2 = link1.chain;
  assert.equal(link2?.kind, 'action');
  assert.equal(link2?.chain, undefined);
  assert.equal(rs.byId.size, 2);
});

test('loader: chain errors', () => {
  const cases: [string, string, [number, RegExp][]][] = [
    [
      'link with head-only actions',
      'SecRule ARGS "x" "id:1,chain"\nSecRule ARGS "y" "id:2,phase:2,deny,\\\n  msg:\'m\',skipAfter:X"',
      [
        [2, /id can only be given on the first rule of a chain/],
        [2, /phase can only be given/],
        [2, /deny can only be given/],
        [3, /msg can only be given/],
        [3, /skipAfter can only be given/],
      ],
    ],
    ['chain on the last rule', 'SecRuleEngine On\nSecRule ARGS "y" "id:2,chain"\n', [[2, /has chain but no rule follows/]]],
    [
      'marker inside a chain',
      'SecRule ARGS "y" "id:2,chain"\nSecMarker M\nSecRule ARGS "z" "id:3"',
      [[2, /SecMarker cannot stand inside a chain \(rule at test.conf:1 has chain\)/]],
    ],
    ['a rule without id', 'SecRule ARGS "y" "phase:2,pass"', [[1, /SecRule has no id action/]]],
    ['a SecAction without id', 'SecAction "phase:2,pass"', [[1, /SecAction has no id action/]]],
  ];
  for (const [name, text, want] of cases) {
    const got = issuesOf(text).map((i) => [i.line, i.message] as const);
    assert.equal(got.length, want.length, `${name}: ${JSON.stringify(got)}`);
    want.forEach(([line, re], k) => {
      assert.equal(got[k]?.[0], line, `${name} #${k}`);
      assert.match(got[k]?.[1] ?? '', re, `${name} #${k}`);
    });
  }
  // A broken head does not turn its links into rules of their own.
  const broken = issuesOf('SecRule ARGS "y" "phase:2,chain"\nSecRule ARGS "z" "t:none"\nSecRule ARGS "w" "id:3"');
  assert.equal(broken.length, 1);
});

test('loader: SecDefaultAction is inherited per phase', () => {
  const rs = load(`
SecDefaultAction "phase:2,log,auditlog,deny,status:403,t:lowercase"
SecRule ARGS "@rx a" "id:1"
SecRule ARGS "@rx a" "id:2,pass,t:urlDecode"
SecRule ARGS "@rx a" "id:3,t:none,t:trim,block"
SecRule ARGS "@rx a" "id:4,phase:1"
SecRule ARGS "@rx a" "id:5,nolog"
SecRule ARGS "@rx a" "id:6,chain"
  SecRule ARGS "@rx b" "t:trim"
SecDefaultAction "phase:2,nolog,pass"
SecRule ARGS "@rx a" "id:7"
SecRule ARGS "@rx a" "id:8,block"
`);
  const a = (id: number) => rule(rs, id).actions;
  assert.deepEqual(
    [a(1).disruptive, a(1).status, a(1).transformations, a(1).log, a(1).auditlog],
    [{ kind: 'deny' }, 403, ['lowercase'], true, true],
  );
  assert.deepEqual([a(2).disruptive, a(2).transformations], [{ kind: 'pass' }, ['lowercase', 'urlDecode']]);
  assert.deepEqual([a(3).disruptive, a(3).blockAction, a(3).transformations], [{ kind: 'block' }, { kind: 'deny' }, ['trim']]);
  assert.deepEqual(
    [a(4).phase, a(4).disruptive, a(4).transformations, a(4).log, a(4).status],
    [1, { kind: 'pass' }, [], true, undefined],
    'phase 1 has no SecDefaultAction: the reference default applies',
  );
  assert.deepEqual([a(5).log, a(5).auditlog, a(5).disruptive], [false, false, { kind: 'deny' }]);
  assert.deepEqual(rule(rs, 6).chain?.actions.transformations, ['lowercase', 'trim'], 'links inherit transformations');
  assert.equal(rule(rs, 6).chain?.actions.disruptive, undefined);
  assert.deepEqual([a(7).disruptive, a(7).log, a(7).transformations], [{ kind: 'pass' }, false, []]);
  assert.deepEqual([a(8).disruptive, a(8).blockAction], [{ kind: 'block' }, { kind: 'pass' }]);
});

test('loader: SecDefaultAction needs a phase and a disruptive action, and no metadata', () => {
  const cases: [string, RegExp[]][] = [
    ['SecDefaultAction "log,deny"', [/must specify a phase/]],
    ['SecDefaultAction "phase:2,log"', [/must specify a disruptive action/]],
    ['SecDefaultAction "phase:2,deny,id:5,msg:\'x\'"', [/cannot contain id/, /cannot contain msg/]],
    ['SecDefaultAction "phase:2,deny,chain"', [/cannot contain chain/]],
    ['SecDefaultAction "phase:2,deny,tag:\'x\',skipAfter:Y"', [/cannot contain tag/, /cannot contain skipAfter/]],
  ];
  for (const [text, want] of cases) {
    const got = issuesOf(text).map((i) => i.message);
    assert.equal(got.length, want.length, `${text}: ${JSON.stringify(got)}`);
    want.forEach((re, k) => {
      assert.match(got[k] ?? '', re, text);
    });
  }
});

test('loader: SecRuleRemoveById/ByTag/ByMsg act on the rules before them', () => {
  const rs = load(`
SecRule ARGS "a" "id:1,tag:'attack-x',msg:'one'"
SecRule ARGS "a" "id:2,tag:'keep',msg:'two'"
SecRule ARGS "a" "id:3,msg:'three'"
SecRule ARGS "a" "id:4,phase:1,msg:'four'"
SecRule ARGS "a" "id:5,tag:'other',tag:'attack-xss',msg:'DROP ME please'"
SecRule ARGS "a" "id:6,msg:'drop me too',chain"
  SecRule ARGS "b" "t:none"
SecRule ARGS "a" "id:20,msg:'twenty'"
SecRuleRemoveById 1 "3-4"
SecRuleRemoveByTag ^attack-xs
SecRuleRemoveByMsg "(?i)^drop me"
SecRuleRemoveById 20
SecRule ARGS "a" "id:20,msg:'twenty again'"
SecRuleRemoveById 7
SecRule ARGS "a" "id:7,msg:'seven'"
`);
  assert.deepEqual(
    [...rs.byId.keys()].sort((x, y) => x - y),
    [2, 7, 20],
  );
  assert.deepEqual(ids(rs.phases[2] ?? []), [2, 20, 7]);
  assert.deepEqual(rs.phases[1], []);
  assert.equal(rule(rs, 20).actions.msg, 'twenty again', 'a removed id may be defined again');
  assert.match(issuesOf('SecRuleRemoveById 1 x-2').map((i) => i.message)[0] ?? '', /invalid rule id or range 'x-2'/);
  assert.match(issuesOf('SecRuleRemoveByTag "("').map((i) => i.message)[0] ?? '', /invalid regular expression/);
});

test('loader: SecRuleUpdateTargetById/ByTag/ByMsg append or replace targets', () => {
  const rs = load(`
SecRule ARGS|REQUEST_FILENAME "@rx a" "id:1,tag:'t1',msg:'first'"
SecRule ARGS "@rx a" "id:2,tag:'t2',msg:'second'"
SecAction "id:3,pass,tag:'t2'"
SecRuleUpdateTargetById 1 "!ARGS:foo,!ARGS:/^bar/"
SecRuleUpdateTargetById 1 REQUEST_URI REQUEST_FILENAME
SecRuleUpdateTargetByTag t2 "!ARGS:pwd"
SecRuleUpdateTargetById 1-2 ARGS_NAMES
SecRuleUpdateTargetById 2 ARGS_NAMES|!ARGS:pwd
SecRuleUpdateTargetByMsg "^sec" "!REQUEST_COOKIES:/^_ga/"
SecRuleUpdateTargetById 999 "!ARGS:x"
SecRule ARGS "@rx a" "id:4"
`);
  assert.equal(targets(rule(rs, 1)), 'ARGS|REQUEST_URI|!ARGS:foo|!ARGS:/^bar/|ARGS_NAMES');
  assert.equal(targets(rule(rs, 2)), 'ARGS|!ARGS:pwd|ARGS_NAMES|!REQUEST_COOKIES:/^_ga/');
  assert.deepEqual(rule(rs, 3).variables, [], 'SecAction has no targets to update');
  assert.equal(targets(rule(rs, 4)), 'ARGS', 'updates do not reach later rules');
  const bad = issuesOf('SecRule ARGS "a" "id:1"\nSecRuleUpdateTargetById 1 ARGS_NAMES REQUEST_URI');
  assert.deepEqual(
    bad.map((i) => [i.line, i.message]),
    [[2, 'SecRuleUpdateTargetById: rule 1 has no target REQUEST_URI to replace']],
  );
});

test('loader: SecRuleUpdateActionById', () => {
  const rs = load(`
SecRule ARGS attack "phase:2,id:12345,t:lowercase,log,pass,msg:'Message text',tag:a"
SecRuleUpdateActionById 12345 "t:none,t:compressWhitespace,deny,status:403,msg:'New message text',tag:b"
SecRule ARGS x "id:20,phase:2,block,chain"
  SecRule ARGS y "t:lowercase"
SecRuleUpdateActionById 20:1 "t:trim,setvar:tx.z=1"
SecRuleUpdateActionById 20 "pass,chain,phase:2"
SecRule ARGS x "id:30,t:urlDecode"
SecRuleUpdateActionById 30 "t:lowercase,severity:WARNING,nolog"
SecRuleUpdateActionById 999 "deny"
`);
  const a = rule(rs, 12345).actions;
  assert.deepEqual(a.transformations, ['compressWhitespace']);
  assert.deepEqual([a.disruptive, a.status, a.msg, a.tags, a.log], [{ kind: 'deny' }, 403, 'New message text', ['a', 'b'], true]);
  const r20 = rule(rs, 20);
  assert.deepEqual(r20.actions.disruptive, { kind: 'pass' });
  assert.ok(r20.chain, 'the chain survives an update');
  assert.deepEqual(r20.chain.actions.transformations, ['lowercase', 'trim']);
  assert.equal(r20.chain.actions.setvars.length, 1);
  const a30 = rule(rs, 30).actions;
  assert.deepEqual([a30.transformations, a30.severity, a30.log], [['urlDecode', 'lowercase'], 4, false]);

  const cases: [string, number, RegExp][] = [
    ['SecRule ARGS a "id:1,phase:2"\nSecRuleUpdateActionById 1 "phase:1"', 2, /cannot change the phase of rule 1/],
    ['SecRule ARGS a "id:1"\nSecRuleUpdateActionById 1 "id:2"', 2, /cannot change the id of rule 1/],
    ['SecRule ARGS a "id:1"\nSecRuleUpdateActionById 1:1 "pass"', 2, /no chained rule at offset 1/],
    ['SecRule ARGS a "id:1,chain"\nSecRule ARGS b\nSecRuleUpdateActionById 1:1 "deny"', 3, /deny can only be given/],
    ['SecRuleUpdateActionById abc "pass"', 1, /expected RULEID or RULEID:offset/],
    ['SecRule ARGS a "id:1"\nSecRuleUpdateActionById 1 "bogus"', 2, /unknown action bogus/],
  ];
  for (const [text, line, re] of cases) {
    const got = issuesOf(text);
    assert.equal(got.length, 1, text);
    assert.equal(got[0]?.line, line, text);
    assert.match(got[0]?.message ?? '', re, text);
  }
});

test('loader: engine settings directives', () => {
  const rs = load(`
secruleengine DetectionOnly
SecRequestBodyAccess Off
SecResponseBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction ProcessPartial
SecResponseBodyLimit 524288
SecResponseBodyLimitAction processpartial
SecResponseBodyMimeType text/plain text/html
SecResponseBodyMimeType "text/xml application/json"
SecArgumentsLimit 500
SecCollectionTimeout 600
SecComponentSignature "OWASP_CRS/4.0.0"
SecAuditEngine RelevantOnly
SecAuditLogParts ABIJDEFHZ
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecDebugLogLevel 0
SecTmpDir /tmp/
SecPcreMatchLimit 1000
SecUnicodeMapFile unicode.mapping 20127
SecStatusEngine Off
`);
  const s = rs.settings;
  assert.equal(s.ruleEngine, 'DetectionOnly');
  assert.equal(s.requestBodyAccess, false);
  assert.equal(s.responseBodyAccess, true);
  assert.deepEqual([s.requestBodyLimit, s.requestBodyNoFilesLimit, s.responseBodyLimit], [13107200, 131072, 524288]);
  assert.deepEqual([s.requestBodyLimitAction, s.responseBodyLimitAction], ['ProcessPartial', 'ProcessPartial']);
  assert.deepEqual(s.responseBodyMimeTypes, ['text/plain', 'text/html', 'text/xml', 'application/json']);
  assert.deepEqual([s.argumentsLimit, s.collectionTimeout, s.componentSignatures], [500, 600, ['OWASP_CRS/4.0.0']]);
  assert.deepEqual(s.other, {
    SecAuditEngine: 'RelevantOnly',
    SecAuditLogParts: 'ABIJDEFHZ',
    SecAuditLogRelevantStatus: '^(?:5|4(?!04))',
    SecDebugLogLevel: '0',
    SecTmpDir: '/tmp/',
    SecPcreMatchLimit: '1000',
    SecUnicodeMapFile: 'unicode.mapping 20127',
    SecStatusEngine: 'Off',
  });

  const defaults = load('').settings;
  assert.deepEqual(
    [defaults.ruleEngine, defaults.requestBodyAccess, defaults.responseBodyAccess, defaults.responseBodyMimeTypes],
    ['On', true, false, ['text/plain', 'text/html']],
  );
  assert.deepEqual(load('SecResponseBodyMimeType text/xml').settings.responseBodyMimeTypes, ['text/xml']);
  assert.deepEqual(load('SecResponseBodyMimeTypesClear').settings.responseBodyMimeTypes, []);
  const over = loadRuleSet({ text: '', file: 'x' }, { settings: { ruleEngine: 'Off' } });
  assert.equal(over.settings.ruleEngine, 'Off');
});

test('loader: bad directives are load errors with file:line', () => {
  const cases: [string, RegExp][] = [
    ['SecRuleEngine Maybe', /SecRuleEngine takes On\|Off\|DetectionOnly, got 'Maybe'/],
    ['SecRuleEngine', /SecRuleEngine takes 1 argument, got 0/],
    ['SecRequestBodyLimit lots', /SecRequestBodyLimit takes a number/],
    ['SecRequestBodyLimitAction Drop', /takes Reject\|ProcessPartial/],
    ['SecFrobnicate On', /unknown directive SecFrobnicate/],
    ['SecRuleScript /x.lua "block"', /Lua scripts are never run/],
    ['SecRule ARGS', /SecRule takes 2 to 3 arguments, got 1/],
    ['SecRule ARGS "x" "id:1" extra', /SecRule takes 2 to 3 arguments, got 4/],
    ['SecRule NOPE "x" "id:1"', /unknown variable NOPE/],
    ['SecRule ARGS "@nosuch x" "id:1"', /unknown operator @nosuch/],
    ['SecMarker', /SecMarker takes 1 argument/],
    ['<IfModule security2_module>', /unknown directive <IfModule/],
  ];
  for (const [text, re] of cases) {
    const got = issuesOf(`# first line\n${text}`, 'dir/rules.conf');
    assert.equal(got.length, 1, `${text}: ${JSON.stringify(got)}`);
    assert.deepEqual([got[0]?.file, got[0]?.line], ['dir/rules.conf', 2], text);
    assert.match(got[0]?.message ?? '', re, text);
  }
});

test('loader: errors point at the physical line and are collected', () => {
  const text = [
    'SecRule ARGS "@rx a" \\', // 1
    '    "id:1,\\', // 2
    '    phase:2,\\', // 3
    '    t:nosuch,\\', // 4
    '    pass"', // 5
    'SecRule ARGS "@rx b" "id:1,pass"', // 6: duplicate id
    'SecRule "ARGS|\\', // 7
    'BOGUS" "@rx c" "id:3"', // 8: the bad variable is on line 8 of the directive
    'SecRule ARGS "@rx d" "id:4,,pass"', // 9: fine
  ].join('\n');
  let err: unknown;
  try {
    loadRuleSet({ text, file: 'multi.conf' }, { compileOperators: false });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SecLangError);
  assert.deepEqual(
    err.issues.map((i) => [i.file, i.line]),
    [
      ['multi.conf', 4],
      ['multi.conf', 8],
    ],
  );
  assert.match(err.issues[0]?.message ?? '', /unknown transformation t:nosuch/);
  assert.match(err.issues[1]?.message ?? '', /unknown variable BOGUS/);
  assert.equal(err.file, 'multi.conf');
  assert.equal(err.line, 4);
  assert.match(err.message, /^multi\.conf:4: unknown transformation t:nosuch \(and 1 more error\)$/);

  const dup = issuesOf('SecRule ARGS a "id:7"\n\nSecRule ARGS b "phase:2,\\\n id:7"');
  assert.deepEqual(
    dup.map((i) => [i.line, i.message]),
    [[4, 'duplicate rule id 7 (first defined at test.conf:1)']],
  );
  const many = issuesOf(Array.from({ length: 500 }, (_, k) => `SecBogus${k}`).join('\n'));
  assert.equal(many.length, 100, 'collection stops at maxErrors');
});

test('loader: text is read as bytes', () => {
  const rs = load('SecRule ARGS "@rx café" "id:1,msg:\'naïve\'"');
  assert.equal(rule(rs, 1).operator?.param, 'caf\u00c3\u00a9');
  assert.equal(Buffer.from(rule(rs, 1).actions.msg ?? '', 'latin1').toString('utf8'), 'naïve');
});
