import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { RObject, RSet, type Value } from '../value.js';
import './strings.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const CASES: Array<[string, Value[], Value]> = [
  ['concat', ['/', ['', 'foo', 'bar', '0', 'baz']], '/foo/bar/0/baz'],
  ['concat', [',', RSet.from(['3', '1', '2'])], '1,2,3'],
  ['concat', ['-', []], ''],
  ['contains', ['abcdefgh', 'defg'], true],
  ['contains', ['abcdefgh', 'ac'], false],
  ['contains', ['abc', ''], true],
  ['startswith', ['abcdefgh', 'abc'], true],
  ['startswith', ['abcdefgh', 'bcd'], false],
  ['endswith', ['abcdefgh', 'fgh'], true],
  ['endswith', ['abcdefgh', 'fg'], false],
  ['format_int', [15.5, 16], 'f'],
  ['format_int', [-15.9, 2], '-1111'],
  ['format_int', [4.1, 10], '4'],
  ['format_int', [8, 8], '10'],
  ['format_int', [2 ** 60, 16], '1000000000000000'],
  ['indexof', ['abcdefgh', 'cde'], 2],
  ['indexof', ['abcdefgh', 'xyz'], -1],
  ['indexof', ['åäöåäö', 'ö'], 2],
  ['indexof', ['😀a😀b', 'b'], 3],
  ['indexof_n', ['sad sad happy', 'sad'], [0, 4]],
  ['indexof_n', ['aaa', 'aa'], [0, 1]],
  ['indexof_n', ['åäöä', 'ä'], [1, 3]],
  ['indexof_n', ['abc', 'x'], []],
  ['lower', ['AbCdEf'], 'abcdef'],
  ['upper', ['AbCdEf'], 'ABCDEF'],
  ['lower', ['ÅÄÖ ΣΑΣ İ'], 'åäö σασ i'],
  ['upper', ['straße ǆ'], 'STRAßE Ǆ'],
  ['replace', ['foo.bar.baz', '.', ','], 'foo,bar,baz'],
  ['replace', ['foo...bar', '..', ',,'], 'foo,,.bar'],
  ['replace', ['', 'hi', 'bye'], ''],
  ['replace', ['abc', '', '-'], '-a-b-c-'],
  [
    'strings.replace_n',
    [
      RObject.from([
        ['old1', 'new1'],
        ['old2', 'new2'],
      ]),
      'Everything is old1, old2',
    ],
    'Everything is new1, new2',
  ],
  [
    'strings.replace_n',
    [
      RObject.from([
        ['a', '1'],
        ['ab', '2'],
      ]),
      'abab',
    ],
    '1b1b',
  ],
  [
    'strings.replace_n',
    [
      RObject.from([
        ['b', 'a'],
        ['a', 'b'],
      ]),
      'abab',
    ],
    'baba',
  ],
  ['strings.replace_n', [new RObject(), 'same'], 'same'],
  ['split', ['a.b.c', '.'], ['a', 'b', 'c']],
  ['split', ['foo', '.'], ['foo']],
  ['split', ['', '.'], ['']],
  ['split', ['test', ''], ['t', 'e', 's', 't']],
  ['split', ['', ''], []],
  ['split', ['a😀b', ''], ['a', '😀', 'b']],
  ['split', ['..', '.'], ['', '', '']],
  ['strings.reverse', ['abc'], 'cba'],
  ['strings.reverse', ['a😀b'], 'b😀a'],
  ['strings.count', ['cheese', 'e'], 3],
  ['strings.count', ['aaaa', 'aa'], 2],
  ['strings.count', ['five', ''], 5],
  [
    'strings.any_prefix_match',
    [
      ['a/b/c', 'e/f/g'],
      ['d/', 'e/'],
    ],
    true,
  ],
  ['strings.any_prefix_match', ['a/b/c', ['d/', 'x/']], false],
  ['strings.any_prefix_match', [RSet.from(['a/b']), 'a/'], true],
  ['strings.any_prefix_match', [[], []], false],
  ['strings.any_suffix_match', [['a/b/c', 'e/f/g'], ['/g']], true],
  ['strings.any_suffix_match', ['a/b/c', RSet.from(['/b'])], false],
  ['substring', ['abcdefgh', 2, 3], 'cde'],
  ['substring', ['åäö', 0, 2], 'åä'],
  ['substring', ['abcdefgh', 2, -1], 'cdefgh'],
  ['substring', ['aåäö', 2, -1], 'äö'],
  ['substring', ['abcdefgh', 2, 10000], 'cdefgh'],
  ['substring', ['aaa', 3, -1], ''],
  ['substring', ['åäö', 4, -1], ''],
  ['substring', ['', 0, 5], ''],
  ['trim', ['...foo.bar...', '.'], 'foo.bar'],
  ['trim', ['...foo.bar...', '.fr'], 'oo.ba'],
  ['trim', ['¡¡¡foo, bar!!!', '!¡'], 'foo, bar'],
  ['trim', ['¡¡¡foo, bar!!!', 'i'], '¡¡¡foo, bar!!!'],
  ['trim', ['', '.'], ''],
  ['trim_left', ['...foo...', '.'], 'foo...'],
  ['trim_right', ['¡¡¡foo, bar!!!', '!¡'], '¡¡¡foo, bar'],
  ['trim_prefix', ['¡¡¡foo, bar!!!', '¡¡¡foo'], ', bar!!!'],
  ['trim_prefix', ['¡¡¡foo, bar!!!', '¡¡¡bar'], '¡¡¡foo, bar!!!'],
  ['trim_suffix', ['foo.bar', '.bar'], 'foo'],
  ['trim_suffix', ['¡¡¡foo, bar!!!', ', foo!!!'], '¡¡¡foo, bar!!!'],
  ['trim_space', [' \t\n foo, bar \n\t\r\n'], 'foo, bar'],
  ['trim_space', ['\u00a0\u3000x\u2029\u0085'], 'x'],
  ['trim_space', ['\ufeffx'], '\ufeffx'],
];

test('string builtins', () => {
  for (const [name, args, want] of CASES) assert.deepEqual(call(name, ...args), want, `${name}(${JSON.stringify(args)})`);
});

const ERRORS: Array<[string, Value[], string, string]> = [
  ['concat', ['/', 1], 'eval_type_error', 'concat: operand 2 must be one of {set, array} but got number'],
  ['concat', ['/', ['a', 1]], 'eval_type_error', 'concat: operand 2 must be array of strings but got array containing number'],
  ['concat', ['/', RSet.from([1])], 'eval_type_error', 'concat: operand 2 must be set of strings but got set containing number'],
  ['concat', [1, []], 'eval_type_error', 'concat: operand 1 must be string but got number'],
  ['format_int', [1, 3], 'eval_type_error', 'format_int: operand 2 must be one of {2, 8, 10, 16}'],
  ['format_int', ['1', 10], 'eval_type_error', 'format_int: operand 1 must be number but got string'],
  ['indexof', ['abc', ''], 'eval_builtin_error', 'indexof: empty search character'],
  ['indexof_n', ['abc', ''], 'eval_builtin_error', 'indexof_n: empty search character'],
  ['substring', ['aaa', -1, -1], 'eval_builtin_error', 'substring: negative offset'],
  ['substring', ['aaa', 1.5, 1], 'eval_type_error', 'substring: operand 2 must be integer number but got floating-point number'],
  [
    'strings.replace_n',
    [RObject.from([[2, 'x']]), 'foo'],
    'eval_type_error',
    'strings.replace_n: operand 1 non-string key found in pattern object',
  ],
  [
    'strings.replace_n',
    [RObject.from([['f', 100]]), 'foo'],
    'eval_type_error',
    'strings.replace_n: operand 1 non-string value found in pattern object',
  ],
  [
    'strings.replace_n',
    [RObject.from([['foo', 'baz']]), 100],
    'eval_type_error',
    'strings.replace_n: operand 2 must be string but got number',
  ],
  [
    'strings.any_prefix_match',
    [[1, 2], ['f/']],
    'eval_type_error',
    'strings.any_prefix_match: operand 1 must be array of strings but got array containing number',
  ],
  [
    'strings.any_prefix_match',
    [1, ['f/']],
    'eval_type_error',
    'strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number',
  ],
  [
    'strings.any_suffix_match',
    [['a'], [1]],
    'eval_type_error',
    'strings.any_suffix_match: operand 2 must be array of strings but got array containing number',
  ],
  [
    'strings.any_suffix_match',
    [['a'], 1],
    'eval_type_error',
    'strings.any_suffix_match: operand 2 must be one of {string, set, array} but got number',
  ],
  ['trim', ['a', 1], 'eval_type_error', 'trim: operand 2 must be string but got number'],
  ['lower', [null], 'eval_type_error', 'lower: operand 1 must be string but got null'],
];

test('string builtin errors', () => {
  for (const [name, args, code, message] of ERRORS) {
    assert.throws(
      () => call(name, ...args),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      `${name}(${JSON.stringify(args)})`,
    );
  }
});
