// The formatter: exact output for targeted cases, and two properties on every fixture and on the
// modules of OPA's conformance cases: formatting is idempotent, and the formatted text parses to the
// same AST (locations aside) with the same comments.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Module } from './ast.js';
import { RegoErrors } from './errors.js';
import { formatExpr, formatModule, formatSource } from './format.js';
import { parseModule, parseQuery } from './parser.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'policy', 'fmt');
const CORPUS = join(repoRoot(), '..', 'shared', 'corpora', 'opa-conformance', 'v1');

/** The AST without locations; wildcard names renumbered; imports in sorted order (fmt sorts them). */
function shape(m: Module): unknown {
  const names = new Map<string, string>();
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (x === null || typeof x !== 'object') return x;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'loc' || k === 'packageLoc' || k === 'file' || k === 'comments') continue;
      if (k === 'name' && typeof v === 'string' && v.startsWith('$')) {
        if (!names.has(v)) names.set(v, `$${names.size}`);
        o[k] = names.get(v);
      } else o[k] = strip(v);
    }
    return o;
  };
  const imports = m.imports.map((i) => JSON.stringify(strip(i))).sort();
  return { ...(strip({ ...m, imports: [] }) as object), imports };
}

/** Asserts both properties for one module text; returns the formatted text. */
function checkRoundTrip(text: string, file: string): string {
  const m = parseModule(text, file);
  const out = formatModule(m, text);
  let m2: Module;
  try {
    m2 = parseModule(out, file);
  } catch (e) {
    assert.fail(`${file}: formatted text does not parse: ${(e as Error).message}\n${out}`);
  }
  assert.deepEqual(shape(m2), shape(m), `${file}: formatting changed the AST\n${out}`);
  // Sorted: sorting imports carries their trailing comments along.
  assert.deepEqual(
    m2.comments.map((c) => c.text.trimEnd()).sort(),
    m.comments.map((c) => c.text.trimEnd()).sort(),
    `${file}: comments lost\n${out}`,
  );
  assert.equal(formatModule(m2, out), out, `${file}: formatting is not idempotent\n${out}`);
  return out;
}

const fixtureFiles = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.rego'))
  .sort();

test('fixtures: idempotent, same AST, comments kept', () => {
  assert.ok(fixtureFiles.length >= 12);
  for (const f of fixtureFiles) checkRoundTrip(readFileSync(join(FIXTURES, f), 'utf8'), f);
});

test('fixtures with a .formatted file format to exactly that', () => {
  let n = 0;
  for (const f of fixtureFiles) {
    const want = join(FIXTURES, `${f}.formatted`);
    if (!existsSync(want)) continue;
    n++;
    assert.equal(formatSource(readFileSync(join(FIXTURES, f), 'utf8'), f), readFileSync(want, 'utf8'), f);
  }
  assert.ok(n >= 3);
});

/** A deterministic generator (the tests must not depend on luck). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Re-spaces a module: every run of blanks outside strings and comments becomes other blanks, and
 *  indentation may vanish. Newlines stay (they separate expressions). */
function respace(text: string, rnd: () => number): string {
  const blanks = [' ', '  ', '\t', ' \t', '    '];
  let out = '';
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      let j = i;
      while (text[j] === ' ' || text[j] === '\t') j++;
      const pick = blanks[Math.floor(rnd() * blanks.length)] as string;
      out += lineStart && rnd() < 0.4 ? '' : pick;
      i = j;
      continue;
    }
    lineStart = c === '\n';
    if (c === '#') {
      const j = text.indexOf('\n', i);
      const end = j < 0 ? text.length : j;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += c === '"' && text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

test('re-spaced fixtures format to the same text (or, with comments, to an equivalent one)', () => {
  const rnd = lcg(20240611);
  let changed = 0;
  for (const f of fixtureFiles) {
    const text = readFileSync(join(FIXTURES, f), 'utf8');
    const canonical = formatSource(text, f);
    for (let k = 0; k < 8; k++) {
      const variant = respace(text, rnd);
      if (variant !== text) changed++;
      const out = checkRoundTrip(variant, `${f} (variant ${k})`);
      assert.deepEqual(shape(parseModule(variant, f)), shape(parseModule(text, f)));
      // Without comments, layout comes from rows alone, which re-spacing does not move.
      if (!text.includes('#')) assert.equal(out, canonical, `${f} variant ${k}:\n${variant}`);
    }
  }
  assert.ok(changed >= fixtureFiles.length * 7);
});

/** Adds comments: at the end of some lines, and on their own (variously indented) lines between. */
function addComments(text: string, rnd: () => number): string {
  const out: string[] = [];
  let inRaw = false;
  let n = 0;
  for (const line of text.split('\n')) {
    const wasRaw = inRaw;
    if ((line.match(/`/g) ?? []).length % 2 === 1) inRaw = !inRaw;
    if (!wasRaw && !inRaw && rnd() < 0.3) out.push(`${' '.repeat(Math.floor(rnd() * 6))}# own ${n++}`);
    out.push(!inRaw && line.trim() && !line.includes('#') && rnd() < 0.4 ? `${line} # trailing ${n++}` : line);
  }
  return out.join('\n');
}

test('comments added anywhere are kept, and formatting stays idempotent', () => {
  const rnd = lcg(7);
  let checked = 0;
  for (const f of fixtureFiles) {
    const text = readFileSync(join(FIXTURES, f), 'utf8');
    for (let k = 0; k < 15; k++) {
      const variant = addComments(text, rnd);
      try {
        parseModule(variant, f);
      } catch {
        continue; // a comment inside a METADATA block can make its YAML invalid
      }
      checkRoundTrip(variant, `${f} (commented ${k})`);
      checked++;
    }
  }
  assert.ok(checked > fixtureFiles.length * 12, `only ${checked} variants parsed`);
});

const exact: [string, string, string][] = [
  [
    'package and imports',
    'package a.b\nimport data.z\nimport data.y as w\n\nimport data.x',
    'package a.b\n\nimport data.y as w\nimport data.z\n\nimport data.x\n',
  ],
  ['head keywords kept as written', 'package p\np = 1\nq := 2\ndefault r = 3', 'package p\n\np = 1\n\nq := 2\n\ndefault r = 3\n'],
  ['braces on one line become the short form', 'package p\nallow if { input.x }', 'package p\n\nallow if input.x\n'],
  ['body on later lines keeps braces', 'package p\nallow if {\n  input.x\n}', 'package p\n\nallow if {\n\tinput.x\n}\n'],
  [
    'several expressions on one line are split',
    'package p\nallow if { input.x; input.y }',
    'package p\n\nallow if {\n\tinput.x\n\tinput.y\n}\n',
  ],
  [
    'contains and ref heads',
    'package p\ns contains x if { some x in [1] }\na.b[k] := 1 if { k := "x" }',
    'package p\n\ns contains x if some x in [1]\n\na.b[k] := 1 if k := "x"\n',
  ],
  ['nested operators get parentheses', 'package p\nx := 1 + 2 * 3 - 4', 'package p\n\nx := (1 + (2 * 3)) - 4\n'],
  ['wildcards print as _', 'package p\nx if { input.a[_] == input.b[_] }', 'package p\n\nx if input.a[_] == input.b[_]\n'],
  [
    'strings: raw kept raw, quoted escaped',
    'package p\na := `\\d+`\nb := "tab\\there"',
    'package p\n\na := `\\d+`\n\nb := "tab\\there"\n',
  ],
  [
    'multi-line collection: rows grouped, trailing commas',
    'package p\nx := [1, 2,\n3]',
    'package p\n\nx := [\n\t1, 2,\n\t3,\n]\n',
  ],
  [
    'a blank line between body expressions is kept, runs collapse',
    'package p\nallow if {\n\ta\n\n\n\tb\n}',
    'package p\n\nallow if {\n\ta\n\n\tb\n}\n',
  ],
  [
    'else chains',
    'package p\nf(x) := 1 if { x > 1 } else := 2 if { x > 0 } else := 3',
    'package p\n\nf(x) := 1 if {\n\tx > 1\n} else := 2 if {\n\tx > 0\n} else := 3\n',
  ],
  [
    'every inline and multi-line',
    'package p\na if every x in [1] { x > 0 }\nb if {\n every x in [1] {\n  x > 0\n }\n}',
    'package p\n\na if every x in [1] { x > 0 }\n\nb if {\n\tevery x in [1] {\n\t\tx > 0\n\t}\n}\n',
  ],
  [
    'a comment between a multi-line head and its body goes to the body',
    'package p\np contains [\n\t1,\n\t2,\n# c\n] if {\n\tinput.x\n}',
    'package p\n\np contains [\n\t1,\n\t2,\n] if {\n\t# c\n\n\tinput.x\n}\n',
  ],
  [
    'an indented comment under a METADATA block stays out of it',
    '# METADATA\n# title: T\n  # not yaml\npackage p',
    '# METADATA\n# title: T\n\n# not yaml\npackage p\n',
  ],
  [
    'trailing and leading comments',
    'package p # pkg\n\n# lead\nallow if {\n  a # trail\n  # end\n}\n# eof',
    'package p # pkg\n\n# lead\nallow if {\n\ta # trail\n\t# end\n}\n\n# eof\n',
  ],
];

test('exact output', () => {
  for (const [name, input, want] of exact) {
    assert.equal(formatSource(input, 'x.rego'), want, name);
    checkRoundTrip(input, name);
  }
});

test('formatExpr prints one expression', () => {
  const body = parseQuery('x := [1,2]; not input.a with input as {"a": false}; some k, v in {"a": 1}');
  assert.deepEqual(body.map(formatExpr), ['x := [1, 2]', 'not input.a with input as {"a": false}', 'some k, v in {"a": 1}']);
});

test('bad input raises the parser’s RegoErrors', () => {
  assert.throws(
    () => formatSource('package p\nallow if {', 'bad.rego'),
    (e: unknown) => {
      assert.ok(e instanceof RegoErrors);
      assert.equal(e.errors[0]?.code, 'rego_parse_error');
      assert.equal(e.errors[0]?.location?.file, 'bad.rego');
      return true;
    },
  );
});

test('conformance modules: idempotent, same AST', (t) => {
  if (!existsSync(CORPUS)) {
    const reason = `${CORPUS} is absent (reference corpora are read from ../shared)`;
    if (process.env.CI === 'true') assert.fail(`${reason} (CI=true: required)`);
    console.log(`# skip: ${reason}`);
    t.skip(reason);
    return;
  }
  let modules = 0;
  for (const dir of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, dir.name)).sort()) {
      if (!f.endsWith('.yaml')) continue;
      const doc = parseYaml(readFileSync(join(CORPUS, dir.name, f), 'utf8')) as { cases?: { modules?: string[] }[] };
      for (const c of doc.cases ?? []) {
        for (const [i, text] of (c.modules ?? []).entries()) {
          try {
            parseModule(text, 'm.rego');
          } catch {
            continue; // cases about parse errors
          }
          checkRoundTrip(text, `${dir.name}/${f}#${i}`);
          modules++;
        }
      }
    }
  }
  assert.ok(modules > 100, `only ${modules} modules found`);
});
