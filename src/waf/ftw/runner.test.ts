// The runner end to end on a small rule set through the real loader and engine: request bytes,
// server behaviour, backend, log lines and every kind of expectation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WafEngine } from '../index.js';
import { loadRuleSet } from '../seclang/index.js';
import { parseFtwFile } from './load.js';
import { FtwRunner, type TestResult } from './runner.js';
import { loadOperatorTable } from './setup.js';

await loadOperatorTable();

const RULES = `SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html
SecRule ARGS "@rx attack" "id:1001,phase:2,log,pass,capture,msg:'attack in args',logdata:'Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}'"
SecRule REQUEST_HEADERS:User-Agent "@rx scanner" "id:1002,phase:1,log,pass,msg:'scanner'"
SecRule REQUEST_PROTOCOL "!@rx ^HTTP/1\\.[01]$" "id:1003,phase:1,log,pass,msg:'odd protocol'"
SecRule RESPONSE_BODY "@rx leaked-secret" "id:1004,phase:4,log,pass,msg:'leak'"
SecRule ARGS:q "@rx quiet" "id:1005,phase:2,nolog,pass"
SecRule REQUEST_METHOD "@rx ^DELETE$" "id:1006,phase:1,log,deny,status:403,msg:'no deletes'"
`;

function runner(mode = 'DetectionOnly'): FtwRunner {
  const rs = loadRuleSet({ text: RULES.replace('DetectionOnly', mode), file: 'test.conf' });
  return new FtwRunner(new WafEngine(rs), rs);
}

const detection = runner();
const blocking = runner('On');

/** One test from the stage YAML given (input and output indented under `- input:`). */
function run(stageYaml: string, r = detection): TestResult {
  const file = parseFtwFile(`rule_id: 1001\ntests:\n  - test_id: 1\n    stages:\n${stageYaml}`, 't.yaml');
  return r.runTest(file.tests[0]!);
}

const stage = (input: string, output: string) =>
  `      - input:\n${input
    .trim()
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n')}\n        output:\n${output
    .trim()
    .split('\n')
    .map((l) => `          ${l}`)
    .join('\n')}\n`;

const GET = (uri: string, extra = '') => `method: GET\nuri: "${uri}"\nheaders:\n  Host: localhost\n  User-Agent: agent${extra}`;

test('expectations about logged rule ids', async (t) => {
  const cases: [string, string, string, boolean, RegExp?][] = [
    ['expect_ids present', GET('/?x=attack'), 'log:\n  expect_ids: [1001]', true],
    ['expect_ids missing', GET('/?x=fine'), 'log:\n  expect_ids: [1001]', false, /expected rule 1001 not logged/],
    ['no_expect_ids absent', GET('/?x=fine'), 'log:\n  no_expect_ids: [1001]', true],
    ['no_expect_ids present', GET('/?x=attack'), 'log:\n  no_expect_ids: [1001]', false, /rule 1001 logged but must not be/],
    ['a nolog rule is not in the log', GET('/?q=quiet'), 'log:\n  no_expect_ids: [1005]', true],
    [
      'an id not in the rule set is named',
      GET('/'),
      'log:\n  expect_ids: [4242]',
      false,
      /4242 not logged \(no such rule loaded\)/,
    ],
    [
      'match_regex against [data]',
      GET('/?x=attack'),
      "log:\n  match_regex: 'Matched Data: attack found within ARGS:x: attack'",
      true,
    ],
    [
      'match_regex that does not match',
      GET('/?x=attack'),
      "log:\n  match_regex: 'found within ARGS:y'",
      false,
      /no log line matches/,
    ],
    ['no_match_regex on a clean request', GET('/'), 'log:\n  no_match_regex: \\[id "\\d+"\\]', true],
    ['no_match_regex hit', GET('/', '\n  X: 1\n  User-Agent: scanner'), 'log:\n  no_match_regex: \\[id "\\d+"\\]', false],
    ['isolated with one rule', GET('/?x=attack'), 'isolated: true\nlog:\n  expect_ids: [1001]', true],
    [
      'isolated with two rules',
      GET('/?x=attack', '\n  X: 1\n  User-Agent: scanner'),
      'isolated: true\nlog:\n  expect_ids: [1001]',
      false,
      /isolated/,
    ],
    ['isolated needs exactly one expect id', GET('/'), 'isolated: true\nlog:\n  expect_ids: [1, 2]', false, /isolated/],
    [
      'a Go-only regexp construct is reported',
      GET('/'),
      "log:\n  match_regex: 'a(?i:b)'",
      false,
      /match_regex: inline flag groups/,
    ],
  ];
  for (const [what, input, output, pass, why] of cases) {
    await t.test(what, () => {
      // YAML maps cannot repeat a key: the second User-Agent above replaces the first.
      const r = run(stage(input.replace(/\n {2}User-Agent: agent(?=[\s\S]*User-Agent)/, ''), output));
      assert.equal(r.pass, pass, JSON.stringify(r.stages[0]?.failures));
      if (why) assert.match(r.stages[0]?.failures.join('\n') ?? '', why);
    });
  }
});

test('request bodies reach the WAF as go-ftw encodes them', () => {
  const r = run(
    stage(`method: POST\nuri: /post\nheaders:\n  Host: localhost\ndata: "x=an attack"`, 'log:\n  expect_ids: [1001]'),
  );
  assert.ok(r.pass, JSON.stringify(r.stages[0]?.failures));
  assert.match(
    r.stages[0]?.logLines[0] ?? '',
    /\[data "Matched Data: attack found within ARGS_POST:x: an attack"\]|found within ARGS:x/,
  );
});

test('status: what the server, the WAF or the backend answered', async (t) => {
  const cases: [string, string, string, boolean][] = [
    ['backend 200', GET('/'), 'status: 200', true],
    ['a request the server refuses gets its 400', 'method: GET\nuri: /\nversion: HTTP/1.1', 'status: 400', true],
    ['... and never reaches the WAF', 'method: GET\nuri: /?x=attack', 'log:\n  expect_ids: [1001]', false],
    ['an invalid version is a 400', `${GET('/')}\nversion: JUNK/1.0`, 'status: 400', true],
    ['HTTP/4.0 reaches the WAF', `${GET('/')}\nversion: HTTP/4.0`, 'log:\n  expect_ids: [1003]', true],
    [
      'DetectionOnly does not block',
      'method: DELETE\nuri: /\nheaders:\n  Host: a',
      'status: 200\nlog:\n  expect_ids: [1006]',
      true,
    ],
    ['a status that differs fails', GET('/'), 'status: 403', false],
  ];
  for (const [what, input, output, pass] of cases) {
    await t.test(what, () => {
      const r = run(stage(input, output));
      assert.equal(r.pass, pass, JSON.stringify(r.stages[0]));
    });
  }
  await t.test('SecRuleEngine On: the deny status and an "Access denied" line', () => {
    const r = run(stage('method: DELETE\nuri: /\nheaders:\n  Host: a', 'status: 403\nlog:\n  expect_ids: [1006]'), blocking);
    assert.ok(r.pass, JSON.stringify(r.stages[0]?.failures));
    assert.match(r.stages[0]?.logLines[0] ?? '', /Access denied with code 403 \(phase 1\)/);
  });
});

test('expect_error: the client gets no HTTP response', async (t) => {
  const cases: [string, string, string, boolean][] = [
    ['HTTP/0.9 answer, error expected', `${GET('/')}\nversion: ""`, 'expect_error: true', true],
    ['HTTP/0.9 answer, no error expected', `${GET('/')}\nversion: ""`, 'status: 200', false],
    ['error expected, none came', GET('/'), 'expect_error: true', false],
    [
      'a body shorter than its Content-Length leaves the server waiting',
      'method: POST\nuri: /\nheaders:\n  Host: a\n  Content-Length: "50"\ndata: "x=1"\nautocomplete_headers: false',
      'expect_error: true',
      true,
    ],
  ];
  for (const [what, input, output, pass] of cases) {
    await t.test(what, () => assert.equal(run(stage(input, output)).pass, pass));
  }
});

test('response phases see the backend answer', async (t) => {
  const reflect = (spec: string) =>
    `method: POST\nuri: /reflect\nheaders:\n  Host: localhost\n  Content-Type: application/json\ndata: '${spec}'`;
  await t.test('a reflected body is inspected in phase 4', () => {
    const r = run(stage(reflect('{"body": "<html>leaked-secret</html>"}'), 'log:\n  expect_ids: [1004]'));
    assert.ok(r.pass, JSON.stringify(r.stages[0]?.failures));
  });
  await t.test('a body of a type outside SecResponseBodyMimeType is not', () => {
    const r = run(
      stage(
        reflect('{"body": "leaked-secret", "headers": {"Content-Type": "application/pdf"}}'),
        'log:\n  no_expect_ids: [1004]',
      ),
    );
    assert.ok(r.pass, JSON.stringify(r.stages[0]?.failures));
  });
  await t.test('status and response_contains come from the reflected response', () => {
    const r = run(
      stage(reflect('{"status": 418, "body": "short and stout"}'), 'status: 418\nresponse_contains: "(?i)SHORT and"'),
    );
    assert.ok(r.pass, JSON.stringify(r.stages[0]?.failures));
    assert.equal(run(stage(reflect('{"body": "x"}'), 'response_contains: "nothere"')).pass, false);
  });
});

test('uris runs the stage once per URI; a test passes only when all stages do', () => {
  const r = run(stage('uris: ["/?x=attack", "/?x=fine"]\nheaders:\n  Host: a', 'log:\n  expect_ids: [1001]'));
  assert.equal(r.stages.length, 2);
  assert.deepEqual(
    r.stages.map((s) => s.pass),
    [true, false],
  );
  assert.equal(r.pass, false);
});

test('bad test input fails the stage with the reason', () => {
  const r = run(stage('encoded_request: "%%%"', 'status: 200'));
  assert.equal(r.pass, false);
  assert.match(r.stages[0]?.failures[0] ?? '', /bad test input: encoded_request: invalid base64/);
});
