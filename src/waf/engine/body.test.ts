import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine, request } from './test-helpers.js';
import type { WafRequest } from './types.js';

function phase2(text: string, req: WafRequest, selector: string) {
  const e = engine(
    `SecRuleEngine On\nSecRequestBodyAccess On\n${text}\nSecRule ${selector} "@unconditionalMatch" "id:999,phase:2,pass,t:none"`,
  );
  const tx = e.newTransaction();
  tx.processRequestHeaders(req);
  const it = tx.processRequestBody();
  return { tx, it, vals: tx.state.matchedVars.entries.map((v) => [v.key, v.value]) };
}

const post = (ct: string, body: string): WafRequest =>
  request({
    method: 'POST',
    headers: [
      ['Host', 'h'],
      ['Content-Type', ct],
    ],
    bodyText: body,
  });

const MP = [
  '--b0',
  'Content-Disposition: form-data; name="user"',
  '',
  "admin' --",
  '--b0',
  'Content-Disposition: form-data; name="up"; filename="shell.php"',
  'Content-Type: application/x-php',
  '',
  '<?php system($_GET[1]); ?>',
  '--b0--',
  '',
].join('\r\n');

test('body processors fill the collections', async (t) => {
  const cases: [string, WafRequest, string, (string | undefined)[][]][] = [
    [
      'urlencoded',
      post('application/x-www-form-urlencoded', 'a=1&b=%3C'),
      'ARGS_POST',
      [
        ['ARGS_POST:a', '1'],
        ['ARGS_POST:b', '<'],
      ],
    ],
    ['urlencoded with charset', post('application/x-www-form-urlencoded; charset=UTF-8', 'a=1'), 'ARGS:a', [['ARGS:a', '1']]],
    [
      'JSON by Content-Type',
      post('application/json', '{"q":{"w":"x"},"l":[true]}'),
      'ARGS',
      [
        ['ARGS:json.q.w', 'x'],
        ['ARGS:json.l.0', 'true'],
        ['ARGS:json.l', '1'],
      ],
    ],
    ['JSON vendor type', post('application/vnd.api+json', '{"a":1}'), 'ARGS_NAMES', [['ARGS_NAMES:json.a', 'json.a']]],
    [
      'XML text and attributes',
      post('text/xml', '<a x="1"><b>t</b></a>'),
      'XML:/*|XML://@*',
      [
        ['XML:/*', 't'],
        ['XML://@*', '1'],
      ],
    ],
    ['multipart fields', post('multipart/form-data; boundary=b0', MP), 'ARGS', [['ARGS:user', "admin' --"]]],
    [
      'multipart files',
      post('multipart/form-data; boundary=b0', MP),
      'FILES|FILES_NAMES|FILES_SIZES',
      [
        ['FILES:up', 'shell.php'],
        ['FILES_NAMES:up', 'up'],
        ['FILES_SIZES:up', '26'],
      ],
    ],
    [
      'multipart file content',
      post('multipart/form-data; boundary=b0', MP),
      'FILES_TMP_CONTENT',
      [['FILES_TMP_CONTENT:up', '<?php system($_GET[1]); ?>']],
    ],
    [
      'multipart part headers',
      post('multipart/form-data; boundary=b0', MP),
      'MULTIPART_PART_HEADERS:up',
      [
        ['MULTIPART_PART_HEADERS:up', 'Content-Disposition: form-data; name="up"; filename="shell.php"'],
        ['MULTIPART_PART_HEADERS:up', 'Content-Type: application/x-php'],
      ],
    ],
    [
      'multipart combined size and flags',
      post('multipart/form-data; boundary=b0', MP),
      'FILES_COMBINED_SIZE|MULTIPART_STRICT_ERROR|MULTIPART_UNMATCHED_BOUNDARY',
      [
        ['FILES_COMBINED_SIZE', '26'],
        ['MULTIPART_STRICT_ERROR', '0'],
        ['MULTIPART_UNMATCHED_BOUNDARY', '0'],
      ],
    ],
    ['unknown type: raw body only', post('text/plain', 'a=1'), 'ARGS|REQUEST_BODY', [['REQUEST_BODY', 'a=1']]],
    [
      'no Content-Type',
      request({ method: 'POST', bodyText: 'x' }),
      'REQBODY_PROCESSOR|REQUEST_BODY_LENGTH',
      [['REQUEST_BODY_LENGTH', '1']],
    ],
  ];
  for (const [what, req, sel, want] of cases) {
    await t.test(what, () => assert.deepEqual(phase2('', req, sel).vals, want));
  }
});

test('malformed bodies set REQBODY_ERROR and never throw', async (t) => {
  const cases: [string, WafRequest, RegExp][] = [
    ['JSON', post('application/json', '{"a":'), /JSON/],
    ['XML', post('application/xml', '<a><b></a>'), /XML/],
    [
      'multipart without final boundary',
      post('multipart/form-data; boundary=b0', '--b0\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'),
      /Multipart/,
    ],
    ['multipart without boundary', post('multipart/form-data', 'x'), /boundary/],
  ];
  for (const [what, req, msg] of cases) {
    await t.test(what, () => {
      const { vals } = phase2('', req, 'REQBODY_ERROR|REQBODY_ERROR_MSG');
      assert.equal(vals[0]?.[1], '1');
      assert.match(vals[1]?.[1] ?? '', msg);
    });
  }
});

test('body limits', async (t) => {
  const big = post('application/x-www-form-urlencoded', `a=${'x'.repeat(200)}`);
  await t.test('Reject answers 413', () => {
    const { it } = phase2('SecRequestBodyLimit 100', big, 'ARGS');
    assert.deepEqual(it, { action: 'deny', status: 413, ruleId: 0 });
  });
  await t.test('the no-files limit applies to bodies without files', () => {
    const { it } = phase2('SecRequestBodyNoFilesLimit 100', big, 'ARGS');
    assert.equal(it?.status, 413);
  });
  await t.test('ProcessPartial inspects the first bytes', () => {
    const { it, vals, tx } = phase2('SecRequestBodyLimit 100\nSecRequestBodyLimitAction ProcessPartial', big, 'ARGS');
    assert.equal(it, undefined);
    assert.equal(vals[0]?.[1]?.length, 98);
    assert.equal(tx.state.scalar('INBOUND_DATA_ERROR'), '1');
  });
  await t.test('DetectionOnly never rejects', () => {
    const e = engine(
      'SecRuleEngine DetectionOnly\nSecRequestBodyAccess On\nSecRequestBodyLimit 100\nSecRule ARGS:a "@rx x" "id:1,phase:2,pass"',
    );
    const tx = e.newTransaction();
    tx.processRequestHeaders(big);
    assert.equal(tx.processRequestBody(), undefined);
    assert.deepEqual(
      tx.matchedRules.map((m) => m.id),
      [1],
    );
  });
  await t.test('SecRequestBodyAccess Off leaves the body alone', () => {
    const e = engine('SecRuleEngine On\nSecRequestBodyAccess Off\nSecRule ARGS|REQUEST_BODY "@rx x" "id:1,phase:2,pass"');
    const tx = e.newTransaction();
    tx.processRequestHeaders(big);
    tx.processRequestBody();
    assert.deepEqual(tx.matchedRules, []);
  });
});

test('XML body processor selected by ctl for CRS-style rules', () => {
  const text = `SecRule REQUEST_HEADERS:Content-Type "@rx (?:application|text)/xml" "id:200000,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=XML"
SecRule XML:/* "@rx alert" "id:2,phase:2,pass"`;
  const { tx } = phase2(text, post('Application/XML', '<r><a>alert(1)</a></r>'), 'XML://@*');
  assert.deepEqual(
    tx.matchedRules.map((m) => m.id),
    [2],
  );
});

test('REQUEST_BODY holds the raw body for URLENCODED or unparsed bodies, or when forced', async (t) => {
  const cases: [string, WafRequest, string, string | undefined][] = [
    ['urlencoded', post('application/x-www-form-urlencoded', 'a=1'), '', 'a=1'],
    ['no processor', post('text/plain', 'hello'), '', 'hello'],
    ['JSON parsed into ARGS: not set', post('application/json', '{"a":1}'), '', undefined],
    [
      'JSON with forceRequestBodyVariable',
      post('application/json', '{"a":1}'),
      'SecAction "id:1,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"',
      '{"a":1}',
    ],
  ];
  for (const [what, req, pre, want] of cases) {
    await t.test(what, () =>
      assert.deepEqual(phase2(pre, req, 'REQUEST_BODY').vals, want === undefined ? [] : [['REQUEST_BODY', want]]),
    );
  }
});
