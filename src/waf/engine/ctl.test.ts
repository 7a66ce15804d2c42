import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine, ids, request, run } from './test-helpers.js';

const ON = 'SecRuleEngine On\n';
const TARGETS = `SecRule ARGS "@rx x" "id:100,phase:2,pass,tag:'grp',msg:'m100'"
SecRule ARGS|REQUEST_FILENAME "@rx x" "id:101,phase:2,pass,tag:'grp'"
SecRule REQUEST_HEADERS "@rx x" "id:102,phase:2,pass"`;

test('ctl: rule and target removal', async (t) => {
  const cases: [string, string, string, number[], Record<number, string[]>?][] = [
    ['ruleRemoveById', 'ctl:ruleRemoveById=100', '/x?a=x', [101, 102]],
    ['ruleRemoveById range', 'ctl:ruleRemoveById=100-101', '/x?a=x', [102]],
    ['ruleRemoveById list', "ctl:'ruleRemoveById=100 102'", '/x?a=x', [101]],
    ['ruleRemoveByTag', 'ctl:ruleRemoveByTag=grp', '/x?a=x', [102]],
    ['ruleRemoveByMsg', 'ctl:ruleRemoveByMsg=m100', '/x?a=x', [101, 102]],
    [
      'ruleRemoveTargetById whole collection',
      'ctl:ruleRemoveTargetById=101;ARGS',
      '/x?a=x',
      [100, 101, 102],
      { 101: ['REQUEST_FILENAME'] },
    ],
    ['ruleRemoveTargetById one key', 'ctl:ruleRemoveTargetById=100;ARGS:a', '/?a=x&b=x', [100, 101, 102], { 100: ['ARGS:b'] }],
    ['ruleRemoveTargetById regex key', 'ctl:ruleRemoveTargetById=100;ARGS:/^[ab]$/', '/?a=x&b=x', [101, 102]],
    ['ruleRemoveTargetByTag', 'ctl:ruleRemoveTargetByTag=grp;ARGS', '/x?a=x', [101, 102], { 101: ['REQUEST_FILENAME'] }],
    ['ruleRemoveTargetById scalar', 'ctl:ruleRemoveTargetById=101;REQUEST_FILENAME', '/x', [102]],
  ];
  for (const [what, ctl, uri, want, vars] of cases) {
    await t.test(what, () => {
      const text = `${ON}SecAction "id:1,phase:1,pass,nolog,${ctl}"\n${TARGETS}`;
      const tx = run(engine(text), request({ uri, headers: [['X-A', 'x']] }));
      assert.deepEqual(ids(tx), want);
      for (const [id, names] of Object.entries(vars ?? {})) {
        assert.deepEqual(
          tx.matchedRules.filter((m) => m.id === Number(id)).map((m) => m.matchedVarName),
          [names.at(-1)],
        );
      }
    });
  }
});

test('ctl: removal applies only to this transaction', () => {
  const e = engine(`${ON}SecRule ARGS:off "@rx 1" "id:1,phase:1,pass,ctl:ruleRemoveById=2"\nSecAction "id:2,phase:2,pass"`);
  assert.deepEqual(ids(run(e, request({ uri: '/?off=1' }))), [1]);
  assert.deepEqual(ids(run(e, request({ uri: '/' }))), [2]);
});

test('ctl: ruleEngine', async (t) => {
  await t.test('Off stops the remaining rules', () => {
    const tx = run(
      engine(
        `${ON}SecAction "id:1,phase:1,pass,ctl:ruleEngine=Off"\nSecAction "id:2,phase:1,deny"\nSecAction "id:3,phase:2,deny"`,
      ),
      request(),
    );
    assert.deepEqual(ids(tx), [1]);
    assert.equal(tx.interruption, undefined);
  });
  await t.test('DetectionOnly keeps matching without disrupting', () => {
    const tx = run(
      engine(`${ON}SecAction "id:1,phase:1,pass,ctl:ruleEngine=DetectionOnly"\nSecAction "id:2,phase:1,deny"`),
      request(),
    );
    assert.deepEqual(ids(tx), [1, 2]);
    assert.equal(tx.interruption, undefined);
    assert.equal(tx.detectedInterruption?.ruleId, 2);
  });
  await t.test('On from DetectionOnly', () => {
    const tx = run(
      engine('SecRuleEngine DetectionOnly\nSecAction "id:1,phase:1,pass,ctl:ruleEngine=On"\nSecAction "id:2,phase:1,deny"'),
      request(),
    );
    assert.equal(tx.interruption?.ruleId, 2);
  });
});

test('ctl: body processing switches', async (t) => {
  const json = { method: 'POST', headers: [['Content-Type', 'text/plain']] as [string, string][], bodyText: '{"a":"x"}' };
  await t.test('requestBodyProcessor=JSON', () => {
    const tx = run(
      engine(
        `${ON}SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,ctl:requestBodyProcessor=JSON"\nSecRule ARGS:json.a "@streq x" "id:2,phase:2,pass"`,
      ),
      request(json),
    );
    assert.deepEqual(ids(tx), [1, 2]);
    assert.equal(tx.state.scalar('REQBODY_PROCESSOR'), 'JSON');
  });
  await t.test('requestBodyAccess=Off', () => {
    const tx = run(
      engine(
        `${ON}SecRequestBodyAccess On\nSecAction "id:1,phase:1,pass,ctl:requestBodyAccess=Off"\nSecRule REQUEST_BODY "@rx ." "id:2,phase:2,pass"`,
      ),
      request(json),
    );
    assert.deepEqual(ids(tx), [1]);
  });
  await t.test('requestBodyAccess=On', () => {
    const tx = run(
      engine(
        `${ON}SecRequestBodyAccess Off\nSecAction "id:1,phase:1,pass,ctl:requestBodyAccess=On"\nSecRule REQUEST_BODY "@rx a" "id:2,phase:2,pass"`,
      ),
      request(json),
    );
    assert.deepEqual(ids(tx), [1, 2]);
  });
  await t.test('audit settings are accepted', () => {
    const tx = run(engine(`${ON}SecAction "id:1,phase:1,pass,ctl:auditEngine=Off,ctl:auditLogParts=+E"`), request());
    assert.equal(tx.auditSettings.get('auditengine'), 'Off');
  });
});
