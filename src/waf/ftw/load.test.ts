import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FtwLoadError, loadFtwSuite, parseFtwFile } from './load.js';

const DOC = `---
meta:
  author: "someone"
rule_id: 920100
tests:
  - test_id: 3
    desc: two stages
    stages:
      - input:
          dest_addr: 127.0.0.1
          port: 80
          method: POST
          uri: "/post"
          headers:
            User-Agent: "agent"
            Host: localhost
            Keep-Alive: 300
            X-Version: 1.0
          data: "a=\\x41b"
          autocomplete_headers: false
        output:
          status: 403
          response_contains: "ok"
          log:
            expect_ids: [920100, 949110]
            no_expect_ids: [920101]
            match_regex: 'id "920100"'
            no_match_regex: 'id "1"'
          expect_error: true
          isolated: true
      - stage:
          input:
            stop_magic: true
            data:
              - line one
              - line two
          output:
            log_contains: 'id "1"'
            no_log_contains: 'id "2"'
  - stages:
      - input:
          headers:
            - name: B
              value: "1"
            - name: A
              value: "2"
          encoded_request: "R0VUIC8="
        output: {}
`;

test('a test file loads into the model', () => {
  const f = parseFtwFile(DOC, 'x/920100.yaml');
  assert.equal(f.ruleId, 920100);
  assert.equal(f.tests.length, 2);
  const [t1, t2] = f.tests;
  assert.equal(t1?.idString, '920100-3');
  assert.equal(t1?.description, 'two stages');
  const s0 = t1?.stages[0];
  assert.equal(s0?.input.method, 'POST');
  assert.equal(s0?.input.port, 80);
  assert.equal(s0?.input.destAddr, '127.0.0.1');
  // map headers: sorted by name, every scalar kept as the written text
  assert.deepEqual(s0?.input.headers, [
    { name: 'Host', value: 'localhost' },
    { name: 'Keep-Alive', value: '300' },
    { name: 'User-Agent', value: 'agent' },
    { name: 'X-Version', value: '1.0' },
  ]);
  assert.equal(s0?.input.data, 'a=Ab');
  assert.equal(s0?.input.autocompleteHeaders, false);
  assert.deepEqual(s0?.output, {
    status: 403,
    responseContains: 'ok',
    log: { expectIds: [920100, 949110], noExpectIds: [920101], matchRegex: 'id "920100"', noMatchRegex: 'id "1"' },
    expectError: true,
    isolated: true,
  });
  // the older `stage:` wrapper, stop_magic (inverse of autocomplete), list data, log_contains
  const s1 = t1?.stages[1];
  assert.equal(s1?.input.autocompleteHeaders, false);
  assert.equal(s1?.input.data, 'line one\r\nline two');
  assert.equal(s1?.output.log.matchRegex, 'id "1"');
  assert.equal(s1?.output.log.noMatchRegex, 'id "2"');
  // test_id from the position; list headers keep their order; autocomplete defaults to true
  assert.equal(t2?.idString, '920100-2');
  assert.deepEqual(t2?.stages[0]?.input.headers, [
    { name: 'B', value: '1' },
    { name: 'A', value: '2' },
  ]);
  assert.equal(t2?.stages[0]?.input.autocompleteHeaders, true);
  assert.equal(t2?.stages[0]?.input.encodedRequest, 'R0VUIC8=');
  assert.deepEqual(t2?.stages[0]?.output.log, { expectIds: [], noExpectIds: [] });
});

test('rule_id falls back on the file name; an empty document has no tests', () => {
  assert.equal(parseFtwFile('tests: []\n', 'dir/942100.yaml').ruleId, 942100);
  const empty = parseFtwFile('# only comments\n# rule_id: 1\n', 'dir/920539.yaml');
  assert.equal(empty.ruleId, 920539);
  assert.deepEqual(empty.tests, []);
});

test('broken files raise FtwLoadError naming the file and the place', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['invalid YAML', 'tests: [', /f\/1\.yaml: /],
    ['duplicate keys', 'rule_id: 1\nrule_id: 2\n', /unique/],
    ['no rule id anywhere', 'tests: []\n', /rule_id is missing/],
    [
      'a non-numeric expect id',
      'rule_id: 1\ntests:\n  - stages:\n      - input: {}\n        output:\n          log:\n            expect_ids: [abc]\n',
      /tests\[0\]\.stages\[0\]\.output\.log\.expect_ids\[0\]/,
    ],
    [
      'a bad boolean',
      'rule_id: 1\ntests:\n  - stages:\n      - input:\n          autocomplete_headers: maybe\n',
      /autocomplete_headers: not a boolean/,
    ],
    ['stages not a list', 'rule_id: 1\ntests:\n  - stages: x\n', /stages: expected a list/],
  ];
  for (const [what, text, re] of cases) {
    const name = what === 'no rule id anywhere' ? 'f/x.yaml' : 'f/1.yaml';
    await t.test(what, () =>
      assert.throws(
        () => parseFtwFile(text, name),
        (e: unknown) => e instanceof FtwLoadError && re.test(e.message),
      ),
    );
  }
});

test('a directory loads recursively; broken files are reported, not fatal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-load-'));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', '911100.yaml'), 'rule_id: 911100\ntests:\n  - stages: []\n');
    writeFileSync(join(dir, '999999.yml'), 'tests: []\n');
    writeFileSync(join(dir, 'broken.yaml'), 'tests: [\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const { files, errors } = loadFtwSuite(dir);
    assert.deepEqual(
      files.map((f) => f.ruleId),
      [999999, 911100],
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /broken\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
