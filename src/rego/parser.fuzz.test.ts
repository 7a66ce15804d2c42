// Property tests: any text either parses or throws RegoErrors whose every error is a located
// rego_parse_error (never a TypeError, never a hang); generated well-formed terms parse to the
// structure they were generated from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderTerm } from './ast-render.js';
import { RegoError, RegoErrors } from './errors.js';
import { parseModule, parseQuery, parseTerm } from './parser.js';

const FILE = 'fuzz.rego';

function assertParsesOrFailsCleanly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RegoErrors, `not RegoErrors: ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(e.errors.length > 0);
    for (const err of e.errors) {
      assert.ok(err instanceof RegoError);
      assert.equal(err.code, 'rego_parse_error');
      const loc = err.location;
      assert.ok(loc, `no location: ${err.message}`);
      assert.ok(Number.isInteger(loc.row) && loc.row >= 1, `bad row ${loc.row}`);
      assert.ok(Number.isInteger(loc.col) && loc.col >= 1, `bad col ${loc.col}`);
    }
  }
}

function checkAll(src: string): void {
  assertParsesOrFailsCleanly(() => parseModule(src, FILE));
  assertParsesOrFailsCleanly(() => parseQuery(src, FILE));
  assertParsesOrFailsCleanly(() => parseTerm(src, FILE));
}

const SEEDS = [
  `package example.authz

import rego.v1
import data.lib.helpers as h

# METADATA
# title: Allow admins
default allow := false

allow if {
  some role in input.user.roles
  role == "admin"
  not deny
}

deny contains msg if {
  input.request.method == "DELETE"
  msg := sprintf("no %s", [input.request.path])
}

users[name] := u if { some u in data.users; name := u.name }

f(x) := y if { y := x * 2 + 1 } else := 0

p := [x | x := input.xs[_]; x > 1]
q := {k: v | some k, v in input.obj}
r := {x | x := 1} | set()
s := $"hello {input.name}, {count(input.xs)}"
t if every x in input.xs { x != null }
u := data.x with input as {"a": [1, 2.5e3, -3]} with data.y as 1
a.b[c].d := 1 if c := "k"
`,
  `# METADATA
# scope: package
# authors: [Jane <j@example.com>]
package keywords.if.not

default f(_) := 0
f(x) := 1 if x > 0 else := -1 if { x < 0 } else = 0
if.foo := 1
foo.contains contains "a" if true
g(a, [b, _]) if { every k, v in a { k != v } }
m := $\`multi {input.x with input as {"x": 1}}
line { {[y | some y in [1, 2]]}\`
n := {{1}: {"k": set()}, [1][0]: (1 + 2) * -3.5e-2 % 2}
o := x if { some x; x = {1 | 2}; not x in {3}; k, v in {"a": 1} }
`,
  'x := 1; y := x + 1\nnot p\nz = data.a.b[c]["d"][0]',
  '{"graph": {"a": {"b"}, "b": set()}, "initial": ["a", `raw`, null, true, false]}',
];

const FRAGMENTS = [
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'every',
  'with',
  'if',
  'contains',
  'in',
  'null',
  'true',
  'false',
  'p',
  'x',
  '_',
  'input',
  'data',
  'f',
  'set',
  '0',
  '1.5',
  '-2',
  '01',
  '1e',
  '.5',
  '"s"',
  '"\\u00e9"',
  '"\\q"',
  '`raw`',
  '$"',
  '$`',
  '"',
  '`',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  ';',
  '.',
  ':=',
  '=',
  '==',
  '!=',
  '<',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '!',
  '$',
  '@',
  '#',
  '# METADATA',
  '\n',
  '\\{',
  '\u0000',
  '\ufeff',
  'é',
];

const ws = fc.constantFrom('', ' ', '\n', '\t', '  ', '\r\n');
const fragments = fc
  .array(fc.tuple(fc.constantFrom(...FRAGMENTS), ws), { maxLength: 60 })
  .map((parts) => parts.map(([f, w]) => f + w).join(''));

test('fuzz: token soup parses or fails with located parse errors', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fragments, (src) => checkAll(src)),
    { numRuns: 1500 },
  );
  fc.assert(
    fc.property(fragments, (src) => checkAll(`package t\np if {\n${src}\n}`)),
    { numRuns: 1500 },
  );
});

type Edit = { at: number; del: number; ins: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  del: fc.nat({ max: 8 }),
  ins: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 }), fc.constant('')),
});

function mutate(seed: string, edits: Edit[]): string {
  let s = seed;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    s = s.slice(0, at) + e.ins + s.slice(at + e.del);
  }
  return s;
}

test('fuzz: mutated policies parse or fail with located parse errors', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) =>
      checkAll(mutate(seed, edits)),
    ),
    { numRuns: 3000 },
  );
});

test('fuzz: truncated policies parse or fail with located parse errors', () => {
  const seed = SEEDS[0]!;
  for (let n = 0; n <= seed.length; n++) checkAll(seed.slice(0, n));
});

// Well-formed terms: [source text, expected rendering].
type Gen = [string, string];
// Ref heads (input and data only appear with a path: alone they are refs, not vars).
const ident = fc.constantFrom('a', 'b', 'xs', 'foo_1', 'input', 'data');
const scalar: fc.Arbitrary<Gen> = fc.oneof(
  fc.constantFrom<Gen>(['null', 'null'], ['true', 'true'], ['false', 'false']),
  fc.integer({ min: -1000, max: 1000 }).map((n): Gen => [String(n), String(n)]),
  fc.string({ maxLength: 6 }).map((s): Gen => [JSON.stringify(s), JSON.stringify(s)]),
  fc.constantFrom('a', 'b', 'xs').map((v): Gen => [v, v]),
);

const { term } = fc.letrec<{ term: Gen }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc
      .array(tie('term'), { maxLength: 3 })
      .map((xs): Gen => [`[${xs.map((x) => x[0]).join(', ')}]`, `[${xs.map((x) => x[1]).join(', ')}]`]),
    fc
      .array(fc.tuple(scalar, tie('term')), { maxLength: 3 })
      .map(
        (kv): Gen => [
          `{${kv.map(([k, v]) => `${k[0]}: ${v[0]}`).join(', ')}}`,
          `{${kv.map(([k, v]) => `${k[1]}: ${v[1]}`).join(', ')}}`,
        ],
      ),
    fc
      .array(tie('term'), { minLength: 1, maxLength: 3 })
      .map((xs): Gen => [`{${xs.map((x) => x[0]).join(', ')}}`, `{${xs.map((x) => x[1]).join(', ')}}`]),
    fc
      .tuple(
        tie('term'),
        fc.constantFrom(['+', 'plus'], ['-', 'minus'], ['*', 'mul'], ['==', 'equal'], ['&', 'and'], ['|', 'or']),
        tie('term'),
      )
      .map(([l, [op, name], r]): Gen => [`(${l[0]} ${op} ${r[0]})`, `${name}(${l[1]}, ${r[1]})`]),
    fc
      .tuple(
        ident,
        fc.array(
          fc.oneof(
            ident.map((i) => ['.', i] as const),
            tie('term').map((t) => ['[', t] as const),
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([h, path]): Gen => {
        const src = h + path.map(([k, v]) => (k === '.' ? `.${v}` : `[${(v as Gen)[0]}]`)).join('');
        const rendered = path.map(([k, v]) => (k === '.' ? JSON.stringify(v) : (v as Gen)[1]));
        return [src, `ref(${[h, ...rendered].join(', ')})`];
      }),
    fc
      .tuple(fc.constantFrom('f', 'a.b.g'), fc.array(tie('term'), { maxLength: 3 }))
      .map(([f, args]): Gen => [`${f}(${args.map((a) => a[0]).join(', ')})`, `${f}(${args.map((a) => a[1]).join(', ')})`]),
  ),
}));

test('fuzz: generated terms parse to the generated structure', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(term, ([src, want]) => {
      const m = parseModule(`package t\np := ${src}`);
      const v = m.rules[0]!.head.value!;
      assert.equal(renderTerm(v), want);
    }),
    { numRuns: 1500 },
  );
});
