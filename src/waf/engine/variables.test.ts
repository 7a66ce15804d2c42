import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine, request } from './test-helpers.js';
import { isKnownVariable } from './variables.js';
import type { WafRequest } from './types.js';

/** The [name, value] pairs a selector yields for `req` in phase 2. */
function values(selector: string, req: WafRequest, pre = ''): [string, string][] {
  const e = engine(`${pre}\nSecRule ${selector} "@unconditionalMatch" "id:999,phase:2,pass,t:none"`);
  const tx = e.newTransaction();
  tx.processRequestHeaders(req);
  tx.processRequestBody();
  return tx.state.matchedVars.entries.map((v) => [v.key, v.value]);
}

const REQ = request({
  method: 'POST',
  uri: '/a%20b/c.php?x=1&y=%3Cs%3E&x=2',
  headers: [
    ['Host', 'Example.com:8080'],
    ['User-Agent', 'test/1.0'],
    ['Cookie', 'a=1; b=2=3;  c'],
    ['X-Dup', 'one'],
    ['x-dup', 'two'],
    ['Content-Type', 'application/x-www-form-urlencoded'],
  ],
  bodyText: 'p=%27or+1&x=3',
});

test('request variables', async (t) => {
  const cases: [string, [string, string][]][] = [
    ['REQUEST_URI', [['REQUEST_URI', '/a b/c.php?x=1&y=<s>&x=2']]],
    ['REQUEST_URI_RAW', [['REQUEST_URI_RAW', '/a%20b/c.php?x=1&y=%3Cs%3E&x=2']]],
    ['REQUEST_FILENAME', [['REQUEST_FILENAME', '/a b/c.php']]],
    ['REQUEST_BASENAME', [['REQUEST_BASENAME', 'c.php']]],
    ['QUERY_STRING', [['QUERY_STRING', 'x=1&y=%3Cs%3E&x=2']]],
    ['REQUEST_LINE', [['REQUEST_LINE', 'POST /a%20b/c.php?x=1&y=%3Cs%3E&x=2 HTTP/1.1']]],
    [
      'REQUEST_METHOD|REQUEST_PROTOCOL',
      [
        ['REQUEST_METHOD', 'POST'],
        ['REQUEST_PROTOCOL', 'HTTP/1.1'],
      ],
    ],
    [
      'ARGS_GET',
      [
        ['ARGS_GET:x', '1'],
        ['ARGS_GET:y', '<s>'],
        ['ARGS_GET:x', '2'],
      ],
    ],
    [
      'ARGS_POST',
      [
        ['ARGS_POST:p', "'or 1"],
        ['ARGS_POST:x', '3'],
      ],
    ],
    [
      'ARGS',
      [
        ['ARGS:x', '1'],
        ['ARGS:y', '<s>'],
        ['ARGS:x', '2'],
        ['ARGS:p', "'or 1"],
        ['ARGS:x', '3'],
      ],
    ],
    [
      'ARGS:X',
      [
        ['ARGS:x', '1'],
        ['ARGS:x', '2'],
        ['ARGS:x', '3'],
      ],
    ],
    [
      'ARGS:/^[py]$/',
      [
        ['ARGS:y', '<s>'],
        ['ARGS:p', "'or 1"],
      ],
    ],
    [
      'ARGS|!ARGS:x',
      [
        ['ARGS:y', '<s>'],
        ['ARGS:p', "'or 1"],
      ],
    ],
    [
      'ARGS|!ARGS:/^x/',
      [
        ['ARGS:y', '<s>'],
        ['ARGS:p', "'or 1"],
      ],
    ],
    [
      'ARGS_NAMES',
      [
        ['ARGS_NAMES:x', 'x'],
        ['ARGS_NAMES:y', 'y'],
        ['ARGS_NAMES:x', 'x'],
        ['ARGS_NAMES:p', 'p'],
        ['ARGS_NAMES:x', 'x'],
      ],
    ],
    ['ARGS_GET_NAMES:y', [['ARGS_GET_NAMES:y', 'y']]],
    ['&ARGS', [['ARGS', '5']]],
    ['&ARGS:x', [['ARGS', '3']]],
    ['&ARGS:nope', [['ARGS', '0']]],
    ['ARGS_COMBINED_SIZE', [['ARGS_COMBINED_SIZE', String(1 + 1 + 1 + 3 + 1 + 1 + 1 + 5 + 1 + 1)]]],
    ['REQUEST_HEADERS:host', [['REQUEST_HEADERS:Host', 'Example.com:8080']]],
    [
      'REQUEST_HEADERS:X-DUP',
      [
        ['REQUEST_HEADERS:X-Dup', 'one'],
        ['REQUEST_HEADERS:x-dup', 'two'],
      ],
    ],
    ['&REQUEST_HEADERS:x-dup', [['REQUEST_HEADERS', '2']]],
    ['REQUEST_HEADERS_NAMES:/^user/', [['REQUEST_HEADERS_NAMES:User-Agent', 'User-Agent']]],
    [
      'REQUEST_COOKIES',
      [
        ['REQUEST_COOKIES:a', '1'],
        ['REQUEST_COOKIES:b', '2=3'],
        ['REQUEST_COOKIES:c', ''],
      ],
    ],
    [
      'REQUEST_COOKIES_NAMES',
      [
        ['REQUEST_COOKIES_NAMES:a', 'a'],
        ['REQUEST_COOKIES_NAMES:b', 'b'],
        ['REQUEST_COOKIES_NAMES:c', 'c'],
      ],
    ],
    [
      'REMOTE_ADDR|REMOTE_PORT',
      [
        ['REMOTE_ADDR', '192.0.2.1'],
        ['REMOTE_PORT', '40000'],
      ],
    ],
    [
      'SERVER_NAME|SERVER_ADDR|SERVER_PORT',
      [
        ['SERVER_NAME', 'Example.com'],
        ['SERVER_ADDR', '192.0.2.10'],
        ['SERVER_PORT', '80'],
      ],
    ],
    ['REQUEST_BODY', [['REQUEST_BODY', 'p=%27or+1&x=3']]],
    ['REQUEST_BODY_LENGTH', [['REQUEST_BODY_LENGTH', '13']]],
    [
      'REQBODY_PROCESSOR|REQBODY_ERROR',
      [
        ['REQBODY_PROCESSOR', 'URLENCODED'],
        ['REQBODY_ERROR', '0'],
      ],
    ],
    ['FILES|XML:/*|RESPONSE_STATUS|MULTIPART_STRICT_ERROR', []],
    ['TX', []],
  ];
  for (const [sel, want] of cases) {
    await t.test(sel, () => assert.deepEqual(values(sel, REQ), want));
  }
});

test('absolute-form and odd request targets', async (t) => {
  const cases: [string, string, [string, string][]][] = [
    [
      'http://h.example:80/p/q.txt?a=1',
      'REQUEST_URI|REQUEST_FILENAME|REQUEST_BASENAME|ARGS',
      [
        ['REQUEST_URI', '/p/q.txt?a=1'],
        ['REQUEST_FILENAME', '/p/q.txt'],
        ['REQUEST_BASENAME', 'q.txt'],
        ['ARGS:a', '1'],
      ],
    ],
    [
      '*',
      'REQUEST_URI|REQUEST_FILENAME|QUERY_STRING',
      [
        ['REQUEST_URI', '*'],
        ['REQUEST_FILENAME', '*'],
        ['QUERY_STRING', ''],
      ],
    ],
    ['/dir/', 'REQUEST_BASENAME', [['REQUEST_BASENAME', '']]],
    ['/a\\b.asp', 'REQUEST_BASENAME', [['REQUEST_BASENAME', 'b.asp']]],
    [
      '/%2e%2e/x?#frag',
      'REQUEST_FILENAME|QUERY_STRING',
      [
        ['REQUEST_FILENAME', '/../x'],
        ['QUERY_STRING', '#frag'],
      ],
    ],
  ];
  for (const [uri, sel, want] of cases) {
    await t.test(uri, () => assert.deepEqual(values(sel, request({ uri })), want));
  }
});

test('TX selection by name and regex, case-insensitive', () => {
  const pre = `SecAction "id:1,phase:1,pass,setvar:tx.Foo_1=a,setvar:tx.foo_2=b,setvar:tx.bar=c"`;
  assert.deepEqual(values('TX:/^FOO_/', request(), pre), [
    ['TX:Foo_1', 'a'],
    ['TX:foo_2', 'b'],
  ]);
  assert.deepEqual(values('TX:FOO_1', request(), pre), [['TX:Foo_1', 'a']]);
  assert.deepEqual(values('&TX:bar|&TX:baz', request(), pre), [
    ['TX', '1'],
    ['TX', '0'],
  ]);
});

test('argument limit bounds ARGS', () => {
  const uri = `/?${Array.from({ length: 50 }, (_, i) => `a${i}=${i}`).join('&')}`;
  const e = engine('SecArgumentsLimit 10\nSecRule &ARGS "@eq 10" "id:1,phase:1,pass"');
  const tx = e.newTransaction();
  tx.processRequestHeaders(request({ uri }));
  assert.deepEqual(
    tx.matchedRules.map((m) => m.id),
    [1],
  );
  assert.equal(tx.state.scalar('INBOUND_DATA_ERROR'), '1');
});

test('every variable of the brief is filled by the engine', () => {
  const names = `ARGS ARGS_GET ARGS_POST ARGS_NAMES ARGS_GET_NAMES ARGS_POST_NAMES ARGS_COMBINED_SIZE REQUEST_HEADERS
    REQUEST_HEADERS_NAMES REQUEST_COOKIES REQUEST_COOKIES_NAMES REQUEST_URI REQUEST_URI_RAW REQUEST_FILENAME
    REQUEST_BASENAME REQUEST_LINE REQUEST_METHOD REQUEST_PROTOCOL QUERY_STRING REQUEST_BODY REQUEST_BODY_LENGTH FILES
    FILES_NAMES FILES_SIZES FILES_COMBINED_SIZE FILES_TMP_CONTENT MULTIPART_STRICT_ERROR MULTIPART_UNMATCHED_BOUNDARY
    MULTIPART_BOUNDARY_QUOTED MULTIPART_BOUNDARY_WHITESPACE MULTIPART_DATA_BEFORE MULTIPART_DATA_AFTER
    MULTIPART_HEADER_FOLDING MULTIPART_LF_LINE MULTIPART_MISSING_SEMICOLON MULTIPART_INVALID_QUOTING
    MULTIPART_INVALID_PART MULTIPART_INVALID_HEADER_FOLDING MULTIPART_FILE_LIMIT_EXCEEDED MULTIPART_PART_HEADERS
    MULTIPART_FILENAME MULTIPART_NAME XML RESPONSE_STATUS RESPONSE_HEADERS RESPONSE_HEADERS_NAMES RESPONSE_BODY
    RESPONSE_CONTENT_TYPE RESPONSE_CONTENT_LENGTH RESPONSE_PROTOCOL TX UNIQUE_ID MATCHED_VAR MATCHED_VARS
    MATCHED_VAR_NAME MATCHED_VARS_NAMES REMOTE_ADDR REMOTE_PORT SERVER_NAME SERVER_ADDR SERVER_PORT REQBODY_ERROR
    REQBODY_ERROR_MSG REQBODY_PROCESSOR REQBODY_PROCESSOR_ERROR INBOUND_DATA_ERROR OUTBOUND_DATA_ERROR FULL_REQUEST
    FULL_REQUEST_LENGTH DURATION TIME TIME_EPOCH TIME_DAY TIME_HOUR TIME_MIN TIME_MON TIME_SEC TIME_WDAY TIME_YEAR
    HIGHEST_SEVERITY STATUS_LINE AUTH_TYPE PATH_INFO ENV GEO USERID SESSION IP USER GLOBAL RESOURCE`.split(/\s+/);
  assert.deepEqual(
    names.filter((n) => !isKnownVariable(n)),
    [],
  );
});

test('time, duration and other plain variables', () => {
  const now = Date.UTC(2024, 1, 29, 13, 5, 9);
  const e = engine(
    'SecRule TIME_YEAR|TIME_EPOCH|DURATION|AUTH_TYPE|REMOTE_USER|FULL_REQUEST_LENGTH "@unconditionalMatch" "id:1,phase:1,pass"',
    {
      now: () => now,
    },
  );
  const tx = e.newTransaction();
  tx.processRequestHeaders(request({ headers: [['Authorization', 'Basic dXNlcjpwdw==']] }));
  assert.deepEqual(
    tx.state.matchedVars.entries.map((v) => [v.key, v.value]),
    [
      ['TIME_YEAR', '2024'],
      ['TIME_EPOCH', String(now / 1000)],
      ['DURATION', '0'],
      ['AUTH_TYPE', 'Basic'],
      ['REMOTE_USER', 'user'],
      ['FULL_REQUEST_LENGTH', String('GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwdw==\r\n\r\n'.length)],
    ],
  );
});
