import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lex, type Token } from './lexer.js';

/** Tokens as `type` or `type:lit` (identifiers, numbers, strings), without the final eof. */
function toks(src: string): string[] {
  return lex(src)
    .tokens.filter((t) => t.t !== 'eof')
    .map((t) => {
      if (t.t === 'illegal') return `illegal(${t.msg ?? ''})`;
      if (t.t === 'tmpl') return `${t.raw ? 'rawtmpl' : 'tmpl'}:${t.lit}:${t.end ? 'end' : 'expr'}`;
      return t.t === 'ident' || t.t === 'number' || t.t === 'string' ? `${t.t}:${t.lit}` : t.t;
    });
}

const TABLE: [string, string, string[]][] = [
  ['identifiers and keywords', 'foo _x9 if contains in', ['ident:foo', 'ident:_x9', 'if', 'contains', 'in']],
  [
    'keyword followed by . or [ is an identifier',
    'if.foo not[x] input.if',
    ['ident:if', '.', 'ident:foo', 'ident:not', '[', 'ident:x', ']', 'ident:input', '.', 'if'],
  ],
  [
    'numbers',
    '0 12 3.25 1e5 2E-3 4.5e+6',
    ['number:0', 'number:12', 'number:3.25', 'number:1e5', 'number:2E-3', 'number:4.5e+6'],
  ],
  ['a leading dot and minus are separate tokens', '-.5', ['-', '.', 'number:5']],
  [
    'operators',
    ':= = == != < <= > >= + - * / % & |',
    [':=', '=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '&', '|'],
  ],
  ['punctuation', '[]{}(),:;.', ['[', ']', '{', '}', '(', ')', ',', ':', ';', '.']],
  ['strings decode JSON escapes', '"a\\"b\\n\\u00e9\\/"', ['string:a"b\né/']],
  ['raw strings keep backslashes and newlines', '`a\\n\nb`', ['string:a\\n\nb']],
  ['comments are skipped', 'a # comment\nb', ['ident:a', 'ident:b']],
  ['template string without expressions', '$"hi"', ['tmpl:hi:end']],
  [
    'template string with expressions',
    '$"a{x}b{y}"',
    ['tmpl:a:expr', 'ident:x', '}', 'tmpl:b:expr', 'ident:y', '}', 'tmpl::end'],
  ],
  ['braces inside template expressions nest', '$"{ {1} }"', ['tmpl::expr', '{', 'number:1', '}', '}', 'tmpl::end']],
  ['escaped braces in templates', '$"\\{x}" $`\\{y}`', ['tmpl:{x}:end', 'rawtmpl:{y}:end']],
  ['raw template spans lines', '$`a\n{1}`', ['rawtmpl:a\n:expr', 'number:1', '}', 'rawtmpl::end']],
  ['nested templates', '$"{$"{a}"}"', ['tmpl::expr', 'tmpl::expr', 'ident:a', '}', 'tmpl::end', '}', 'tmpl::end']],
];

for (const [name, src, want] of TABLE) {
  test(`lexer: ${name}`, () => {
    assert.deepEqual(toks(src), want);
  });
}

const ERRORS: [string, string, string, number, number][] = [
  ['non-terminated string', 'x := "abc', 'non-terminated string', 1, 6],
  ['newline in string', 'x := "a\nb"', 'non-terminated string', 1, 6],
  ['bad escape', '"\\q"', 'illegal escape sequence', 1, 1],
  ['bad unicode escape', '"\\uZZZZ"', 'illegal string literal: "\\uZZZZ"', 1, 1],
  ['non-terminated raw string', '`abc', 'non-terminated string', 1, 1],
  ['missing fraction', '\n  1.', 'expected fraction', 2, 3],
  ['missing exponent', '1e+', 'expected exponent', 1, 1],
  ['letters after a number', '12ab', 'illegal number format', 1, 1],
  ['lone bang', 'a ! b', 'illegal ! character', 1, 3],
  ['lone dollar', '$x', 'illegal $ character', 1, 1],
  ['unknown character', 'a @', '', 1, 3],
  ['non-ASCII outside strings', 'é', '', 1, 1],
  ['NUL byte', 'a\u0000', 'illegal null character', 1, 2],
  ['NUL inside a string', '"a\u0000"', 'illegal null character', 1, 1],
  ['byte-order mark inside', 'a \ufeff', 'illegal byte-order mark', 1, 3],
  ['non-terminated template', '$"abc', 'non-terminated string', 1, 1],
  ['template continuation unterminated', '$"{1}abc', 'non-terminated string', 1, 6],
];

for (const [name, src, msg, row, col] of ERRORS) {
  test(`lexer error: ${name}`, () => {
    const ill = lex(src).tokens.find((t) => t.t === 'illegal');
    assert.ok(ill, 'expected an illegal token');
    assert.equal(ill.msg ?? '', msg);
    assert.deepEqual([ill.row, ill.col], [row, col]);
  });
}

test('lexer: positions count code points, rows and columns from 1', () => {
  const t = lex('a\n  "é😀" b').tokens;
  const at = (x: Token) => [x.t, x.row, x.col];
  assert.deepEqual(t.map(at), [
    ['ident', 1, 1],
    ['string', 2, 3],
    ['ident', 2, 8],
    ['eof', 2, 9],
  ]);
});

test('lexer: whitespace and newline flags', () => {
  const t = lex('a.b [c]\nd').tokens;
  assert.deepEqual(
    t.map((x) => [x.t, x.ws, x.nl]),
    [
      ['ident', false, false],
      ['.', false, false],
      ['ident', false, false],
      ['[', true, false],
      ['ident', false, false],
      [']', false, false],
      ['ident', true, true],
      ['eof', false, false],
    ],
  );
});

test('lexer: comments are collected without the #, CR trimmed', () => {
  const { comments } = lex('# one\r\nx # two\n#');
  assert.deepEqual(comments, [
    { text: ' one', row: 1, col: 1 },
    { text: ' two', row: 2, col: 3 },
    { text: '', row: 3, col: 1 },
  ]);
});

test('lexer: a leading byte-order mark is skipped', () => {
  assert.deepEqual(toks('\ufeffpackage'), ['package']);
});
