// The CLI on a made-up CRS directory: per-family counts, --include, --list-passing, the closing
// `N passed, N failed` line and the exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const main = existsSync(join(here, 'main.js')) ? join(here, 'main.js') : join(here, 'main.ts');
// Under tsx (running from source) the loader flags must be passed on.
const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));

const dir = mkdtempSync(join(tmpdir(), 'ftw-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const crs = join(dir, 'crs');
mkdirSync(join(crs, 'rules'), { recursive: true });
mkdirSync(join(crs, 'regression', 'tests', 'A'), { recursive: true });
writeFileSync(
  join(crs, 'crs-setup.conf.example'),
  'SecDefaultAction "phase:1,log,auditlog,pass"\nSecDefaultAction "phase:2,log,auditlog,pass"\n',
);
writeFileSync(
  join(crs, 'rules', 'REQUEST-942-TEST.conf'),
  `SecRule ARGS "@rx attack" "id:942999,phase:2,pass,msg:'attack'"\nSecRule REQUEST_HEADERS:User-Agent "@rx bot" "id:913999,phase:1,pass,msg:'bot'"\n`,
);
const stage = (uri: string, ua: string, expect: string) => `      - input:
          uri: "${uri}"
          headers:
            Host: localhost
            User-Agent: ${ua}
        output:
          log:
            ${expect}
`;
writeFileSync(
  join(crs, 'regression', 'tests', 'A', '942999.yaml'),
  `rule_id: 942999\ntests:\n  - test_id: 1\n    stages:\n${stage('/?a=attack', 'x', 'expect_ids: [942999]')}  - test_id: 2\n    stages:\n${stage('/?a=fine', 'x', 'expect_ids: [942999]')}`,
);
writeFileSync(
  join(crs, 'regression', 'tests', 'A', '913999.yaml'),
  `rule_id: 913999\ntests:\n  - test_id: 1\n    stages:\n${stage('/', 'bot', 'expect_ids: [913999]')}`,
);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [...execArgv, main, '--rules', crs, '--no-overrides', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, lines: r.stdout.trim().split('\n'), err: r.stderr };
}

test('the CLI reports per family and ends with the pass/fail counts', () => {
  const list = join(dir, 'passing.txt');
  const r = cli('--list-passing', list, '--verbose');
  assert.equal(r.code, 1, r.err);
  assert.equal(r.lines.at(-1), '2 passed, 1 failed');
  assert.match(r.out, /^913\s+1\s+0\s+1$/m);
  assert.match(r.out, /^942\s+1\s+1\s+2$/m);
  assert.match(r.out, /FAIL 942999-2 .*\n {2}stage 0: expected rule 942999 not logged/);
  assert.equal(readFileSync(list, 'utf8'), '913999-1\n942999-1\n');
});

test('--include selects tests by go-ftw id; all passing means exit 0', () => {
  const r = cli('--include', '^942999-1$');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.lines.at(-1), '1 passed, 0 failed');
});

test('bad arguments exit 2 with a message', () => {
  const r = cli('--bogus');
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option --bogus/);
});
