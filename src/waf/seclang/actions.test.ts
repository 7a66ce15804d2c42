import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActions, parseSetvar, tokenizeActions } from './actions.js';
import { ArgSyntaxError } from './errors.js';

test('actions: the quoting rules', () => {
  const cases: [string, [string, string | undefined][]][] = [
    ['', []],
    ['  ,, ', []],
    ['pass', [['pass', undefined]]],
    [
      'id:1,pass,',
      [
        ['id', '1'],
        ['pass', undefined],
      ],
    ],
    [
      "msg:'a,b',tag:x",
      [
        ['msg', 'a,b'],
        ['tag', 'x'],
      ],
    ],
    ["msg:'it\\'s'", [['msg', "it's"]]],
    ["msg:'a\\\\b'", [['msg', 'a\\b']]],
    ["msg:'keep \\x41 and \\d'", [['msg', 'keep \\x41 and \\d']]],
    ["msg:''", [['msg', '']]],
    [
      " id : 7 , msg : 'x' , pass ",
      [
        ['id', '7'],
        ['msg', 'x'],
        ['pass', undefined],
      ],
    ],
    [
      'msg:two words,pass',
      [
        ['msg', 'two words'],
        ['pass', undefined],
      ],
    ],
    [
      'id:1,\n    phase:2,\n    pass',
      [
        ['id', '1'],
        ['phase', '2'],
        ['pass', undefined],
      ],
    ],
    ["setvar:'tx.x=+%{tx.y}'", [['setvar', 'tx.x=+%{tx.y}']]],
    ['ctl:ruleRemoveTargetById=942100;ARGS:pwd', [['ctl', 'ruleRemoveTargetById=942100;ARGS:pwd']]],
    ['logdata:%{MATCHED_VAR}', [['logdata', '%{MATCHED_VAR}']]],
  ];
  for (const [text, want] of cases) {
    assert.deepEqual(
      tokenizeActions(text).map((t) => [t.name, t.value]),
      want,
      text,
    );
  }
});

test('actions: the example from the brief', () => {
  const p = parseActions(
    "id:1,phase:2,t:none,t:lowercase,setvar:'tx.x=+%{tx.y}',msg:'a,b',ctl:ruleRemoveTargetById=942100;ARGS:pwd,chain",
  );
  assert.equal(p.actions.id, 1);
  assert.equal(p.actions.phase, 2);
  assert.deepEqual(p.actions.transformations, ['lowercase']);
  assert.equal(p.resetTransformations, true);
  assert.deepEqual(p.actions.setvars, [{ collection: 'tx', key: 'x', op: '+=', value: '%{tx.y}' }]);
  assert.equal(p.actions.msg, 'a,b');
  assert.deepEqual(p.actions.ctls, [{ name: 'ruleRemoveTargetById', value: '942100;ARGS:pwd' }]);
  assert.equal(p.chain, true);
  assert.ok(p.present.has('setvar') && p.present.has('t') && !p.present.has('deny'));
});

test('actions: values are interpreted', () => {
  const cases: [string, (a: ReturnType<typeof parseActions>['actions']) => unknown, unknown][] = [
    ['phase:1', (a) => a.phase, 1],
    ["phase:'3'", (a) => a.phase, 3],
    ['phase:request', (a) => a.phase, 2],
    ['phase:RESPONSE', (a) => a.phase, 4],
    ['phase:logging', (a) => a.phase, 5],
    ["id:'960008'", (a) => a.id, 960008],
    ["severity:'CRITICAL'", (a) => a.severity, 2],
    ['severity:notice', (a) => a.severity, 5],
    ['severity:4', (a) => a.severity, 4],
    ["maturity:'9',accuracy:8", (a) => [a.maturity, a.accuracy], [9, 8]],
    ["tag:'a',tag:'b/c'", (a) => a.tags, ['a', 'b/c']],
    ["ver:'OWASP_CRS/4.0',rev:2", (a) => [a.ver, a.rev], ['OWASP_CRS/4.0', '2']],
    ['t:lowercase,t:none,t:urlDecodeUni,t:LOWERCASE', (a) => a.transformations, ['urlDecodeUni', 'lowercase']],
    ['t:compressWhiteSpace', (a) => a.transformations, ['compressWhitespace']],
    ['deny,status:403', (a) => [a.disruptive, a.status], [{ kind: 'deny' }, 403]],
    ['deny,pass', (a) => a.disruptive, { kind: 'pass' }],
    ['drop', (a) => a.disruptive, { kind: 'drop' }],
    ['block', (a) => a.disruptive, { kind: 'block' }],
    ['allow', (a) => a.disruptive, { kind: 'allow' }],
    ['allow:phase', (a) => a.disruptive, { kind: 'allow', arg: 'phase' }],
    ['allow:Request', (a) => a.disruptive, { kind: 'allow', arg: 'request' }],
    [
      'redirect:http://x/y?a=1',
      (a) => [a.disruptive, a.redirect],
      [{ kind: 'redirect', arg: 'http://x/y?a=1' }, 'http://x/y?a=1'],
    ],
    ['log', (a) => [a.log, a.auditlog], [true, true]],
    ['nolog', (a) => [a.log, a.auditlog], [false, false]],
    ['nolog,auditlog', (a) => [a.log, a.auditlog], [false, true]],
    ['log,noauditlog', (a) => [a.log, a.auditlog], [true, false]],
    ['noauditlog', (a) => [a.log, a.auditlog], [undefined, false]],
    ['capture,multiMatch', (a) => [a.capture, a.multiMatch], [true, true]],
    ['MULTIMATCH', (a) => a.multiMatch, true],
    ['skip:2,skipAfter:END_X', (a) => [a.skip, a.skipAfter], [2, 'END_X']],
    ['initcol:IP=%{REMOTE_ADDR}', (a) => a.initcol, [{ collection: 'ip', key: '%{REMOTE_ADDR}' }]],
    ["expirevar:'session.x=3600'", (a) => a.expirevars, [{ collection: 'session', key: 'x', seconds: '3600' }]],
    ['ctl:RuleEngine=Off', (a) => a.ctls, [{ name: 'ruleEngine', value: 'Off' }]],
    ['ctl:requestBodyProcessor=XML', (a) => a.ctls, [{ name: 'requestBodyProcessor', value: 'XML' }]],
    [
      'setenv:x=1,sanitizeArg:password,sanitiseMatched,xmlns:q=http://e/',
      (a) => a.extra,
      [
        { name: 'setenv', value: 'x=1' },
        { name: 'sanitiseArg', value: 'password' },
        { name: 'sanitiseMatched' },
        { name: 'xmlns', value: 'q=http://e/' },
      ],
    ],
  ];
  for (const [text, pick, want] of cases) assert.deepEqual(pick(parseActions(text).actions), want, text);
});

test('actions: setvar forms', () => {
  const cases: [string, ReturnType<typeof parseSetvar>][] = [
    ['tx.score=10', { collection: 'tx', key: 'score', op: '=', value: '10' }],
    ['TX.score=+5', { collection: 'tx', key: 'score', op: '+=', value: '5' }],
    ['tx.score=-%{tx.y}', { collection: 'tx', key: 'score', op: '-=', value: '%{tx.y}' }],
    ['tx.flag', { collection: 'tx', key: 'flag', op: '=', value: '1' }],
    ['!ip.blocked', { collection: 'ip', key: 'blocked', op: 'delete', value: '' }],
    ['tx.msg=', { collection: 'tx', key: 'msg', op: '=', value: '' }],
    [
      'tx.%{rule.id}-ATTACK-%{matched_var_name}=%{tx.0}',
      { collection: 'tx', key: '%{rule.id}-ATTACK-%{matched_var_name}', op: '=', value: '%{tx.0}' },
    ],
    ['tx.a=b=c', { collection: 'tx', key: 'a', op: '=', value: 'b=c' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseSetvar(text, 0), want, text);
});

test('actions: errors carry the offset of the offending action', () => {
  const cases: [string, RegExp, number][] = [
    ['id:1,bogus', /unknown action bogus/, 5],
    ['id:1,t:nosuch', /unknown transformation t:nosuch/, 5],
    ['phase:6', /phase must be between 1 and 5/, 0],
    ['phase:x', /phase must be a number/, 0],
    ['id:abc', /id must be a number/, 0],
    ['id:0', /id must be between 1/, 0],
    ['id', /action id needs a value/, 0],
    ['pass:1', /action pass takes no value/, 0],
    ["msg:'open", /unterminated quoted value of action msg/, 4],
    ["msg:'a'b", /unexpected text after the quoted value/, 7],
    ['id:1 pass', /id must be a number, got '1 pass'/, 0],
    ['pass deny', /expected ',' after action pass/, 5],
    ['id:1,:x', /unexpected ':'/, 5],
    ['severity:LOUD', /severity must be a number/, 0],
    ['status:20', /status must be between 100 and 999/, 0],
    ['allow:everything', /allow takes phase or request/, 0],
    ['setvar:score=1', /setvar needs COLLECTION.name/, 0],
    ['setvar:tx.=1', /setvar needs COLLECTION.name/, 0],
    ['ctl:ruleEngine', /ctl needs option=value/, 0],
    ['ctl:frobnicate=1', /unknown ctl option frobnicate/, 0],
    ['initcol:ip', /initcol needs COLLECTION=key/, 0],
    ['expirevar:tx.x', /expirevar needs/, 0],
    ['skip:0', /skip must be between 1/, 0],
    ['exec:/bin/sh', /exec is not supported/, 0],
    ['proxy:http://h/', /proxy is not supported/, 0],
  ];
  for (const [text, message, offset] of cases) {
    assert.throws(
      () => parseActions(text),
      (e: unknown) => e instanceof ArgSyntaxError && message.test(e.message) && e.offset === offset,
      text,
    );
  }
});
