import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { fromJSON, RObject, RSet, type Value } from '../value.js';
import './template.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const render = (template: Value, vars: Value): Value | undefined => callBuiltin('strings.render_template', [template, vars], ctx);

const CASES: Array<[string, unknown, string]> = [
  ['{{.test}}', { test: 'hello world' }, 'hello world'],
  ['{{.test}}', { test: 2023 }, '2023'],
  ['{{.x}} {{.y}}', { x: 1.5, y: -3 }, '1.5 -3'],
  [
    '{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}',
    { hellonames: ['rohan', 'john doe'] },
    'hello rohan,hello john doe',
  ],
  ['{{.testvarnotprovided}}', { test: 'hello world' }, '<undefined>'],
  ['test {{.foo}} {{.bar}} {{.baz}}', { baz: 1 }, 'test <undefined> <undefined> 1'],
  ['{{.a.b}}', {}, '<undefined>'],
  ['{{.a.b}}', { a: { b: [1, 'x', true, null] } }, '[1 x true <nil>]'],
  ['{{.a}}', { a: { y: 1, x: 'q' } }, 'map[x:q y:1]'],
  ['{{.n}}', { n: null }, '<nil>'],
  ['{{if .x}}yes{{else}}no{{end}}', { x: false }, 'no'],
  ['{{if .x}}yes{{else}}no{{end}}', { x: [] }, 'no'],
  ['{{if .x}}yes{{else}}no{{end}}', { x: 0 }, 'yes'],
  ['{{if .x}}a{{else if .y}}b{{else}}c{{end}}', { x: '', y: 'z' }, 'b'],
  ['{{with .a}}{{.b}}{{else}}none{{end}}', { a: { b: 'B' } }, 'B'],
  ['{{with .missing}}x{{else}}none{{end}}', {}, 'none'],
  ['  {{- .a -}}  \n', { a: 'x' }, 'x'],
  ['a {{/* comment */}} b', {}, 'a  b'],
  ['a {{- /* comment */ -}} b', {}, 'ab'],
  ['{{range .items}}<{{.}}>{{else}}none{{end}}', { items: [] }, 'none'],
  ['{{range .items}}<{{.}}>{{end}}', { items: ['a', 'b'] }, '<a><b>'],
  ['{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}', { m: { b: 2, a: 1 } }, 'a=1;b=2;'],
  ['{{range $v := .m}}{{$v}}{{end}}', { m: { b: 2, a: 1 } }, '12'],
  [
    '{{range $i, $e := .s}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$e}}{{end}}',
    { s: ['a', 'b', 'c', 'd'] },
    'ac',
  ],
  ['{{range 3}}{{.}}{{end}}', {}, '012'],
  ['{{$x := "a"}}{{$x}}{{$x = "b"}}{{$x}}', {}, 'ab'],
  ['{{range .s}}{{$}}{{end}}', { s: [1] }, 'map[s:[1]]'],
  ['{{len .items}} {{len .s}} {{len .m}}', { items: ['p', 'q'], s: 'héllo', m: { a: 1 } }, '2 6 1'],
  [
    '{{index .items 1}} {{index .m "a"}} {{index .m "zz"}} {{index .nested 0 1}}',
    { items: ['p', 'q'], m: { a: 1 }, nested: [[1, 2]] },
    'q 1 <nil> 2',
  ],
  ['{{slice "hello" 1 3}} {{slice .l 1}}', { l: [1, 2, 3] }, 'el [2 3]'],
  ['{{printf "%s-%03d-%v" .a 7 .n}}', { a: 'z', n: 5 }, 'z-007-5'],
  ['{{printf "%d" .n}}', { n: 5 }, '%!d(json.Number=5)'],
  ['{{.n | printf "%v!"}}', { n: 5 }, '5!'],
  ['{{print 1 2 "x" 3 "y"}}|{{println "a" 1}}|', {}, '1 2x3y|a 1\n|'],
  [
    '{{eq .a "x"}} {{eq .a "y" "x"}} {{ne 1 2}} {{lt 1.5 2.5}} {{le "a" "a"}} {{gt 3 2}} {{ge 1 2}}',
    { a: 'x' },
    'true true true true true true false',
  ],
  ['{{and .a .b}}|{{or .a .b}}|{{not .a}}|{{and 1 0 "x"}}', { a: '', b: 'x' }, '|x|true|0'],
  ['{{html "<a href=\'x\'>&\\""}}', {}, '&lt;a href=&#39;x&#39;&gt;&amp;&#34;'],
  ['{{js "it\'s <b>"}}', {}, "it\\'s \\u003Cb\\u003E"],
  ['{{urlquery "a b&c/d"}}', {}, 'a+b%26c%2Fd'],
  ['{{"quoted\\t\\u00e9"}} {{`raw\\n`}} {{\'a\'}} {{0x1F}} {{1e3}} {{-2}}', {}, 'quoted\té raw\\n 97 31 1000 -2'],
  ['{{(index .l 0).name}}', { l: [{ name: 'n' }] }, 'n'],
  ['{{.s}}', { s: RSet.from(['b', 'a']) }, '[a b]'],
  ['literal <no value> text', {}, 'literal <undefined> text'],
];

test('strings.render_template', () => {
  for (const [template, vars, want] of CASES) {
    const v = vars instanceof RObject ? vars : fromJSON(vars);
    assert.equal(render(template, v), want, template);
  }
});

const ERRORS: Array<[string, unknown, string]> = [
  ['{{.a', {}, 'template: template:1: unclosed action'],
  ['{{if .a}}x', {}, 'template: template:1: unexpected EOF'],
  ['{{end}}', {}, 'template: template:1: unexpected {{end}}'],
  ['{{foo}}', {}, 'template: template:1: function "foo" not defined'],
  ['{{}}', {}, 'template: template:1: missing value for command'],
  ['{{if}}{{end}}', {}, 'template: template:1: missing value for if'],
  ['{{$y}}', {}, 'template: template:1: undefined variable "$y"'],
  ['{{break}}', {}, 'template: template:1: {{break}} outside {{range}}'],
  ['{{/* x', {}, 'template: template:1: unclosed comment'],
  [
    '\n{{.a.b}}',
    { a: 'x' },
    'template: template:2:2: executing "template" at <.a.b>: can\'t evaluate field b in type interface {}',
  ],
  ['{{.a.b}}', { a: null }, 'template: template:1:2: executing "template" at <.a.b>: nil pointer evaluating interface {}.b'],
  [
    '{{index .a 5}}',
    { a: [1] },
    'template: template:1:2: executing "template" at <index .a 5>: error calling index: index out of range: 5',
  ],
  [
    '{{eq .n 5}}',
    { n: 5 },
    'template: template:1:2: executing "template" at <eq .n 5>: error calling eq: incompatible types for comparison',
  ],
  ['{{range .a}}{{end}}', { a: 'str' }, 'template: template:1:8: executing "template" at <.a>: range can\'t iterate over str'],
  ['{{len 3}}', {}, 'template: template:1:2: executing "template" at <len 3>: error calling len: len of type int'],
];

test('strings.render_template errors', () => {
  for (const [template, vars, message] of ERRORS) {
    assert.throws(
      () => render(template, fromJSON(vars)),
      (e: unknown) =>
        e instanceof BuiltinError && e.code === 'eval_builtin_error' && e.message === `strings.render_template: ${message}`,
      template,
    );
  }
  assert.throws(() => render(1, new RObject()), /operand 1 must be string but got number/);
  assert.throws(() => render('x', []), /operand 2 must be object but got array/);
});

test('runaway templates stop', () => {
  const vars = fromJSON({ l: Array.from({ length: 2000 }, (_, i) => i) });
  assert.throws(() => render('{{range .l}}{{range $.l}}{{.}}{{end}}{{end}}', vars), /step limit/);
});
