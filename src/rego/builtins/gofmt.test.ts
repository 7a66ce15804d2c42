import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GoValue, goSprint, goSprintf } from './gofmt.js';
import { formatFloat, goQuote } from './gostrconv.js';

const I = (n: number | bigint): GoValue => ({ k: 'int', v: BigInt(n) });
const F = (n: number): GoValue => ({ k: 'float', v: n });
const S = (s: string): GoValue => ({ k: 'string', v: s });
const B = (n: bigint): GoValue => ({ k: 'bigint', v: n });

// Expected outputs are Go's fmt.Sprintf results.
const CASES: Array<[string, GoValue[], string]> = [
  ['%d', [I(12345)], '12345'],
  ['%02d', [I(5)], '05'],
  ['%02X.%02X', [I(127), I(1)], '7F.01'],
  ['%+d %+d % d', [I(5), I(-5), I(5)], '+5 -5  5'],
  ['%.0d|%6.0d|%.d', [I(0), I(0), I(0)], '|      |'],
  ['%#b %#o %O %#x %#X %x', [I(-6), I(0o1234), I(0o1234), I(255), I(0), I(-255)], '-0b110 01234 0o1234 0xff 0X0 -ff'],
  ['%020.8d|%-20.8d|', [I(-1234), I(1234)], '           -00001234|00001234            |'],
  ['%-#20.8x|', [I(0x1234abc)], '0x01234abc          |'],
  ['%c%c|%3c|%-3c|', [I(0x672c), I(0x65e5), I(0x2318), I(0x2318)], '本日|  ⌘|⌘  |'],
  ['%c', [I(-1)], '\ufffd'],
  ['%q %+q %q', [I(0x263a), I(0x263a), I(39)], "'☺' '\\u263a' '\\''"],
  ['%U %#U %#14.6U', [I(-1), I(0x263a), I(0x2318)], "U+FFFFFFFFFFFFFFFF U+263A '☺'   U+002318 '⌘'"],
  ['%s|%5s|%-5s|%05s|%.2s', [S('abc'), S('abc'), S('abc'), S('abc'), S('日本語')], 'abc|  abc|abc  |00abc|日本'],
  ['%x %X % x %#x %# x', [S('xyz'), S('xyz'), S('xyz'), S('xyz'), S('xyz')], '78797a 78797A 78 79 7a 0x78797a 0x78 0x79 0x7a'],
  ['%x', [S('\u00ff')], 'c3bf'],
  ['%q|%+q|%#q|%#q', [S('日本語'), S('日本語'), S('abc'), S('a`b')], '"日本語"|"\\u65e5\\u672c\\u8a9e"|`abc`|"a`b"'],
  ['%q', [S('\u0007\b\f\n\r\t\v"\\\u00a0\u200b')], '"\\a\\b\\f\\n\\r\\t\\v\\"\\\\\\u00a0\\u200b"'],
  ['%010q|%-010q|', [S('⌘'), S('⌘')], '0000000"⌘"|"⌘"       |'],
  [
    '%e %E %f %g %G',
    [F(1234.5678e3), F(-7), F(1234.5678e-8), F(-1e-9), F(1234.5678e3)],
    '1.234568e+06 -7.000000E+00 0.000012 -1e-09 1.2345678E+06',
  ],
  ['%v %v %v %v', [F(1.2345678), F(1e21), F(123456.5), F(1234567.5)], '1.2345678 1e+21 123456.5 1.2345675e+06'],
  ['%g %g %g %g', [F(100000), F(1000000), F(0.0001), F(0.00001)], '100000 1e+06 0.0001 1e-05'],
  ['%.3g %.3g %.2e %.3e', [F(1234567), F(100), F(9.999), F(0)], '1.23e+06 100 1.00e+01 0.000e+00'],
  ['%.0f %.0f %.0f %.2f %.1f %.1f', [F(0.5), F(1.5), F(2.5), F(0.125), F(0.25), F(0.05)], '0 2 2 0.12 0.2 0.1'],
  [
    '%+.3e|%+07.2f|%-07.2f|% .3e|%20f',
    [F(1), F(-1), F(-1), F(1), F(1.23456789e-3)],
    '+1.000e+00|-001.00|-1.00  | 1.000e+00|            0.001235',
  ],
  ['%b %x %X %#.4x %#.0x', [F(1), F(1), F(-1), F(123), F(123)], '4503599627370496p-52 0x1p+00 -0X1P+00 0x1.ec00p+06 0x1.p+07'],
  ['%#g %#g %#g %#.4g %#.0f', [F(1.1), F(123456), F(1234567), F(0.012), F(1)], '1.10000 123456. 1.234567e+06 0.01200 1.'],
  [
    '%f|%.1f|% f|%20f|%+020e|%-020f|',
    [F(Infinity), F(-Infinity), F(NaN), F(Infinity), F(Infinity), F(-Infinity)],
    '+Inf|-Inf| NaN|                +Inf|                +Inf|-Inf                |',
  ],
  [
    '%t %v',
    [
      { k: 'bool', v: true },
      { k: 'bool', v: false },
    ],
    'true false',
  ],
  [
    '%s %v %d %x %08d %+d %.5d',
    [B(123456789123456789123n), B(-5n), B(7n), B(255n), B(-12n), B(3n), B(42n)],
    '123456789123456789123 -5 7 ff -0000012 +3 00042',
  ],
  ['%f|%c', [B(12n), B(65n)], '%!f(big.Int=12)|%!c(big.Int=65)'],
  ['%d|%s|%t|%x', [S('hi'), I(5), I(1), { k: 'bool', v: true }], '%!d(string=hi)|%!s(int=5)|%!t(int=1)|%!x(bool=true)'],
  ['%5d', [S('hi')], '%!d(string=   hi)'],
  ['%☠', [F(1.5)], '%!☠(float64=1.5)'],
  ['%d', [{ k: 'string', v: '5', type: 'json.Number' }], '%!d(json.Number=5)'],
  [
    '%v %d %x',
    [
      { k: 'slice', v: [I(1), S('a')] },
      { k: 'slice', v: [I(1), I(15)] },
      { k: 'slice', v: [I(1), I(15)] },
    ],
    '[1 a] [1 15] [1 f]',
  ],
  [
    '%v|%#v',
    [
      {
        k: 'map',
        v: [
          ['b', I(2)],
          ['a', { k: 'nil' }],
        ],
      },
      { k: 'slice', v: [S('a'), { k: 'nil' }] },
    ],
    'map[a:<nil> b:2]|[]interface {}{"a", interface {}(nil)}',
  ],
  ['%T %T %T %T', [I(1), F(1), S(''), B(1n)], 'int float64 string *big.Int'],
  ['hi', [S('guys')], 'hi%!(EXTRA string=guys)'],
  ['', [I(2), { k: 'nil' }], '%!(EXTRA int=2, <nil>)'],
  ['hi%d', [], 'hi%!d(MISSING)'],
  ['%s %', [S('hello')], 'hello %!(NOVERB)'],
  ['%.', [I(3)], '%!.(int=3)'],
  ['%*d|%-*d|%.*f', [I(4), I(7), I(4), I(7), I(2), F(2.256)], '   7|7   |2.26'],
  ['%*s', [F(4.5), S('hi')], '%!(BADWIDTH)hi'],
  ['%.*s', [F(4.5), S('hi')], '%!(BADPREC)hi'],
  ['%[2]d %[1]d', [I(1), I(2)], '2 1'],
  ['%[3]*.[2]*[1]f', [F(12), I(2), I(6)], ' 12.00'],
  ['%d %d %#[1]x %#x', [I(16), I(17)], '16 17 0x10 0x11'],
  ['%[d', [I(2), I(1)], '%!d(BADINDEX)'],
  ['%]d', [I(2), I(1)], '%!](int=2)d%!(EXTRA int=1)'],
  ['%[5]d %[2]d %d', [I(1), I(2), I(3)], '%!d(BADINDEX) 2 3'],
  ['%.-3d', [I(42)], '%!-(int=42)3d'],
  ['%017091901790959340919092959340919017929593813360', [I(0)], '%!(NOVERB)%!(EXTRA int=0)'],
  ['%010.2', [S('12345')], '%!(NOVERB)%!(EXTRA string=12345)'],
  ['%%|%5%|%d%%', [I(50)], '%|%|50%'],
];

test('goSprintf matches Go fmt.Sprintf', () => {
  for (const [format, args, want] of CASES) assert.equal(goSprintf(format, args), want, format);
});

test('goSprint', () => {
  assert.equal(goSprint({ k: 'nil' }), '<nil>');
  assert.equal(goSprint({ k: 'map', v: [['z', { k: 'slice', v: [] }]] }), 'map[z:[]]');
});

test('strconv.FormatFloat', () => {
  const cases: Array<[number, string, number, string]> = [
    [0, 'g', -1, '0'],
    [-0, 'g', -1, '-0'],
    [5e-324, 'g', -1, '5e-324'],
    [Number.MAX_VALUE, 'g', -1, '1.7976931348623157e+308'],
    [0.1, 'f', 20, '0.10000000000000000555'],
    [123456789, 'e', 3, '1.235e+08'],
    [1e100, 'f', 0, '10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104'],
    [0.000001234, 'g', 2, '1.2e-06'],
    [5e-324, 'b', -1, '1p-1074'],
  ];
  for (const [v, fmt, prec, want] of cases) assert.equal(formatFloat(v, fmt, prec), want, `${v} ${fmt} ${prec}`);
});

test('strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c\n'), '"a\\"b\\\\c\\n"');
  assert.equal(goQuote('\u007f\u0000é😀\ufeff'), '"\\x7f\\x00é😀\\ufeff"');
  assert.equal(goQuote('é😀', true), '"\\u00e9\\U0001f600"');
});
