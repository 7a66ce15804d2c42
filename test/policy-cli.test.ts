// `shieldx policy eval|test|check|fmt` as users run it: the built CLI in a child process, on the
// fixtures in test/fixtures/policy (run from that directory so printed paths are short).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../src/testing/services.js';

const MAIN = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const FIXTURES = path.join(repoRoot(), 'test', 'fixtures', 'policy');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function policy(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'policy', ...args], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shieldx policy ${args.join(' ')} did not exit in 30s`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** No error output may carry a JavaScript stack trace. */
function noStack(r: Run): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, r.stderr);
  assert.doesNotMatch(r.stdout, /\n\s+at .+:\d+:\d+\)?\n/, r.stdout);
}

const DURATION = String.raw`\((\d+(\.\d+)?(ns|µs|ms|s))\)`;

describe('policy test', () => {
  test('failures are listed with file:row and counted; exit 2', async () => {
    const r = await policy('test', 'authz');
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'authz/policy_test.rego:');
    assert.match(r.stdout, new RegExp(`^data\\.authz_test\\.test_viewer_writes: FAIL ${DURATION}$`, 'm'));
    assert.match(r.stdout, /^ {2}authz\/policy_test\.rego:14: /m);
    assert.match(r.stdout, new RegExp(`^data\\.authz_test\\.test_undefined_rule: FAIL ${DURATION}$`, 'm'));
    assert.match(r.stdout, /^ {2}authz\/policy_test\.rego:24: test is undefined$/m);
    // print() output of a failing test is shown, indented.
    assert.match(r.stdout, /^ {2}checking viewer write$/m);
    // Passing tests are not listed without -v.
    assert.doesNotMatch(r.stdout, /test_admin_allowed/);
    assert.deepEqual(lines.slice(-5), ['-'.repeat(80), 'PASS: 5/8', 'FAIL: 2/8', 'SKIPPED: 1/8', '']);
    noStack(r);
  });

  test('-v prints every test with its outcome and duration', async () => {
    const r = await policy('test', '-v', 'authz');
    assert.equal(r.code, 2);
    for (const [name, outcome] of [
      ['test_admin_allowed', 'PASS'],
      ['test_viewer_reads', 'PASS'],
      ['test_viewer_cannot_write', 'PASS'],
      ['test_users_from_data', 'PASS'],
      ['test_anonymous_denied', 'PASS'],
      ['test_viewer_writes', 'FAIL'],
      ['test_undefined_rule', 'FAIL'],
    ]) {
      assert.match(r.stdout, new RegExp(`^data\\.authz_test\\.${name}: ${outcome} ${DURATION}$`, 'm'), name);
    }
    assert.match(r.stdout, /^data\.authz_test\.todo_test_later: SKIPPED \(0ns\)$/m);
    assert.match(r.stdout, /^FAILURES\n-{80}\n/);
    assert.match(r.stdout, /^SUMMARY\n-{80}\n/m);
  });

  test('--run selects tests by full name', async () => {
    const some = await policy('test', '--run', 'viewer', 'authz');
    assert.equal(some.code, 2);
    assert.match(some.stdout, /PASS: 2\/3\nFAIL: 1\/3\n$/);
    const passing = await policy('test', '--run', String.raw`authz_test\.test_(admin_allowed|viewer_reads)$`, 'authz');
    assert.equal(passing.code, 0, passing.stdout);
    assert.equal(passing.stdout, 'PASS: 2/2\n');
  });

  test('all passing: exit 0, data files and `with data` mocks apply', async () => {
    const r = await policy('test', 'passing');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'PASS: 3/3\n');
  });

  test('--format json gives OPA-shaped results', async () => {
    const r = await policy('test', '--format', 'json', 'authz');
    assert.equal(r.code, 2);
    const results = JSON.parse(r.stdout) as {
      package: string;
      name: string;
      fail?: boolean;
      skip?: boolean;
      duration: number;
      location: { file: string; row: number };
    }[];
    assert.equal(results.length, 8);
    assert.deepEqual(
      results.filter((x) => x.fail).map((x) => x.name),
      ['test_viewer_writes', 'test_undefined_rule'],
    );
    assert.deepEqual(
      results.filter((x) => x.skip).map((x) => x.name),
      ['todo_test_later'],
    );
    for (const x of results) {
      assert.equal(x.package, 'data.authz_test');
      assert.ok(Number.isInteger(x.duration) && x.duration >= 0);
      assert.equal(path.basename(x.location.file), 'policy_test.rego');
    }
    assert.equal(results.find((x) => x.name === 'test_admin_allowed')?.location.row, 5);
  });

  test('--coverage reports covered and not covered lines per file', async () => {
    const r = await policy('test', '--coverage', 'coverage');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as {
      files: Record<
        string,
        { covered: unknown; not_covered: unknown; covered_lines: number; not_covered_lines: number; coverage: number }
      >;
      covered_lines: number;
      not_covered_lines: number;
      coverage: number;
    };
    const files = Object.fromEntries(Object.entries(report.files).map(([f, v]) => [path.basename(f), v]));
    const range = (a: number, b = a) => ({ start: { row: a }, end: { row: b } });
    // cov.rego: the admin rule (head 5, body 6) ran and succeeded; the guest rule's first expression (10)
    // ran and failed, so its head (9) and second expression (11) were never reached; the default (3) was
    // not needed and the function (14) never called.
    assert.deepEqual(files['cov.rego'], {
      covered: [range(5, 6), range(10)],
      not_covered: [range(3), range(9), range(11), range(14)],
      covered_lines: 3,
      not_covered_lines: 4,
      coverage: 42.86,
    });
    assert.deepEqual(files['cov_test.rego'], {
      covered: [range(5)],
      not_covered: [],
      covered_lines: 1,
      not_covered_lines: 0,
      coverage: 100,
    });
    assert.equal(report.covered_lines, 4);
    assert.equal(report.not_covered_lines, 4);
    assert.equal(report.coverage, 50);
  });

  test('an evaluation error is an ERROR result (exit 2)', async () => {
    const r = await policy('test', 'errors');
    assert.equal(r.code, 2);
    assert.match(r.stdout, new RegExp(`^data\\.errs\\.test_conflict: ERROR ${DURATION}$`, 'm'));
    assert.match(r.stdout, /eval_conflict_error/);
    assert.match(r.stdout, /PASS: 1\/2\nERROR: 1\/2\n$/);
  });

  test('bad input: parse error, bad data file, missing path → exit 1 with the file named', async () => {
    const syntax = await policy('test', 'bad-syntax');
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /^bad-syntax\/broken\.rego:5:1: rego_parse_error: /m);
    noStack(syntax);
    const data = await policy('test', 'bad-data');
    assert.equal(data.code, 1);
    assert.match(data.stderr, /bad-data\/data\.json: invalid JSON/);
    noStack(data);
    const missing = await policy('test', 'no-such-dir');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-dir: no such file or directory/);
    noStack(missing);
  });
});

describe('policy eval', () => {
  test('prints OPA’s result shape', async () => {
    const r = await policy('eval', '-d', 'authz', '-i', 'input.json', 'data.authz.allow');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      result: [{ expressions: [{ value: true, text: 'data.authz.allow', location: { row: 1, col: 1 } }] }],
    });
  });

  test('false is a value; undefined prints {}', async () => {
    const f = await policy('eval', '-d', 'authz', 'data.authz.allow');
    assert.deepEqual(JSON.parse(f.stdout).result[0].expressions[0].value, false);
    const u = await policy('eval', '-d', 'authz', 'data.authz.nothing');
    assert.equal(u.code, 0);
    assert.deepEqual(JSON.parse(u.stdout), {});
    const cmp = await policy('eval', '1 > 2');
    assert.deepEqual(JSON.parse(cmp.stdout).result[0].expressions[0].value, false);
    const both = await policy('eval', '1 < 2; 1 > 2');
    assert.deepEqual(JSON.parse(both.stdout), {});
  });

  test('bindings, nested data files, several expressions', async () => {
    const r = await policy('eval', '-d', 'authz', 'some name; x := data.users[name].role; x != "viewer"');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { result: { expressions: { value: unknown; text: string }[]; bindings: unknown }[] };
    assert.equal(out.result.length, 1);
    assert.deepEqual(out.result[0]?.bindings, { name: 'alice', x: 'editor' });
    assert.deepEqual(
      out.result[0]?.expressions.map((e) => [e.text, e.value]),
      [
        ['some name', true],
        ['x := data.users[name].role', true],
        ['x != "viewer"', true],
      ],
    );
  });

  test('--format pretty', async () => {
    const r = await policy('eval', '--format', 'pretty', '-d', 'authz', '-i', 'input.json', 'data.authz.decision');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{\n  "allow": true,\n  "deny": []\n}\n');
    const u = await policy('eval', '--format', 'pretty', 'data.nothing');
    assert.equal(u.stdout, 'undefined\n');
  });

  test('bad input names the file', async () => {
    const input = await policy('eval', '-d', 'authz', '-i', 'authz/../bad-data/data.json', 'data.authz.allow');
    assert.equal(input.code, 1);
    assert.match(input.stderr, /bad-data\/data\.json: invalid JSON/);
    const query = await policy('eval', 'data.x[');
    assert.equal(query.code, 1);
    assert.match(query.stderr, /rego_parse_error/);
    noStack(input);
    noStack(query);
  });
});

describe('policy check', () => {
  test('clean files: exit 0, no output', async () => {
    const r = await policy('check', 'check/good.rego', 'authz');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
  });

  test('errors as file:row:col: code: message, exit 1', async () => {
    const unsafe = await policy('check', path.join('check', 'unsafe.rego'));
    assert.equal(unsafe.code, 1);
    assert.equal(unsafe.stderr, 'check/unsafe.rego:4:2: rego_unsafe_var_error: var x is unsafe\n');
    const types = await policy('check', path.join('check', 'types.rego'));
    assert.equal(types.code, 1);
    assert.match(types.stderr, /^check\/types\.rego:3:\d+: rego_type_error: undefined function no_such_function$/m);
    const dir = await policy('check', 'check');
    assert.equal(dir.code, 1);
    for (const l of dir.stderr.trim().split('\n')) assert.match(l, /^check\/(unsafe|types)\.rego:\d+:\d+: rego_\w+_error: .+/, l);
    const syntax = await policy('check', 'bad-syntax');
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /^bad-syntax\/broken\.rego:5:1: rego_parse_error: /m);
    noStack(unsafe);
    noStack(types);
  });
});

describe('policy fmt', () => {
  const messy = path.join('fmt', '12_messy.rego');

  test('prints the formatted file', async () => {
    const r = await policy('fmt', messy);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, readFileSync(path.join(FIXTURES, 'fmt', '12_messy.rego.formatted'), 'utf8'));
  });

  test('--list and --diff: exit 1 when a file would change', async () => {
    const list = await policy('fmt', '--list', 'fmt');
    assert.equal(list.code, 1);
    const listed = list.stdout.trim().split('\n');
    assert.ok(listed.includes(messy));
    assert.ok(!listed.includes(path.join('fmt', '03_metadata.rego')), 'an already formatted file is not listed');
    const clean = await policy('fmt', '--list', path.join('fmt', '03_metadata.rego'));
    assert.equal(clean.code, 0);
    assert.equal(clean.stdout, '');
    const diff = await policy('fmt', '--diff', messy);
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /^--- fmt\/12_messy\.rego\n\+\+\+ fmt\/12_messy\.rego \(formatted\)\n@@ -1,\d+ \+1,\d+ @@\n/);
    assert.match(diff.stdout, /^-p\[x\]=y if\{y=x$/m);
    assert.match(diff.stdout, /^\+p\[x\] = y if \{$/m);
  });

  test('-w rewrites in place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shieldx-fmt-'));
    try {
      const file = path.join(dir, 'messy.rego');
      copyFileSync(path.join(FIXTURES, messy), file);
      const w = await policy('fmt', '-w', file);
      assert.equal(w.code, 0, w.stderr);
      assert.equal(readFileSync(file, 'utf8'), readFileSync(path.join(FIXTURES, 'fmt', '12_messy.rego.formatted'), 'utf8'));
      const again = await policy('fmt', '--list', file);
      assert.equal(again.code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('parse errors and missing files: exit 1, file named, no stack', async () => {
    const bad = await policy('fmt', 'bad-syntax');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^bad-syntax\/broken\.rego:5:1: rego_parse_error: /m);
    const missing = await policy('fmt', 'nope.rego');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'shieldx: nope.rego: no such file or directory\n');
    noStack(bad);
  });
});
