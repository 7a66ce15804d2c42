// Loading from files: Include trees and globs, data files of operators, and their errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OperatorError, registerOperator } from '../operators/registry.js';
import type { Rule, RuleSet } from '../rule.js';
import { SecLangError } from './errors.js';
import { loadRuleSet } from './loader.js';

const rule = (rs: RuleSet, id: number): Rule => {
  const r = rs.byId.get(id);
  assert.ok(r, `rule ${id} is loaded`);
  return r;
};
const ids = (rules: Rule[]) => rules.map((r) => r.actions.id ?? r.marker);

const tmp = mkdtempSync(join(tmpdir(), 'seclang-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

test('loader: Include is relative to the including file; globs are sorted', () => {
  write(
    'conf/main.conf',
    'SecRuleEngine DetectionOnly\nInclude rules/*.conf\nInclude extra/one.conf\nIncludeOptional none/*.conf\n',
  );
  write('conf/rules/b.conf', 'SecRule ARGS "b" "id:2"\n');
  write('conf/rules/a.conf', 'SecRule ARGS "a" "id:1"\nInclude ../nested/n.conf\n');
  write('conf/rules/c.conf.example', 'SecRule ARGS "c" "id:99"\n');
  write('conf/rules/.hidden.conf', 'SecRule ARGS "h" "id:98"\n');
  write('conf/nested/n.conf', 'SecRule ARGS "n" "id:3"\n');
  write('conf/extra/one.conf', 'SecRule ARGS "o" "id:4"\n');
  const rs = loadRuleSet({ files: [join(tmp, 'conf/main.conf')] }, { compileOperators: false });
  assert.deepEqual(ids(rs.phases[2] ?? []), [1, 3, 2, 4]);
  assert.deepEqual(
    rs.files.map((f) => f.slice(tmp.length + 1)),
    ['conf/main.conf', 'conf/rules/a.conf', 'conf/nested/n.conf', 'conf/rules/b.conf', 'conf/extra/one.conf'],
  );
  assert.equal(rs.settings.ruleEngine, 'DetectionOnly');
  assert.equal(rule(rs, 3).loc.file, join(tmp, 'conf/nested/n.conf'));

  // Entry paths may be globs and relative to baseDir; locations keep the written form.
  const rel = loadRuleSet({ files: ['conf/rules/*.conf'] }, { compileOperators: false, baseDir: tmp });
  assert.deepEqual(rel.files, ['conf/rules/a.conf', 'conf/nested/n.conf', 'conf/rules/b.conf']);
  assert.equal(rule(rel, 2).loc.file, 'conf/rules/b.conf');

  // A directory includes every file under it, sorted.
  write('dir/x/2.conf', 'SecRule ARGS "x" "id:12"\n');
  write('dir/1.conf', 'SecRule ARGS "x" "id:11"\n');
  write('dir/main.conf', 'Include d\n');
  write('dir/d/z.conf', 'SecRule ARGS "x" "id:13"\n');
  write('dir/d/sub/y.conf', 'SecRule ARGS "x" "id:14"\n');
  assert.deepEqual(ids(loadRuleSet({ files: [join(tmp, 'dir/main.conf')] }).phases[2] ?? []), [14, 13]);
});

test('loader: Include problems', () => {
  write('bad/main.conf', '\nInclude missing.conf\nInclude nothing/*.conf\nInclude sub.conf\n');
  write('bad/sub.conf', 'SecRule ARGS "x" "id:1"\nSecRuleEngine Sometimes\nInclude main.conf\n');
  let err: unknown;
  try {
    loadRuleSet({ files: [join(tmp, 'bad/main.conf'), join(tmp, 'bad/absent.conf')] });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SecLangError);
  const main = join(tmp, 'bad/main.conf');
  const sub = join(tmp, 'bad/sub.conf');
  assert.deepEqual(
    err.issues.map((i) => [i.file, i.line, i.message.replace(tmp, '<tmp>')]),
    [
      [main, 2, `cannot read <tmp>/bad/missing.conf: ENOENT`],
      [main, 3, 'Include: no files match nothing/*.conf'],
      [sub, 2, "SecRuleEngine takes On|Off|DetectionOnly, got 'Sometimes'"],
      [sub, 3, `Include cycle: <tmp>/bad/main.conf is already being loaded`],
      [join(tmp, 'bad/absent.conf'), 0, `cannot read <tmp>/bad/absent.conf: ENOENT`],
    ],
  );
});

// A probe operator for the loader's compile step: its parameter names a data file that create() reads.
registerOperator({
  name: 'seclangLoaderProbe',
  create(param, opts) {
    if (param === 'bad') throw new OperatorError('bad parameter');
    const words = new Set(opts.readFile(param).split('\n'));
    return { evaluate: (_ctx, value) => words.has(value) };
  },
});

test('loader: operators compile at load time; data files are read next to the rule file', () => {
  write('ops/rules/r.conf', 'SecRule ARGS "@seclangLoaderProbe words.data" "id:1"\n');
  write('ops/rules/words.data', 'alpha\nbeta\n');
  const rs = loadRuleSet({ files: [join(tmp, 'ops/rules/r.conf')] });
  const op = rule(rs, 1).operator;
  assert.equal(op?.name, 'seclangLoaderProbe');
  const ctx = { capturing: false, capture() {}, expand: (t: string) => t };
  assert.equal(op?.compiled?.evaluate(ctx, 'beta'), true);
  assert.equal(op?.compiled?.evaluate(ctx, 'gamma'), false);
  assert.equal(
    loadRuleSet({ files: [join(tmp, 'ops/rules/r.conf')] }, { compileOperators: false }).byId.get(1)?.operator?.compiled,
    undefined,
  );

  write(
    'ops/bad.conf',
    [
      'SecRule ARGS "@seclangLoaderProbe bad" "id:1"',
      'SecRule ARGS \\',
      '  "@seclangLoaderProbe missing.data" "id:2"',
      'SecRule ARGS "@seclangLoaderProbe https://example.invalid/list" "id:3"',
    ].join('\n'),
  );
  let err: unknown;
  try {
    loadRuleSet({ files: [join(tmp, 'ops/bad.conf')] });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SecLangError);
  assert.deepEqual(
    err.issues.map((i) => [i.line, i.message.replace(tmp, '<tmp>')]),
    [
      [1, '@seclangLoaderProbe: bad parameter'],
      [3, '@seclangLoaderProbe: cannot read data file <tmp>/ops/missing.data: ENOENT'],
      [4, '@seclangLoaderProbe: remote data files are not supported: https://example.invalid/list'],
    ],
  );
});
