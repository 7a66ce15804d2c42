import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRe2, expandTemplate, forEachMatch, quoteMeta, RegexSyntaxError } from './re2.js';
import { parseRe2 } from './re2parse.js';
import { compileProgram, runProgram } from './re2vm.js';

/** UTF-16 offset → UTF-8 byte offset (Go reports byte offsets). */
function byteOffset(s: string, i: number): number {
  return i < 0 ? -1 : Buffer.byteLength(s.slice(0, i), 'utf8');
}

/** All matches as Go's FindAllStringSubmatchIndex would report them (byte offsets). */
function findAll(pattern: string, s: string, n = -1): number[][] {
  const re = compileRe2(pattern);
  const out: number[][] = [];
  forEachMatch(re, s, n, (m) => out.push(Array.from(m, (x) => byteOffset(s, x))));
  return out;
}

// Expected results (byte offsets, per match: whole match then groups) are Go's regexp results.
const FIND: Array<[string, string, number[][]]> = [
  ['', '', [[0, 0]]],
  ['^abcdefg', 'abcdefg', [[0, 7]]],
  ['a+', 'baaab', [[1, 4]]],
  [
    'a',
    'bababaab',
    [
      [1, 2],
      [3, 4],
      [5, 6],
      [6, 7],
    ],
  ],
  ['abcd..', 'abcdef', [[0, 6]]],
  ['x', 'y', []],
  ['.*', 'abcdef', [[0, 6]]],
  ['^', 'abcde', [[0, 0]]],
  ['$', 'abcde', [[5, 5]]],
  [
    'a*',
    'baaab',
    [
      [0, 0],
      [1, 4],
      [5, 5],
    ],
  ],
  ['[^a-z]+', 'ab1234cd', [[2, 6]]],
  [
    '[a\\-\\]z]+',
    'az]-bcz',
    [
      [0, 4],
      [6, 7],
    ],
  ],
  ['[日本語]+', '日本語日本語', [[0, 18]]],
  ['日本語+', '日本語語語語', [[0, 18]]],
  ['()', '', [[0, 0, 0, 0]]],
  ['(.)(.)', '日a', [[0, 4, 0, 3, 3, 4]]],
  ['(([^xyz]*)(d))', 'abcd', [[0, 4, 0, 4, 0, 3, 3, 4]]],
  ['((a|b|c)*(d))', 'abcd', [[0, 4, 0, 4, 2, 3, 3, 4]]],
  ['(((a|b|c)*)(d))', 'abcd', [[0, 4, 0, 4, 0, 3, 2, 3, 3, 4]]],
  ['\\a\\f\\n\\r\\t\\v', '\x07\f\n\r\t\v', [[0, 6]]],
  ['a*(|(b))c*', 'aacc', [[0, 4, 2, 2, -1, -1]]],
  ['(.*).*', 'ab', [[0, 2, 0, 2]]],
  ['/$', '/abc/', [[4, 5]]],
  [
    'a(b*)',
    'abbaab',
    [
      [0, 3, 1, 3],
      [3, 4, 4, 4],
      [4, 6, 5, 6],
    ],
  ],
  ['(aa)*$', 'a', [[1, 1, -1, -1]]],
  ['(?:.|(?:.a))', '', []],
  ['(a){0}', '', [[0, 0, -1, -1]]],
  ['(?-s)(?:(?:^).)', '\n', []],
  ['(?s)(?:(?:^).)', '\n', [[0, 1]]],
  [
    '\\b',
    'xx yy',
    [
      [0, 0],
      [2, 2],
      [3, 3],
      [5, 5],
    ],
  ],
  [
    '\\B',
    'xx yy',
    [
      [1, 1],
      [4, 4],
    ],
  ],
  [
    '(|a)*',
    'aa',
    [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [2, 2, 2, 2],
    ],
  ],
  ['0A|0[aA]', '0a', [[0, 2]]],
  [
    '[a-c]*',
    '日',
    [
      [0, 0],
      [3, 3],
    ],
  ],
  [
    '[^日]',
    'abc日def',
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [6, 7],
      [7, 8],
      [8, 9],
    ],
  ],
  ['[^\\S\\s]', 'abcd', []],
  ['[^\\D[:digit:]]', 'abcd', []],
  ['(?i)\\W', 'k', []],
  ['(?i)\\W', 's', []],
  [
    '\\!\\"\\#\\$\\%\\&\\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\{\\|\\}\\~',
    '!"#$%&\'()*+,-./:;<=>?@[\\]^_{|}~',
    [[0, 31]],
  ],
  ['(a|ab)(c|bcd)(d*)', 'abcd', [[0, 4, 0, 1, 1, 4, 4, 4]]],
  [
    '(?U)a+',
    'aaa',
    [
      [0, 1],
      [1, 2],
      [2, 3],
    ],
  ],
  ['(?U)a+?', 'aaa', [[0, 3]]],
  ['(?i)straße', 'STRASSE Straße', [[8, 15]]],
  [
    '(?i)k',
    'K k \u212a',
    [
      [0, 1],
      [2, 3],
      [4, 7],
    ],
  ],
  [
    '(?i:a)b',
    'AB Ab ab',
    [
      [3, 5],
      [6, 8],
    ],
  ],
  [
    '(?m)^\\w+$',
    'one\ntwo',
    [
      [0, 3],
      [4, 7],
    ],
  ],
  ['\\Qa.b\\E+', 'a.bbb axb', [[0, 5]]],
  ['\\p{Greek}+', 'abc αβγ', [[4, 10]]],
  ['\\PL+', 'ab12cd', [[2, 4]]],
  ['[[:^alpha:]]+', 'ab12cd', [[2, 4]]],
  ['(?P<y>\\d{4})-(?<m>\\d\\d)', 'on 2024-01', [[3, 10, 3, 7, 8, 10]]],
  [
    'x{2,3}',
    'xxxxxxx',
    [
      [0, 3],
      [3, 6],
    ],
  ],
  ['😀.', '😀😀x', [[0, 8]]],
];

test('matches as Go regexp does (FindAllStringSubmatchIndex)', () => {
  for (const [pattern, s, want] of FIND) assert.deepEqual(findAll(pattern, s), want, `${pattern} on ${JSON.stringify(s)}`);
});

test('find-all limits', () => {
  assert.deepEqual(findAll('a', 'bababaab', 2), [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(findAll('a', 'bababaab', 0), []);
});

const ERRORS: Array<[string, string, string]> = [
  ['++', 'missing argument to repetition operator', '+'],
  ['a**', 'invalid nested repetition operator', '**'],
  ['a*??', 'invalid nested repetition operator', '*??'],
  ['x{2}{3}', 'invalid nested repetition operator', '{2}{3}'],
  ['(*)', 'missing argument to repetition operator', '*'],
  ['a|*', 'missing argument to repetition operator', '*'],
  ['[', 'missing closing ]', '['],
  ['[a', 'missing closing ]', '[a'],
  ['a(b', 'missing closing )', 'a(b'],
  ['a)b', 'unexpected )', 'a)b'],
  ['\\1', 'invalid escape sequence', '\\1'],
  ['\\8', 'invalid escape sequence', '\\8'],
  ['\\C', 'invalid escape sequence', '\\C'],
  ['\\Z', 'invalid escape sequence', '\\Z'],
  ['[\\b]', 'invalid escape sequence', '\\b'],
  ['\\x{110000}', 'invalid escape sequence', '\\x{110000'],
  ['a\\', 'trailing backslash at end of expression', ''],
  ['(?=x)', 'invalid or unsupported Perl syntax', '(?='],
  ['(?!x)', 'invalid or unsupported Perl syntax', '(?!'],
  ['(?i', 'invalid or unsupported Perl syntax', '(?i'],
  ['(?i-)', 'invalid or unsupported Perl syntax', '(?i-)'],
  ['(?<=x)y', 'invalid named capture', '(?<=x)y'],
  ['(?P<n!>x)', 'invalid named capture', '(?P<n!>'],
  ['a{1001}', 'invalid repeat count', '{1001}'],
  ['a{2,1}', 'invalid repeat count', '{2,1}'],
  ['(a{100}){100}', 'invalid repeat count', '{100}'],
  ['[z-a]', 'invalid character class range', 'z-a'],
  ['[[:foo:]]', 'invalid character class range', '[:foo:]'],
  ['\\p{Foo}', 'invalid character class range', '\\p{Foo}'],
  ['\\pX', 'invalid character class range', '\\pX'],
  ['\\p{Grek}', 'invalid character class range', '\\p{Grek}'],
];

test('rejects what Go rejects, with Go messages', () => {
  for (const [pattern, code, expr] of ERRORS) {
    assert.throws(
      () => compileRe2(pattern),
      (e: unknown) => e instanceof RegexSyntaxError && e.message === `error parsing regexp: ${code}: \`${expr}\``,
      pattern,
    );
  }
});

test('accepts RE2 syntax', () => {
  const ok = [
    'a{,3}',
    'a{',
    '{',
    '^*',
    '(?i)abc',
    '(?s:.)',
    '(?-m:$)',
    '(?U)a*',
    '[]a]',
    '[^]a]',
    '[a-]',
    '\\_',
    '\\x41\\x{1F600}',
  ];
  for (const p of [
    ...ok,
    '\\0\\012',
    '\\p{Latin}',
    '\\p{Letter}',
    '\\p{^Greek}',
    '\\pN',
    '(?P<n>x)(?P<n>y)',
    '(?:)',
    '',
    '|',
    'a{0}',
  ]) {
    assert.doesNotThrow(() => compileRe2(p), p);
  }
});

test('a literal { starts a repeat only when it parses as one', () => {
  assert.deepEqual(findAll('a{,2}', 'a{,2}'), [[0, 5]]);
  assert.deepEqual(findAll('a{2}', 'aaa'), [[0, 2]]);
});

test('exponential-backtracking patterns run in linear time', () => {
  const s = `${'a'.repeat(5000)}!`;
  for (const p of ['(a+)+$', '(a|aa)*b', '(?:a*)*b', '^(\\w+\\s?)*$']) assert.equal(compileRe2(p).test(s), false, p);
  // Many unbounded repetitions over a long subject go to the linear-time matcher.
  const long = 'x'.repeat(20000);
  assert.equal(compileRe2('[a-z]+y[a-z]+z').usesVm(long.length), true);
  assert.equal(compileRe2('[a-z]+y[a-z]+z').test(long), false);
  assert.equal(compileRe2('^abc$').usesVm(1e9), false);
});

// JS RegExp translation and the Pike VM must agree wherever the translation is used.
test('the JS translation and the VM agree on random patterns', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = <T>(a: T[]): T => a[rnd(a.length)] as T;
  const atom = (d: number): string => {
    const r = rnd(d > 1 ? 6 : 9);
    if (r <= 2) return pick(['a', 'b', 'A', '1', ' ', '\\n', 'é']);
    if (r === 3) return pick(['.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '\\W', '[a-c]', '[[:upper:]]', '\\pL', '\\PL']);
    if (r === 4) return pick(['^', '$', '\\b', '\\B', '\\A', '\\z']);
    if (r === 5) return pick(['(?i)', '(?-i)', '(?s)', '(?m)', '(?U)']);
    return `${pick(['(', '(?:', '(?i:', '(?P<n>'])}${seq(d + 1)})`;
  };
  const seq = (d: number): string => {
    let s = '';
    for (let i = 0, n = 1 + rnd(3); i < n; i++) {
      const a = atom(d);
      s +=
        a +
        (a.startsWith('(?') && a.endsWith(')') && !a.includes(':') && !a.includes('<')
          ? ''
          : pick(['', '', '*', '+', '?', '{2}', '{1,2}', '*?', '??']));
    }
    return rnd(4) === 0 ? `${s}|${seq(d + 1)}` : s;
  };
  let compared = 0;
  for (let t = 0; t < 1500; t++) {
    const p = seq(0);
    let js: RegExp | null;
    try {
      js = compileRe2(p).jsRegExp();
    } catch {
      continue;
    }
    if (js === null) continue;
    const parsed = parseRe2(p);
    const prog = compileProgram(parsed.node, parsed.numCap);
    for (let k = 0; k < 6; k++) {
      let s = '';
      for (let i = rnd(7); i > 0; i--) s += pick(['a', 'b', 'A', 'B', '1', ' ', '\n', 'é', 'K']);
      for (let pos = 0; pos <= s.length; pos++) {
        js.lastIndex = pos;
        const m: RegExpExecArray | null = js.exec(s);
        const a: string = m
          ? Array.from({ length: parsed.numCap + 1 }, (_, g) => (m.indices?.[g] ? m.indices[g].join('-') : 'x')).join()
          : 'none';
        const v = runProgram(prog, s, pos);
        const b: string = v
          ? Array.from({ length: parsed.numCap + 1 }, (_, g) =>
              (v[2 * g] as number) >= 0 ? `${v[2 * g]}-${v[2 * g + 1]}` : 'x',
            ).join()
          : 'none';
        assert.equal(a, b, `${p} on ${JSON.stringify(s)} from ${pos}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 10000, `compared ${compared}`);
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement templates, not JS
test('Expand: $n, ${name}, $$ and malformed references', () => {
  const re = compileRe2('(?P<first>\\w+) (\\w+)');
  const s = 'hello world';
  const m = re.exec(s, 0) as Int32Array;
  const cases: Array<[string, string]> = [
    ['$2 $1', 'world hello'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement templates, not JS
    ['${first}!', 'hello!'],
    ['$first!', 'hello!'],
    ['$firstx', ''],
    ['$$1', '$1'],
    ['$3', ''],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement templates, not JS
    ['${1}0', 'hello0'],
    ['$', '$'],
    ['${x', '${x'],
    ['$01', ''],
  ];
  for (const [tpl, want] of cases) assert.equal(expandTemplate(re, tpl, s, m), want, tpl);
});

test('QuoteMeta', () => {
  assert.equal(quoteMeta('1.5-2.0?[x]{y}^$|\\'), '1\\.5-2\\.0\\?\\[x\\]\\{y\\}\\^\\$\\|\\\\');
});
