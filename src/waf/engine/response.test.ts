import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine, ids, request, response, run } from './test-helpers.js';

const vars = (text: string, sel: string, phase: number, res = response({ bodyText: '<h1>SQL syntax error near</h1>' })) => {
  const e = engine(
    `SecRuleEngine On\nSecResponseBodyAccess On\n${text}\nSecRule ${sel} "@unconditionalMatch" "id:999,phase:${phase},pass,t:none"`,
  );
  const tx = e.newTransaction();
  tx.processRequestHeaders(request());
  tx.processRequestBody();
  tx.processResponseHeaders(res);
  if (phase === 4) tx.processResponseBody();
  return tx.state.matchedVars.entries.map((v) => [v.key, v.value]);
};

test('response variables', async (t) => {
  const res = response({
    status: 503,
    headers: [
      ['Content-Type', 'text/html; charset=utf-8'],
      ['X-Powered-By', 'PHP/8'],
    ],
    bodyText: 'Warning: mysql_fetch',
  });
  const cases: [string, number, string[][]][] = [
    [
      'RESPONSE_STATUS|RESPONSE_PROTOCOL|STATUS_LINE',
      3,
      [
        ['RESPONSE_STATUS', '503'],
        ['RESPONSE_PROTOCOL', 'HTTP/1.1'],
        ['STATUS_LINE', 'HTTP/1.1 503 Service Unavailable'],
      ],
    ],
    ['RESPONSE_HEADERS:x-powered-by', 3, [['RESPONSE_HEADERS:X-Powered-By', 'PHP/8']]],
    [
      'RESPONSE_HEADERS_NAMES',
      3,
      [
        ['RESPONSE_HEADERS_NAMES:Content-Type', 'Content-Type'],
        ['RESPONSE_HEADERS_NAMES:X-Powered-By', 'X-Powered-By'],
      ],
    ],
    ['RESPONSE_CONTENT_TYPE', 3, [['RESPONSE_CONTENT_TYPE', 'text/html; charset=utf-8']]],
    ['RESPONSE_BODY', 4, [['RESPONSE_BODY', 'Warning: mysql_fetch']]],
  ];
  for (const [sel, phase, want] of cases) {
    await t.test(sel, () => assert.deepEqual(vars('', sel, phase, res), want));
  }
  await t.test('other MIME types are not inspected', () => {
    const img = response({ headers: [['Content-Type', 'image/png']], bodyText: 'PNG' });
    assert.deepEqual(vars('', 'RESPONSE_BODY', 4, img), [['RESPONSE_BODY', '']]);
  });
  await t.test('SecResponseBodyMimeType extends the list', () => {
    const js = response({ headers: [['Content-Type', 'application/json']], bodyText: '{}' });
    assert.deepEqual(vars('SecResponseBodyMimeType application/json', 'RESPONSE_BODY', 4, js), [['RESPONSE_BODY', '{}']]);
  });
});

test('response rules block in phase 4', () => {
  const e = engine(
    'SecRuleEngine On\nSecResponseBodyAccess On\nSecRule RESPONSE_BODY "@rx SQL syntax" "id:1,phase:4,deny,status:500"',
  );
  const tx = run(e, request(), response({ bodyText: '<h1>You have an error in your SQL syntax</h1>' }));
  assert.deepEqual(tx.interruption, { action: 'deny', status: 500, ruleId: 1 });
  assert.deepEqual(ids(tx), [1]);
});

test('response body limit', () => {
  const big = response({ bodyText: 'x'.repeat(300) });
  const e = engine(
    'SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyLimit 100\nSecResponseBodyLimitAction ProcessPartial\nSecRule RESPONSE_BODY "@rx ^x{100}$" "id:1,phase:4,pass"\nSecRule OUTBOUND_DATA_ERROR "@eq 1" "id:2,phase:4,pass"',
  );
  assert.deepEqual(ids(run(e, request(), big)), [1, 2]);
  const r = engine('SecRuleEngine On\nSecResponseBodyAccess On\nSecResponseBodyLimit 100\nSecResponseBodyLimitAction Reject');
  assert.equal(run(r, request(), big).interruption?.status, 500);
});
