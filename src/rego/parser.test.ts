import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBody, renderRule, renderTerm } from './ast-render.js';
import { RegoError, RegoErrors } from './errors.js';
import { parseModule, parseQuery, parseTerm } from './parser.js';

const TERMS: [string, string][] = [
  ['null', 'null'],
  ['true', 'true'],
  ['-12.5e3', '-12.5e3'],
  ['.5', '.5'],
  ['- 1', '-1'],
  ['"a\\tb"', '"a\\tb"'],
  ['`raw\\n`', '"raw\\\\n"'],
  ['[1, "a", [true]]', '[1, "a", [true]]'],
  ['[, 1, 2,]', '[1, 2]'],
  ['{"a": 1, "b": {}}', '{"a": 1, "b": {}}'],
  ['{}', '{}'],
  ['set()', 'set()'],
  ['{1, 2}', '{1, 2}'],
  ['{1 + 2}', '{plus(1, 2)}'],
  ['{x: y | x := 1; y := 2}', '{x: y | x := 1; y := 2}'],
  ['[x | x := input[_]]', '[x | x := ref(input, $0)]'],
  ['{x | some x in [1]}', '{x | some x in [1]}'],
  ['[1 | 2]', '[1 | 2]'],
  ['{1 | 2, 3}', '{or(1, 2), 3}'],
  ['input', 'ref(input)'],
  ['data.a.b["c d"][0][x]', 'ref(data, "a", "b", "c d", 0, x)'],
  ['input.if.contains.not', 'ref(input, "if", "contains", "not")'],
  ['[1, 2][0]', 'ref([1, 2], 0)'],
  ['{"a": 1}.a', 'ref({"a": 1}, "a")'],
  ['[x | x = 1][0]', 'ref([x | x = 1], 0)'],
  ['f(x).y', 'ref(f(x), "y")'],
  ['f(x)[0].z', 'ref(f(x), 0, "z")'],
  ['data.lib.f(1, 2)', 'data.lib.f(1, 2)'],
  ['io.jwt.decode(t)', 'io.jwt.decode(t)'],
  ['contains("ab", "a")', 'contains("ab", "a")'],
  ['foo.not(1)', 'foo.not(1)'],
  ['f()', 'f()'],
  ['a[f(x)]', 'ref(a, f(x))'],
  ['(1 + 2) * 3', 'mul(plus(1, 2), 3)'],
  ['1 + 2 * 3 - 4 / 2 % 3', 'minus(plus(1, mul(2, 3)), rem(div(4, 2), 3))'],
  ['a == b | c & d', 'equal(a, or(b, and(c, d)))'],
  ['a < b == c', 'equal(lt(a, b), c)'],
  ['x in xs', 'internal.member_2(x, xs)'],
  ['k, v in xs', 'internal.member_3(k, v, xs)'],
  ['x in xs == true', 'internal.member_2(x, equal(xs, true))'],
  ['x in xs in ys', 'internal.member_2(internal.member_2(x, xs), ys)'],
  ['1 - -1', 'minus(1, -1)'],
  ['x-1', 'minus(x, 1)'],
  ['$"hi {input.name}!"', '$("hi ", ref(input, "name"), "!")'],
  ['$`a\n{1 + 2}`', '$("a\\n", plus(1, 2))'],
  ['$"\\{x}"', '$("{x}")'],
  ['$"{x with input as 1}"', '$({x with ref(input) as 1})'],
];

for (const [src, want] of TERMS) {
  test(`term: ${src}`, () => {
    const body = parseQuery(src);
    assert.equal(body.length, 1);
    const e = body[0]!;
    assert.equal(e.kind, 'term');
    assert.equal(renderTerm((e as { term: Parameters<typeof renderTerm>[0] }).term), want);
  });
}

const QUERIES: [string, string][] = [
  ['x := 1; y := x + 1', 'x := 1; y := plus(x, 1)'],
  ['x := 1\ny := 2\n\nz = 3', 'x := 1; y := 2; z = 3'],
  ['data.x.p = y', 'ref(data, "x", "p") = y'],
  ['not p', 'not p'],
  ['not (x)', 'not x'],
  ['not.foo == 1', 'equal(ref(not, "foo"), 1)'],
  ['some x', 'some x'],
  ['some x, _', 'some x, $0'],
  ['some x in xs', 'some x in xs'],
  ['some k, v in xs', 'some k, v in xs'],
  ['some [a, b] in pairs', 'some [a, b] in pairs'],
  ['every x in xs { x > 1 }', 'every x in xs { gt(x, 1) }'],
  ['every k, v in {"a": 1} {\n  k != v\n  true\n}', 'every k, v in {"a": 1} { neq(k, v); true }'],
  ['p with input as {"a": 1} with data.x.y as 2', 'p with ref(input) as {"a": 1} with ref(data, "x", "y") as 2'],
  ['f(1) with f as g', 'f(1) with f as g'],
  ['x = [_, _]', 'x = [$0, $1]'],
  ['count(x) > 1', 'gt(count(x), 1)'],
  ['x := 1 y := 2', 'x := 1; y := 2'],
  ['x := [\n  1,\n  2,\n]', 'x := [1, 2]'],
  ['x := 1 # trailing comment', 'x := 1'],
];

for (const [src, want] of QUERIES) {
  test(`query: ${JSON.stringify(src)}`, () => {
    assert.equal(renderBody(parseQuery(src)), want);
  });
}

function rules(src: string): string[] {
  return parseModule(`package t\n${src}`).rules.map(renderRule);
}

const RULES: [string, string[]][] = [
  ['p := 1', ['complete p := 1 { true }']],
  ['p = 1', ['complete p = 1 { true }']],
  ['p if { true }', ['complete p { true }']],
  ['p if true', ['complete p { true }']],
  ['p if input.x > 1', ['complete p { gt(ref(input, "x"), 1) }']],
  ['p if {}', ['complete p { {} }']],
  ['p if { input.x }', ['complete p { ref(input, "x") }']],
  ['p := v if {\n  v := 1\n  v > 0\n}', ['complete p := v { v := 1; gt(v, 0) }']],
  ['default p := false', ['complete default p := false { true }']],
  ['default p = {"a": [1]}', ['complete default p = {"a": [1]} { true }']],
  ['p contains x if { some x in [1] }', ['partial_set p contains x { some x in [1] }']],
  ['p contains "a"', ['partial_set p contains "a" { true }']],
  ['p[k] := v if { k := "a"; v := 1 }', ['partial_object p.k := v { k := "a"; v := 1 }']],
  ['p[x] if { x := 1 }', ['partial_object p.x { x := 1 }']],
  ['p["a"] := 1', ['complete p."a" := 1 { true }']],
  ['a.b.c := 1', ['complete a."b"."c" := 1 { true }']],
  ['a.b[x].c := y if { x := 1; y := 2 }', ['partial_object a."b".x."c" := y { x := 1; y := 2 }']],
  ['a[x][y] := z if { x := 1; y := 2; z := 3 }', ['partial_object a.x.y := z { x := 1; y := 2; z := 3 }']],
  ['a.b contains 1 if true', ['partial_set a."b" contains 1 { true }']],
  ['f(x) := y if { y := x }', ['function f(x) := y { y := x }']],
  ['f(x) if x > 1', ['function f(x) { gt(x, 1) }']],
  ['f(_, [a, b]) := a', ['function f($0, [a, b]) := a { true }']],
  ['f(x) = 1', ['function f(x) = 1 { true }']],
  ['f(x)', ['function f(x) = true { true }']],
  ['a.b.f(x) := 1', ['function a."b"."f"(x) := 1 { true }']],
  ['default f(_) := 1', ['function default f($0) := 1 { true }']],
  ['p := 1 if { false } else := 2 if { true } else := 3', ['complete p := 1 { false } else := 2 { true } else := 3 { true }']],
  ['p if { false } else = false', ['complete p { false } else = false { true }']],
  ['p := 1 if false else := 2 if true', ['complete p := 1 { false } else := 2 { true }']],
  ['p if false else if true', ['complete p { false } else { true }']],
  ['f(_) := 1 if false else := 2', ['function f($0) := 1 { false } else := 2 { true }']],
  ['p if { 1 } { 2 }', ['complete p { 1 }', 'complete p { 2 }']],
  ['if.foo := 1', ['complete if."foo" := 1 { true }']],
  ['default not.foo(_) := 42', ['function default not."foo"($0) := 42 { true }']],
  ['p := 1 q := 2', ['complete p := 1 { true }', 'complete q := 2 { true }']],
  [
    'p := 1\n\nq := 2 if {\n  true\n}\nr contains 1',
    ['complete p := 1 { true }', 'complete q := 2 { true }', 'partial_set r contains 1 { true }'],
  ],
  ['p [x] := 1 if true', ['partial_object p.x := 1 { true }']],
  ['x := $"{1}"', ['complete x := $(1) { true }']],
];

for (const [src, want] of RULES) {
  test(`rules: ${JSON.stringify(src)}`, () => {
    assert.deepEqual(rules(src), want);
  });
}

test('module: package, imports, comments', () => {
  const m = parseModule(
    'package a.b["c"]\n\nimport rego.v1\nimport future.keywords\nimport future.keywords.in\nimport data.x.y as z\nimport input.a\n# hi\np := 1\n',
    'm.rego',
  );
  assert.equal(m.file, 'm.rego');
  assert.deepEqual(m.package, ['a', 'b', 'c']);
  assert.deepEqual(m.packageLoc, { file: 'm.rego', row: 1, col: 1 });
  assert.deepEqual(
    m.imports.map((i) => [renderTerm(i.path), i.alias, i.loc.row]),
    [
      ['ref(rego, "v1")', null, 3],
      ['ref(future, "keywords")', null, 4],
      ['ref(future, "keywords", "in")', null, 5],
      ['ref(data, "x", "y")', 'z', 6],
      ['ref(input, "a")', null, 7],
    ],
  );
  assert.deepEqual(m.comments, [{ text: ' hi', loc: { file: 'm.rego', row: 8, col: 1 } }]);
  assert.equal(m.rules.length, 1);
});

test('module: package paths with keywords', () => {
  assert.deepEqual(parseModule('package foo.if.bar').package, ['foo', 'if', 'bar']);
  assert.deepEqual(parseModule('package not.x').package, ['not', 'x']);
  assert.deepEqual(parseModule('package in').package, ['in']);
});

test('locations: terms, exprs, rules and withs are 1-based rows and columns', () => {
  const m = parseModule('package t\n\np := x if {\n  x := [1, input.a]\n  not y with input as 2\n}', 'f.rego');
  const r = m.rules[0]!;
  const at = (l: { row: number; col: number; file: string }) => [l.file, l.row, l.col];
  assert.deepEqual(at(r.loc), ['f.rego', 3, 1]);
  assert.deepEqual(at(r.head.loc), ['f.rego', 3, 1]);
  assert.deepEqual(at(r.head.value!.loc), ['f.rego', 3, 6]);
  const [e1, e2] = r.body;
  assert.deepEqual(at(e1!.loc), ['f.rego', 4, 3]);
  assert.ok(e1!.kind === 'assign' && e1!.right.type === 'array');
  assert.deepEqual(at(e1.right.loc), ['f.rego', 4, 8]);
  assert.deepEqual(at(e1.right.items[1]!.loc), ['f.rego', 4, 12]);
  assert.deepEqual(at(e2!.loc), ['f.rego', 5, 3]);
  assert.deepEqual(at(e2!.with[0]!.loc), ['f.rego', 5, 9]);
});

test('annotations: METADATA blocks attach to the following rule or package', () => {
  const m = parseModule(
    [
      '# METADATA',
      '# description: The suite',
      'package testing',
      '',
      '# METADATA',
      '# title: Allow',
      '# authors:',
      '# - The OPA contributors <opa@example.com>',
      '# custom:',
      '#   severity: high',
      'allow if true',
      '',
      '# METADATA',
      '# entrypoint: true',
      'main := 1',
      '',
      '# METADATA',
      '# scope: document',
      'deny contains 1',
    ].join('\n'),
  );
  assert.deepEqual(
    m.annotations.map((a) => [a.scope, a.loc.row]),
    [
      ['package', 1],
      ['rule', 5],
      ['document', 13],
      ['document', 17],
    ],
  );
  const allow = m.rules[0]!.annotations!;
  assert.deepEqual(allow.fields, {
    title: 'Allow',
    authors: ['The OPA contributors <opa@example.com>'],
    custom: { severity: 'high' },
  });
  assert.equal(m.rules[1]!.annotations!.scope, 'document');
  assert.equal(m.rules[2]!.annotations!.fields.scope, 'document');
});

/** [source, message, row, col]; `package t\n` is prepended unless the source starts with "package" or "!". */
const ERRORS: [string, string, number, number][] = [
  ['p { true }', '`if` keyword is required before rule body', 2, 1],
  ['p[x] { x := 1 }', '`if` keyword is required before rule body', 2, 1],
  ['p[x]', '`contains` keyword is required for partial set rules', 2, 1],
  ['f(x) { true }', '`if` keyword is required before function body', 2, 1],
  ['p if { true } else { false }', '`if` keyword is required before rule body', 2, 15],
  ['a.b.c', 'rule must have value assignment and/or body declaration', 2, 1],
  ['p', 'var cannot be used for rule name', 2, 1],
  ['"p"', 'string cannot be used for rule name', 2, 1],
  ['x == 1', 'rule name conflicts with built-in function', 2, 1],
  ['x := 1; y := 2', 'multiple expressions cannot be used for rule head', 2, 1],
  ['p :=', 'unexpected eof token', 2, 5],
  ['p := 1 +', 'unexpected eof token', 2, 9],
  ['p if {\n  x := [1, 2 }', 'unexpected } token: expected "," or "]"', 3, 14],
  ['p if {\n  x := 1 y := 2\n}', 'unexpected ident token: expected \\n or ; or }', 3, 10],
  ['p := 1 else := 2', 'unexpected else keyword', 2, 8],
  ['p.q[x] := 1 if { x := 1 } else := 2', 'else keyword cannot be used on rules with variables in head', 2, 27],
  ['p := a. b', 'unexpected whitespace token: expected ident', 2, 8],
  ['p := a.1', 'unexpected number token: expected ident', 2, 8],
  ['p := "a".b', 'illegal ref (head cannot be string)', 2, 6],
  ['p := (x', 'non-terminated expression', 2, 8],
  ['p := 01', 'unexpected number token: expected number without leading zero', 2, 6],
  ['p := 1e99999', 'number too big', 2, 6],
  ['p := - x', 'unexpected ident token: expected number', 2, 8],
  ['p := "abc', 'non-terminated string', 2, 6],
  ['p := @', 'illegal token', 2, 6],
  ['p if { not some x }', "unexpected some keyword: illegal negation of 'some'", 2, 12],
  ['p if { not every x in y {} }', "unexpected every keyword: illegal negation of 'every'", 2, 12],
  ['p if { every x in y }', 'unexpected } token: missing body', 2, 21],
  ['p if { every 1 in y { true } }', 'unexpected { token: expected value to be a variable', 2, 21],
  ['p if { some f(x) }', 'unexpected } token: expected `x in xs` or `x, y in xs` expression', 2, 18],
  ['p if { some 1 }', 'unexpected number token: expected var', 2, 13],
  ['p if { x with 1 as 2 }', 'unexpected number token: expected ident', 2, 15],
  ['p if { x with input 2 }', 'unexpected number token: expected as keyword', 2, 21],
  ['p := $"{x := 1}"', "unexpected assignment (':=') in template-string expression", 2, 9],
  ['p := $"{not x}"', "unexpected negation ('not') in template-string expression", 2, 9],
  ['p := $"{some x in y}"', "unexpected 'some' in template-string expression", 2, 9],
  ['p := $"{}"', 'unexpected } token', 2, 9],
  [
    'f(x) contains 1',
    'unexpected contains keyword: the contains keyword can only be used with multi-value rule definitions (e.g., f contains <VALUE> { ... })',
    2,
    6,
  ],
  ['default p', 'illegal default rule (must have a value)', 2, 1],
  ['default p contains 1', 'illegal default rule (must have a value)', 2, 1],
  ['default p := x', 'illegal default rule (value cannot contain var)', 2, 1],
  ['default p := [input.x]', 'illegal default rule (value cannot contain ref)', 2, 1],
  ['default f(1) := 1', 'illegal default rule (arguments cannot contain number)', 2, 1],
  ['default f(x, x) := 1', 'illegal default rule (arguments cannot be repeated x)', 2, 1],
  [
    'import foo.bar',
    'unexpected import path, must begin with one of: {data, future, input, rego}, got: foo (hint: if this is unexpected, try updating OPA)',
    2,
    8,
  ],
  [
    'import data.x.if',
    'unexpected import path, must not end with a keyword, got: if (hint: import a different path or use an alias)',
    2,
    15,
  ],
  ['import future.keywords.foo', 'unexpected keyword, must be one of [contains every if in]', 2, 8],
  ['import future.x', 'invalid import, must be `future.keywords`', 2, 8],
  ['import rego.v2', 'invalid import `rego.v2`, must be `rego.v1`', 2, 8],
  ['import data.x as y.z', 'unexpected eof token: expected var', 2, 21],
  ['package a\npackage b', 'unexpected package', 2, 1],
  ['package a.', 'unexpected eof token: expected ident', 1, 11],
  ['package a[x]', 'unexpected var token: expecting string', 1, 11],
  ['!p := 1', 'package expected', 1, 1],
  ['', 'empty module', 1, 1],
  ['package a\n# METADATA\n# scope: package\np := 1', "annotation scope 'package' must be applied to package (have rule)", 2, 1],
  [
    'package a\n# METADATA\n# scope: bogus\np := 1',
    "invalid annotation scope 'bogus'. Use one of 'rule', 'document', 'package', or 'subpackages'",
    2,
    1,
  ],
  ['package a\n# METADATA\n#\np := 1', 'expected METADATA block, found whitespace', 2, 1],
  [
    'package a\n# METADATA\n# entrypoint: true\n# scope: rule\np := 1',
    "annotation entrypoint applied to non-document or package scope 'rule'",
    2,
    1,
  ],
  [
    'package a\n# METADATA\n# authors:\n# - 1\np := 1',
    'invalid author definition 1: invalid value type, must be string or map',
    2,
    1,
  ],
];

for (const [src, msg, row, col] of ERRORS) {
  test(`parse error: ${JSON.stringify(src)}`, () => {
    const text = src.startsWith('!') ? src.slice(1) : src.startsWith('package') || src === '' ? src : `package t\n${src}`;
    assert.throws(
      () => parseModule(text, 'e.rego'),
      (e: unknown) => {
        assert.ok(e instanceof RegoErrors);
        const first = e.errors[0]!;
        assert.ok(first instanceof RegoError);
        assert.equal(first.code, 'rego_parse_error');
        assert.equal(first.message, msg);
        assert.deepEqual(first.location, { file: 'e.rego', row, col });
        return true;
      },
    );
  });
}

test('parse error: v0 partial set reports both v1 errors, as OPA does', () => {
  assert.throws(
    () => parseModule('package t\np[x] {\n  x := 1\n}'),
    (e: unknown) => {
      assert.ok(e instanceof RegoErrors);
      assert.deepEqual(
        e.errors.map((x) => x.message),
        ['`if` keyword is required before rule body', '`contains` keyword is required for partial set rules'],
      );
      return true;
    },
  );
});

test('parseTerm: one term, not a call or an expression', () => {
  assert.equal(renderTerm(parseTerm('{"x": {1, 2}, "y": [null]}')), '{"x": {1, 2}, "y": [null]}');
  for (const bad of ['f(x)', 'x = 1', 'x; y', 'not x']) {
    assert.throws(() => parseTerm(bad), RegoErrors, bad);
  }
});

test('parseQuery: empty and non-body input are errors', () => {
  assert.throws(() => parseQuery(''), /empty query/);
  assert.throws(() => parseQuery('package a'), /expected body but got package/);
});

test('nesting: very deep input is a parse error, not a stack overflow', () => {
  for (const src of ['['.repeat(100_000), '('.repeat(100_000), '{"a":'.repeat(50_000), '[x | x := '.repeat(20_000)]) {
    assert.throws(
      () => parseModule(`package a\np := ${src}`),
      (e: unknown) => e instanceof RegoErrors && /max parsing recursion depth exceeded/.test(e.message),
    );
  }
  // Ordinary deep nesting still parses.
  assert.equal(parseModule(`package a\np := ${'['.repeat(200)}${']'.repeat(200)}`).rules.length, 1);
});

test('wildcards get unique names across a module', () => {
  const m = parseModule('package t\np if { input[_] = _ }\nf(_) := 1 if true else := 2');
  assert.equal(renderBody(m.rules[0]!.body), 'ref(input, $0) = $1');
  assert.equal(renderTerm(m.rules[1]!.head.args![0]!), '$2');
  assert.equal(renderTerm(m.rules[1]!.else!.head.args![0]!), '$3');
});
