// Arbitrary requests never make the engine throw, and every phase completes.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { engine } from './test-helpers.js';
import type { WafRequest } from './types.js';

const RULES = `SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecArgumentsLimit 50
SecRule REQUEST_HEADERS:Content-Type "@rx xml" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule ARGS|ARGS_NAMES|REQUEST_COOKIES|REQUEST_COOKIES_NAMES|REQUEST_HEADERS|XML:/*|XML://@*|FILES|FILES_NAMES|MULTIPART_PART_HEADERS "@rx a" "id:2,phase:2,pass,t:lowercase,t:urlDecodeUni,t:htmlEntityDecode,capture,setvar:tx.n=+1,logdata:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR} %{tx.0}'"
SecRule REQUEST_URI|REQUEST_URI_RAW|REQUEST_FILENAME|REQUEST_BASENAME|QUERY_STRING|REQUEST_LINE|REQUEST_BODY|FULL_REQUEST "@rx ." "id:3,phase:2,pass,multiMatch,t:compressWhitespace"
SecRule REQBODY_ERROR|MULTIPART_STRICT_ERROR|MULTIPART_UNMATCHED_BOUNDARY|&ARGS|ARGS_COMBINED_SIZE|AUTH_TYPE|SERVER_NAME "@rx ." "id:4,phase:2,pass"
SecRule RESPONSE_HEADERS|RESPONSE_BODY|RESPONSE_STATUS "@rx ." "id:5,phase:4,pass"
SecAction "id:6,phase:5,pass,initcol:ip=%{REMOTE_ADDR},setvar:ip.x=+1,expirevar:ip.x=10"
`;

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1'));
const token = fc.stringMatching(/^[!-~]{0,20}$/);
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=XX',
  'multipart/form-data; boundary="a b"',
  'multipart/form-data',
  'application/json',
  'text/xml',
  'text/plain',
  '',
);
const bodyFor = fc.oneof(
  bytes,
  fc.constant('--XX\r\nContent-Disposition: form-data; name="a"; filename="b"\r\n\r\naaa\r\n--XX--\r\n'),
  fc.json().map((j) => Buffer.from(j, 'utf8').toString('latin1')),
  fc.constant('<a x="1"><b>aa</b></a>'),
);
const req = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT'), token),
  uri: fc.oneof(
    bytes,
    fc.webUrl().map((u) => new URL(u).pathname + new URL(u).search),
    fc.constant('*'),
  ),
  protocol: fc.constantFrom('HTTP/1.1', 'HTTP/2.0', '', 'garbage'),
  ct: contentType,
  extra: fc.array(fc.tuple(token, bytes), { maxLength: 8 }),
  body: fc.option(bodyFor),
});

test('no request makes the engine throw', () => {
  const e = engine(RULES);
  fc.assert(
    fc.property(req, (r) => {
      const headers: [string, string][] = [['Host', 'h'], ['Cookie', 'a=1; b'], ...r.extra];
      if (r.ct !== '') headers.push(['Content-Type', r.ct]);
      const request: WafRequest = {
        method: r.method,
        uri: r.uri,
        protocol: r.protocol,
        headers,
        remoteAddr: '192.0.2.7',
        ...(r.body !== null ? { body: Buffer.from(r.body, 'latin1') } : {}),
      };
      const tx = e.newTransaction();
      tx.processRequestHeaders(request);
      tx.processRequestBody();
      tx.processResponseHeaders({ status: 200, headers: r.extra, body: Buffer.from(r.uri, 'latin1') });
      tx.processResponseBody();
      tx.processLogging();
      assert.deepEqual(tx.errors, []);
    }),
    { numRuns: 500 },
  );
});

test('malformed API input is tolerated', () => {
  const e = engine(RULES);
  const tx = e.newTransaction();
  const bad = { method: undefined, uri: null, protocol: 5, headers: [['X', undefined], 'junk'], remoteAddr: '' };
  assert.doesNotThrow(() => {
    tx.processRequestHeaders(bad as unknown as WafRequest);
    tx.processRequestBody();
    tx.processResponseHeaders({ status: 200, headers: undefined } as unknown as Parameters<typeof tx.processResponseHeaders>[0]);
    tx.processResponseBody();
    tx.processLogging();
  });
});
