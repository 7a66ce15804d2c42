import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SqlContext, SqlTokenizer } from './sqli-tokenizer.js';

function tokens(input: string, ctx: SqlContext = ''): string[] {
  const tz = new SqlTokenizer(input, ctx);
  const out: string[] = [];
  for (let t = tz.next(); t !== null; t = tz.next()) out.push(`${t.type}:${t.text}`);
  return out;
}

test('tokenizer: token types', () => {
  const cases: [string, SqlContext, string[]][] = [
    ['1 or 1=1', '', ['1:1', '&:or', '1:1', 'o:=', '1:1']],
    ["1' or 'a'='a", "'", ['s:1', '&:or', 's:a', 'o:=', 's:a']],
    ['1" and "x', '"', ['s:1', '&:and', 's:x']],
    ["'it''s'", '', ["s:it''s"]],
    ["'a\\'b'", '', ["s:a\\'b"]],
    ['UNION SeLeCt', '', ['U:union', 'E:select']],
    ['sleep(5)', '', ['f:sleep', '(:(', '1:5', '):)']],
    ['sleep (5)', '', ['f:sleep', '(:(', '1:5', '):)']],
    ['sleep', '', ['n:sleep']],
    ['foo(1)', '', ['n:foo', '(:(', '1:1', '):)']],
    ['foo (1)', '', ['n:foo', '(:(', '1:1', '):)']],
    ['left join', '', ['k:left', 'k:join']],
    ['left(x,1)', '', ['f:left', '(:(', 'n:x', ',:,', '1:1', '):)']],
    ['@@version @x @`q`', '', ['v:@@version', 'v:@x', 'v:@`q`']],
    ['0x7e 0b101 1.5e3 .5 12', '', ['1:0x7e', '1:0b101', '1:1.5e3', '1:.5', '1:12']],
    ['43751883h 1union', '', ['n:43751883h', 'n:1union']],
    ['1e0union', '', ['1:1e0', 'U:union']],
    ['a.b master..sysdatabases', '', ['n:a.b', 'n:master..sysdatabases']],
    ['`x y` [z]', '', ['n:x y', 'n:z']],
    ['1 -- c\n2', '', ['1:1', 'c:-- c', '1:2']],
    ['1 # c', '', ['1:1', 'c:# c']],
    ['#tag', '', ['?:#', 'n:tag']],
    ['1 /* c */ 2 /* open', '', ['1:1', 'c:/* c */', '1:2', 'c:/* open']],
    ['/*!50000union*/ select', '', ['U:union', 'E:select']],
    [
      'a<=>b a<>b a!=b a||b a&&b a|b',
      '',
      [
        'n:a',
        'o:<=>',
        'n:b',
        'n:a',
        'o:<>',
        'n:b',
        'n:a',
        'o:!=',
        'n:b',
        'n:a',
        '&:||',
        'n:b',
        'n:a',
        '&:&&',
        'n:b',
        'n:a',
        'o:|',
        'n:b',
      ],
    ],
    ["N'x' x'41' $$y$$", '', ['s:x', 's:41', 's:y']],
    ['\\N', '', ['1:\\n']],
    ['( ) , ; : \\ ?', '', ['(:(', '):)', ',:,', ';:;', ':::', '\\:\\', '?:?']],
    ['null true', '', ['1:null', '1:true']],
    ['waitfor delay', '', ['T:waitfor', 'n:delay']],
    ['int collate', '', ['t:int', 'A:collate']],
    ['', "'", ['s:']],
    ['abc', "'", ['s:abc']],
  ];
  for (const [input, ctx, want] of cases) assert.deepEqual(tokens(input, ctx), want, `${ctx}${input}`);
});

test('tokenizer: unterminated strings and comments run to the end', () => {
  const tz = new SqlTokenizer("x 'abc", '');
  tz.next();
  const t = tz.next();
  assert.equal(t?.type, 's');
  assert.equal(t?.open, true);
  assert.equal(tz.next(), null);
});

test('tokenizer: every byte value tokenizes without error', () => {
  let all = '';
  for (let c = 0; c < 256; c++) all += String.fromCharCode(c);
  for (const ctx of ['', "'", '"'] as SqlContext[]) {
    const tz = new SqlTokenizer(all + all, ctx);
    let n = 0;
    while (tz.next() !== null) n++;
    assert.ok(n > 0);
  }
});
