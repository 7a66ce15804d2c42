// Rule indexing must never change results: random rule sets that test input values are evaluated
// with and without indexes and compared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import '../builtins/index.js';
import { compileModules, type Program } from '../compile/compiler.js';
import { parseModule } from '../parser.js';
import { canonical, fromJSON, type Value } from '../value.js';
import { BuiltinCtx, Ctx, Run } from './frame.js';
import { readData } from './tree.js';

const PATHS = ['input.a', 'input.b', 'input.c.d'];
const VALUES = ['"x"', '"y"', '1', 'true', 'null'];

const GLOBS = ['"/a/*"', '"/a/b"', '"/b/**"', '"*"', '"/a/{b,c}/d"', '"/a/?"', '"/c/[xy]"', '""'];
const cond = fc.oneof(
  fc.record({ path: fc.constantFrom(...PATHS), value: fc.constantFrom(...VALUES), eq: fc.boolean() }),
  fc.record({
    path: fc.constantFrom(...PATHS),
    value: fc.constantFrom(...VALUES),
    eq: fc.constant(false),
    member: fc.constant(true),
  }),
  fc.record({ path: fc.constant('input.p'), value: fc.constantFrom(...GLOBS), eq: fc.constant(false), glob: fc.constant(true) }),
);
const rule = fc.record({
  conds: fc.array(cond, { maxLength: 3 }),
  kind: fc.constantFrom('set', 'obj', 'complete', 'else'),
});

type Cond = { path: string; value: string; eq: boolean; glob?: boolean; member?: boolean };

function source(rules: { conds: Cond[]; kind: string }[]): string {
  let src = 'package t\n';
  rules.forEach((r, i) => {
    const body = r.conds.map((c) =>
      c.glob
        ? `glob.match(${c.value}, ["/"], ${c.path})`
        : c.member
          ? `${c.path} in {${c.value}, "y"}`
          : c.eq
            ? `${c.path} == ${c.value}`
            : `${c.value} = ${c.path}`,
    );
    if (body.length === 0) body.push('true');
    const b = body.join('\n  ');
    if (r.kind === 'set') src += `s contains ${i} if {\n  ${b}\n}\n`;
    else if (r.kind === 'obj') src += `o[${i}] := ${i} if {\n  ${b}\n}\n`;
    else if (r.kind === 'complete') src += `c := true if {\n  ${b}\n}\n`;
    else src += `e := "first" if {\n  ${b}\n} else := "second" if {\n  input.a == "y"\n}\n`;
  });
  return src;
}

const input = fc.record(
  {
    a: fc.constantFrom('x', 'y', 1, true, null, [1]),
    b: fc.constantFrom('x', 'y', 1, true, null),
    c: fc.record({ d: fc.constantFrom('x', 'y', 1, true, null) }, { requiredKeys: [] }),
    p: fc.constantFrom('/a/b', '/a/c', '/a/b/d', '/a/c/d', '/b', '/b/x/y', '/c/x', '', 'x', 7),
  },
  { requiredKeys: [] },
);

function evalAll(p: Program, inp: unknown): string {
  const run = new Run({ maxSteps: 1e6, maxDepth: 100 }, false, new BuiltinCtx(0n, () => {}, null, {}), fromJSON({}), null);
  const x = new Ctx(run, fromJSON(inp), null, null);
  try {
    const v = readData(x, p.root, ['t']);
    return v === undefined ? 'undefined' : canonical(v as Value);
  } catch (e) {
    return `error: ${(e as { code?: string }).code}`;
  }
}

test('rule indexing gives the same documents as unindexed evaluation', () => {
  fc.assert(
    fc.property(
      fc.array(rule, { minLength: 4, maxLength: 24 }),
      fc.array(input, { minLength: 1, maxLength: 8 }),
      (rules, inputs) => {
        const mod = parseModule(source(rules), 't.rego');
        const indexed = compileModules([mod]);
        const plain = compileModules([parseModule(source(rules), 't.rego')], { ruleIndexing: false });
        for (const inp of inputs) assert.equal(evalAll(indexed, inp), evalAll(plain, inp));
      },
    ),
    { numRuns: 200 },
  );
});

test('indexes are built for rule sets that test input equality', () => {
  let src = 'package t\n';
  for (let i = 0; i < 10; i++) src += `allow if { input.method == "GET"; input.path == "/p${i}" }\n`;
  const p = compileModules([parseModule(src, 't.rego')]);
  const node = p.node(['t', 'allow'], false);
  assert.ok(node?.pickComplete, 'expected an index on data.t.allow');
  const run = new Run({ maxSteps: 1e6, maxDepth: 100 }, false, new BuiltinCtx(0n, () => {}, null, {}), fromJSON({}), null);
  const picked = node.pickComplete(new Ctx(run, fromJSON({ method: 'GET', path: '/p3' }), null, null));
  assert.equal(picked.length, 1);
  assert.equal(evalAll(p, { method: 'GET', path: '/p3' }), '{"allow":true}');
  assert.equal(evalAll(p, { method: 'POST', path: '/p3' }), '{}');
});

test('glob.match conditions are indexed by the literal leading segments of their patterns', () => {
  let src = 'package t\n';
  for (let i = 0; i < 10; i++) src += `allow if glob.match("/svc${i}/*", ["/"], input.path)\n`;
  src += 'allow if glob.match("/*/admin", ["/"], input.path)\n';
  const p = compileModules([parseModule(src, 't.rego')]);
  const node = p.node(['t', 'allow'], false);
  assert.ok(node?.pickComplete, 'expected an index on data.t.allow');
  const run = new Run({ maxSteps: 1e6, maxDepth: 100 }, false, new BuiltinCtx(0n, () => {}, null, {}), fromJSON({}), null);
  const pick = (path: unknown) => (node.pickComplete as (x: Ctx) => unknown[])(new Ctx(run, fromJSON({ path }), null, null));
  assert.equal(pick('/svc3/x').length, 2);
  assert.equal(pick('/other/admin').length, 1);
  assert.equal(pick(5).length, 11);
  assert.equal(evalAll(p, { path: '/svc3/x' }), '{"allow":true}');
  assert.equal(evalAll(p, { path: '/svc3/x/y' }), '{}');
});
