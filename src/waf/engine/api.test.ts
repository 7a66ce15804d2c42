// The public API (src/waf/index.ts) end to end: SecLang text → engine → transaction.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { loadRuleSet, WafEngine } from '../index.js';

const RULES = `SecRuleEngine On
SecRequestBodyAccess On
SecDefaultAction "phase:2,log,auditlog,pass"
SecAction "id:100,phase:1,pass,nolog,setvar:tx.score=0,setvar:tx.threshold=5"
SecRule ARGS "@rx (?i)<script" "id:200,phase:2,block,t:urlDecodeUni,msg:'XSS',tag:'attack-xss',severity:'CRITICAL',logdata:'%{MATCHED_VAR_NAME}',setvar:tx.score=+5"
SecRule TX:score "@ge %{tx.threshold}" "id:949,phase:2,deny,status:403,msg:'Score %{tx.score}'"
`;

test('public API: load, evaluate, read TX, interruption and matched rules', () => {
  const engine = new WafEngine(loadRuleSet({ text: RULES, file: 'api.conf' }));
  const tx = engine.newTransaction();
  assert.equal(
    tx.processRequestHeaders({
      method: 'POST',
      uri: '/comment',
      protocol: 'HTTP/1.1',
      headers: [
        ['Host', 'x'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: Buffer.from('text=%3Cscript%3Ealert(1)%3C/script%3E'),
      remoteAddr: '203.0.113.9',
    }),
    undefined,
  );
  assert.deepEqual(tx.processRequestBody(), { action: 'deny', status: 403, ruleId: 949 });
  assert.deepEqual(tx.interruption, { action: 'deny', status: 403, ruleId: 949 });
  assert.equal(tx.tx('SCORE'), '5');
  assert.deepEqual(
    tx.matchedRules.map((m) => [m.id, m.msg, m.data, m.severity, m.phase]),
    [
      [200, 'XSS', 'ARGS:text', 2, 2],
      [949, 'Score 5', '', undefined, 2],
    ],
  );
  tx.processLogging();
});

test('public API: benign request passes through every phase', () => {
  const engine = new WafEngine(loadRuleSet({ text: RULES, file: 'api.conf' }));
  const tx = engine.newTransaction();
  assert.equal(
    tx.processRequestHeaders({ method: 'GET', uri: '/?q=hello', protocol: 'HTTP/1.1', headers: [], remoteAddr: '::1' }),
    undefined,
  );
  assert.equal(tx.processRequestBody(), undefined);
  assert.equal(tx.processResponseHeaders({ status: 200, headers: [['Content-Type', 'text/html']] }), undefined);
  assert.equal(tx.processResponseBody(), undefined);
  tx.processLogging();
  assert.equal(tx.interruption, undefined);
  assert.deepEqual(tx.matchedRules, []);
});
