import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detect, isScriptUrl } from './xss.js';

const ATTACKS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://x/xss.js></SCRIPT>',
  '<script/xss src="http://x/xss.js"></script>',
  '<scr<script>ipt>alert(1)</script>',
  '<svg><script>alert(1)</script>',
  '<svg/onload=alert(1)>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=x OnErRoR=alert(1)>',
  '<img/src="x"/onerror=alert(1)>',
  '<img src=x onerror="alert(1)"',
  '<body onload=alert(1)>',
  '<body onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(1)>',
  '<div onmouseover="alert(1)">x</div>',
  '<img+src=x+onerror=prompt(1);>',
  '<iframe src="http://evil/"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
  '<object data="x.swf">',
  '<embed src="x.swf">',
  '<applet code="x.class">',
  '<link rel="stylesheet" href="http://evil/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="http://evil/">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<div style="width: expression(alert(1));">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" &#14;  javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<form action="javascript:alert(1)"><input type=submit>',
  '<button formaction=javascript:alert(1)>x',
  '<br size="&{alert(1)}">',
  '<a href="about:<script>alert(1)</script>">',
  '<b <script>alert(1)//</script>0</script></b>',
  '<span datasrc="#x" datafld="b" dataformatas="html"></span>',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  '<!--[if]>x',
  '<?xml version="1.0"?><x>',
  '<? echo 1; ?>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus x='",
  '` onmouseover=alert(1) x=`',
  'x onerror=alert(1)',
  '"javascript:alert(1)">clickme',
  'javascript:alert(1)',
  '  javascript:alert(document.cookie)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(0)</script>',
  '&{alert(1)};',
  '<math><mtext><img src=x onerror=alert(1)>',
  '<x:script xmlns:x="http://www.w3.org/1999/xhtml" src="data:,alert(1)" />',
  '<xss onbeforehellfreezes=alerw(1)>',
  '<p xmlns:x="http://www.w3.org/1999/xhtml">',
  '<script src="data:,alert(1)"></script>',
];

const BENIGN = [
  '',
  'hello world',
  "O'Reilly",
  'He said "hello"',
  '5 < 6 and 7 > 3',
  'a<b',
  'x > y',
  'I <3 you',
  '<3',
  '<b>bold</b> and <i>italic</i>',
  '<p class="note">text</p>',
  '<a href="https://example.com/page?x=1">link</a>',
  '<a href="/relative/path">x</a>',
  '<a href="mailto:a@b.c">mail</a>',
  '<img src="cat.png" alt="a cat">',
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<ul><li>one</li><li>two</li></ul>',
  '<!-- a comment -->',
  '<br/>',
  '</div>',
  'once upon a time',
  'online=yes',
  'the "style" guide',
  'turn on=off',
  'data: 12, 13',
  'javascript is fun',
  'price: $5 <= $10',
  'a = b & c',
  'a&b=c',
  '{"key": "value"}',
  'x=1&y=2',
  'https://example.com/?q=<search>',
  '<user@example.com>',
  '<<>>',
  '<',
  '>',
  '"',
  "'",
  '`',
];

test('xss: detects script injection', () => {
  for (const a of ATTACKS) assert.equal(detect(a), true, `missed ${JSON.stringify(a)}`);
});

test('xss: passes benign text and harmless markup', () => {
  for (const b of BENIGN) assert.equal(detect(b), false, `false positive ${JSON.stringify(b)}`);
});

test('xss: script URLs after browser normalisation', () => {
  const cases: [string, boolean][] = [
    ['javascript:alert(1)', true],
    [' \t\njava\tscript:x', true],
    ['&#x6A;avascript:x', true],
    ['&#0000106avascript:x', true],
    ['VBScript:x', true],
    ['data:text/html,x', true],
    ['data:image/svg+xml,x', true],
    ['data:image/png;base64,x', false],
    ['data:,alert(1)', true],
    ['http://javascript:x', false],
    ['/javascript:x', false],
    ['', false],
  ];
  for (const [v, want] of cases) assert.equal(isScriptUrl(v), want, v);
});

test('xss: large and hostile inputs finish and do not throw', () => {
  const big = ['<'.repeat(500_000), `<a ${'x='.repeat(200_000)}`, `<!--${'-'.repeat(500_000)}`, `"${'&#'.repeat(200_000)}`];
  for (const s of big) assert.equal(typeof detect(s), 'boolean');
  assert.equal(detect(`${'a'.repeat(1_000_000)}<script>`), true);
});
