import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerOperator } from '../operators/registry.js';
import { registerTransformation } from '../transformations/registry.js';
import { engine, ids, request, run } from './test-helpers.js';

const ON = 'SecRuleEngine On\n';

test('rule evaluation: which rules match', async (t) => {
  const cases: [string, string, string, number[]][] = [
    ['plain match', 'SecRule ARGS:q "@rx attack" "id:1,phase:1,pass"', '/?q=an+attack', [1]],
    ['no match', 'SecRule ARGS:q "@rx attack" "id:1,phase:1,pass"', '/?q=hello', []],
    ['negated operator', 'SecRule ARGS:q "!@rx attack" "id:1,phase:1,pass"', '/?q=hello', [1]],
    ['transformations apply', 'SecRule ARGS:q "@streq abc" "id:1,phase:1,pass,t:lowercase"', '/?q=ABC', [1]],
    [
      't:none resets inherited',
      'SecDefaultAction "phase:1,pass,log,t:lowercase"\nSecRule ARGS:q "@streq ABC" "id:1,phase:1,pass,t:none"',
      '/?q=ABC',
      [1],
    ],
    [
      'chain: all links match',
      'SecRule ARGS:q "@rx a" "id:1,phase:1,pass,chain"\nSecRule REQUEST_METHOD "@streq GET"',
      '/?q=a',
      [1],
    ],
    [
      'chain: a link fails',
      'SecRule ARGS:q "@rx a" "id:1,phase:1,pass,chain"\nSecRule REQUEST_METHOD "@streq POST"',
      '/?q=a',
      [],
    ],
    ['SecAction always matches', 'SecAction "id:1,phase:1,pass"', '/', [1]],
    [
      'multiMatch sees the value before transformations',
      'SecRule ARGS:q "@streq ABC" "id:1,phase:1,pass,t:lowercase,multiMatch"',
      '/?q=ABC',
      [1],
    ],
    ['without multiMatch only the last value', 'SecRule ARGS:q "@streq ABC" "id:1,phase:1,pass,t:lowercase"', '/?q=ABC', []],
    ['nolog matches are not logged', 'SecRule ARGS:q "@rx a" "id:1,phase:1,pass,nolog"', '/?q=a', []],
    ['skip', 'SecAction "id:1,phase:1,pass,skip:1"\nSecAction "id:2,phase:1,pass"\nSecAction "id:3,phase:1,pass"', '/', [1, 3]],
    [
      'skip counts a chain as one rule',
      'SecAction "id:1,phase:1,pass,skip:1"\nSecRule REQUEST_METHOD "@rx ." "id:2,phase:1,pass,chain"\nSecRule REQUEST_METHOD "@rx ."\nSecAction "id:3,phase:1,pass"',
      '/',
      [1, 3],
    ],
    [
      'skipAfter a marker',
      'SecAction "id:1,phase:1,pass,skipAfter:END"\nSecAction "id:2,phase:1,pass"\nSecMarker END\nSecAction "id:3,phase:1,pass"',
      '/',
      [1, 3],
    ],
    [
      'skipAfter an unknown marker skips the phase',
      'SecAction "id:1,phase:1,pass,skipAfter:NOPE"\nSecAction "id:2,phase:1,pass"\nSecAction "id:3,phase:2,pass"',
      '/',
      [1, 3],
    ],
    [
      'rules run in phase order',
      'SecAction "id:2,phase:2,pass"\nSecAction "id:1,phase:1,pass"\nSecAction "id:5,phase:5,pass"\nSecAction "id:3,phase:3,pass"',
      '/',
      [1, 2, 3, 5],
    ],
  ];
  for (const [what, text, uri, want] of cases) {
    await t.test(what, () => assert.deepEqual(ids(run(engine(ON + text), request({ uri }))), want));
  }
});

test('setvar: operations, macros, per matched value', async (t) => {
  const cases: [string, string, string, Record<string, string | undefined>][] = [
    ['assign and add', 'SecAction "id:1,phase:1,pass,setvar:tx.a=5,setvar:tx.a=+3,setvar:tx.b=-2"', '/', { a: '8', b: '-2' }],
    [
      'subtract, delete',
      'SecAction "id:1,phase:1,pass,setvar:tx.a=5,setvar:tx.a=-7,setvar:tx.c=1,setvar:!tx.c"',
      '/',
      { a: '-2', c: undefined },
    ],
    [
      'macro in value and key',
      'SecAction "id:1,phase:1,pass,setvar:tx.n=2,setvar:tx.k_%{tx.n}=%{REQUEST_METHOD}-%{tx.n}"',
      '/',
      { k_2: 'GET-2' },
    ],
    [
      'runs once per matched value',
      'SecRule ARGS "@rx x" "id:1,phase:1,pass,setvar:tx.hits=+1"',
      '/?a=x&b=y&c=xx',
      { hits: '2' },
    ],
    [
      'head setvar runs even when the chain fails',
      'SecRule ARGS "@rx x" "id:1,phase:1,pass,setvar:tx.h=1,chain"\nSecRule REQUEST_METHOD "@streq PUT" "setvar:tx.l=1"',
      '/?a=x',
      { h: '1', l: undefined },
    ],
    [
      'capture fills TX:0..n',
      'SecRule ARGS:a "@rx (b)(c)" "id:1,phase:1,pass,capture,setvar:tx.got=%{tx.0}/%{tx.1}/%{tx.2}"',
      '/?a=abcd',
      { got: 'bc/b/c', 0: 'bc' },
    ],
    [
      'MATCHED_VAR(_NAME) in setvar',
      'SecRule ARGS "@rx ^z" "id:1,phase:1,pass,t:lowercase,setvar:tx.m=%{MATCHED_VAR_NAME}=%{MATCHED_VAR}"',
      '/?q=ZED',
      { m: 'ARGS:q=zed' },
    ],
    ['non-numeric counts as 0', 'SecAction "id:1,phase:1,pass,setvar:tx.a=abc,setvar:tx.a=+2"', '/', { a: '2' }],
  ];
  for (const [what, text, uri, want] of cases) {
    await t.test(what, () => {
      const tx = run(engine(ON + text), request({ uri }));
      for (const [k, v] of Object.entries(want)) assert.equal(tx.tx(k), v, k);
    });
  }
});

test('MATCHED_VARS in chain links see what earlier links matched', () => {
  const text = `SecRule ARGS "@rx /" "id:1,phase:1,pass,t:urlDecodeUni,chain"
SecRule MATCHED_VARS "@rx \\s" "setvar:tx.found=%{MATCHED_VAR_NAME}"`;
  const tx = run(engine(ON + text), request({ uri: '/?a=cat%2520/etc&b=/x&c=plain' }));
  assert.deepEqual(ids(tx), [1]);
  assert.equal(tx.tx('found'), 'MATCHED_VARS:ARGS:a');
});

test('msg and logdata are expanded when the head matches', () => {
  const text = `SecRule ARGS "@rx (evil)" "id:7,phase:2,pass,capture,severity:2,tag:'t1',tag:'t2',msg:'Found %{TX.1}',logdata:'in %{MATCHED_VAR_NAME}: %{MATCHED_VAR}',chain"
SecRule REQUEST_METHOD "@rx ^G"`;
  const tx = run(engine(ON + text), request({ uri: '/?x=so+evil' }));
  const m = tx.matchedRules[0];
  assert.ok(m);
  assert.equal(m.msg, 'Found evil');
  assert.equal(m.data, 'in ARGS:x: so evil');
  assert.deepEqual(m.tags, ['t1', 't2']);
  assert.equal(m.severity, 2);
  assert.equal(m.matchedVarName, 'ARGS:x');
  assert.equal(tx.state.scalar('HIGHEST_SEVERITY'), '2');
});

test('disruptive actions', async (t) => {
  type Case = [string, string, string, { action?: string; status?: number; ruleId?: number; url?: string }, number[]];
  const cases: Case[] = [
    [
      'deny stops the phase',
      'SecAction "id:1,phase:1,deny,status:401"\nSecAction "id:2,phase:1,pass"',
      ON,
      { action: 'deny', status: 401, ruleId: 1 },
      [1],
    ],
    ['deny defaults to 403', 'SecAction "id:1,phase:2,deny"', ON, { action: 'deny', status: 403, ruleId: 1 }, [1]],
    ['drop', 'SecAction "id:1,phase:1,drop"', ON, { action: 'drop', ruleId: 1 }, [1]],
    [
      'redirect with macro',
      'SecAction "id:1,phase:1,redirect:\'https://x.example/?u=%{REQUEST_METHOD}\'"',
      ON,
      { action: 'redirect', status: 302, url: 'https://x.example/?u=GET' },
      [1],
    ],
    [
      'block uses SecDefaultAction',
      'SecDefaultAction "phase:1,deny,status:418,log"\nSecAction "id:1,phase:1,block"',
      ON,
      { action: 'deny', status: 418 },
      [1],
    ],
    ['block with the default default passes', 'SecAction "id:1,phase:1,block"\nSecAction "id:2,phase:1,pass"', ON, {}, [1, 2]],
    [
      'DetectionOnly never interrupts',
      'SecAction "id:1,phase:1,deny"\nSecAction "id:2,phase:1,pass"',
      'SecRuleEngine DetectionOnly\n',
      {},
      [1, 2],
    ],
    ['Off runs nothing', 'SecAction "id:1,phase:1,deny"', 'SecRuleEngine Off\n', {}, []],
    [
      'later phases do not run after deny',
      'SecAction "id:1,phase:1,deny"\nSecAction "id:2,phase:2,pass"\nSecAction "id:5,phase:5,pass"',
      ON,
      { action: 'deny' },
      [1, 5],
    ],
    ['a deny in phase 3 interrupts', 'SecAction "id:1,phase:3,deny,status:502"', ON, { action: 'deny', status: 502 }, [1]],
  ];
  for (const [what, text, mode, want, wantIds] of cases) {
    await t.test(what, () => {
      const tx = run(engine(mode + text), request());
      if (want.action === undefined) assert.equal(tx.interruption, undefined);
      for (const [k, v] of Object.entries(want)) assert.equal((tx.interruption as unknown as Record<string, unknown>)?.[k], v, k);
      assert.deepEqual(ids(tx), wantIds);
    });
  }
  await t.test('DetectionOnly records what would have happened', () => {
    const tx = run(engine('SecRuleEngine DetectionOnly\nSecAction "id:9,phase:2,deny,status:406"'), request());
    assert.deepEqual(tx.detectedInterruption, { action: 'deny', status: 406, ruleId: 9 });
  });
});

test('allow variants', async (t) => {
  const rulesFor = (allow: string) =>
    `${ON}SecAction "id:1,phase:1,${allow}"\nSecAction "id:2,phase:1,pass"\nSecAction "id:3,phase:2,pass"\nSecAction "id:4,phase:3,pass"\nSecAction "id:5,phase:5,pass"`;
  const cases: [string, number[], string | undefined][] = [
    ['allow', [1, 5], 'allow'],
    ['allow:request', [1, 4, 5], 'allow'],
    ['allow:phase', [1, 3, 4, 5], undefined],
  ];
  for (const [allow, want, phase1] of cases) {
    await t.test(allow, () => {
      const e = engine(rulesFor(allow));
      const tx = e.newTransaction();
      assert.equal(tx.processRequestHeaders(request())?.action, phase1);
      tx.processRequestBody();
      tx.processResponseHeaders({ status: 200, headers: [] });
      tx.processResponseBody();
      tx.processLogging();
      assert.deepEqual(ids(tx), want);
      assert.equal(tx.interruption, undefined);
    });
  }
});

test('transformations are computed once per value and chain', () => {
  let calls = 0;
  registerTransformation('engineTestCount', (s) => {
    calls++;
    return s.toUpperCase();
  });
  const text = `SecRule ARGS "@rx NOPE" "id:1,phase:2,pass,t:engineTestCount"
SecRule ARGS "@rx NOPE2" "id:2,phase:2,pass,t:engineTestCount"
SecRule ARGS|ARGS_NAMES "@rx NOPE3" "id:3,phase:2,pass,t:engineTestCount,t:lowercase"`;
  run(engine(ON + text), request({ uri: '/?a=1&b=2' }));
  assert.equal(calls, 4, 'two ARGS values + two ARGS_NAMES values');
});

test('an operator that throws is a non-match, reported, never escaping', () => {
  registerOperator({
    name: 'engineTestThrow',
    create: () => ({
      evaluate: () => {
        throw new Error('boom');
      },
    }),
  });
  const errors: number[] = [];
  const e = engine(`${ON}SecRule ARGS "@engineTestThrow x" "id:1,phase:1,deny"\nSecAction "id:2,phase:1,pass"`, {
    onError: (_e, id) => errors.push(id),
  });
  const tx = run(e, request({ uri: '/?a=1' }));
  assert.deepEqual(ids(tx), [2]);
  assert.deepEqual(errors, [1]);
  assert.equal(tx.errors[0]?.error, 'boom');
});

test('skipAfter may name a rule id', () => {
  const text =
    'SecAction "id:1,phase:1,pass,skipAfter:3"\nSecAction "id:2,phase:1,pass"\nSecAction "id:3,phase:1,pass"\nSecAction "id:4,phase:1,pass"';
  assert.deepEqual(ids(run(engine(ON + text), request())), [1, 4]);
});
