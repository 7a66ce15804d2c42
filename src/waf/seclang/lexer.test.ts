import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lexSecLang, lineOf } from './lexer.js';

const words = (text: string) => lexSecLang(text, 'f.conf').directives.map((d) => [d.name, ...d.args.map((a) => a.value)]);

test('lexer: directives, quoting and escapes', () => {
  const cases: [string, string, string[][]][] = [
    ['plain words', 'SecRuleEngine On', [['SecRuleEngine', 'On']]],
    ['blank lines and indentation', '\n\n   SecRuleEngine   On  \n\n', [['SecRuleEngine', 'On']]],
    ['double quotes keep blanks', 'SecRule ARGS "@rx a b" "id:1"', [['SecRule', 'ARGS', '@rx a b', 'id:1']]],
    ['single quotes', "SecMarker 'END HOST'", [['SecMarker', 'END HOST']]],
    ['escaped quote inside quotes', 'SecRule ARGS "@rx \\"x\\"" "id:1"', [['SecRule', 'ARGS', '@rx "x"', 'id:1']]],
    ['escaped backslash inside quotes', 'SecRule ARGS "@rx a\\\\b"', [['SecRule', 'ARGS', '@rx a\\b']]],
    ['other backslashes are kept', 'SecRule ARGS "@rx \\d+\\.\\x5c" x', [['SecRule', 'ARGS', '@rx \\d+\\.\\x5c', 'x']]],
    ['the other quote is not special', `SecRule ARGS "msg:'a\\'b'"`, [['SecRule', 'ARGS', "msg:'a\\'b'"]]],
    ['unquoted backslash pair', 'SecMarker a\\\\b', [['SecMarker', 'a\\b']]],
    ['empty quoted argument', 'SecRule ARGS "" "id:1"', [['SecRule', 'ARGS', '', 'id:1']]],
    ['comment lines', '# SecRuleEngine Off\n  # indented\nSecRuleEngine On', [['SecRuleEngine', 'On']]],
    ['# inside a line is text', 'SecMarker a#b', [['SecMarker', 'a#b']]],
    [
      'CRLF line ends',
      'SecRuleEngine On\r\nSecRequestBodyAccess Off\r\n',
      [
        ['SecRuleEngine', 'On'],
        ['SecRequestBodyAccess', 'Off'],
      ],
    ],
    ['continuation between words', 'SecRule ARGS \\\n  "@rx a" \\\n  "id:1"', [['SecRule', 'ARGS', '@rx a', 'id:1']]],
    [
      'continuation inside quotes keeps the next line indentation',
      'SecAction "id:1,\\\n    pass"',
      [['SecAction', 'id:1,    pass']],
    ],
    ['continuation with trailing blanks and CR', 'SecAction \\  \r\n "id:1"', [['SecAction', 'id:1']]],
    ['a continued comment swallows the next line', '# one \\\nSecRuleEngine Off\nSecRuleEngine On', [['SecRuleEngine', 'On']]],
    ['backslash at end of file', 'SecRuleEngine On \\', [['SecRuleEngine', 'On']]],
    ['UTF-8 byte-order mark read as bytes', '\u00ef\u00bb\u00bfSecRuleEngine On', [['SecRuleEngine', 'On']]],
    ['decoded byte-order mark', '\ufeffSecRuleEngine On', [['SecRuleEngine', 'On']]],
  ];
  for (const [name, text, want] of cases) assert.deepEqual(words(text), want, name);
});

test('lexer: lines of directives and argument characters', () => {
  const text = '# header\n\nSecRule ARGS \\\n  "@rx a" \\\n  "id:1,\\\n  phase:2,\\\n  bogus"\nSecMarker X\n';
  const { directives, issues } = lexSecLang(text, 'f.conf');
  assert.deepEqual(issues, []);
  const [rule, marker] = directives;
  assert.equal(rule?.line, 3);
  assert.equal(rule?.args[1]?.line, 4);
  const actions = rule?.args[2];
  assert.ok(actions);
  assert.equal(actions.line, 5);
  assert.equal(lineOf(actions, actions.value.indexOf('id:1')), 5);
  assert.equal(lineOf(actions, actions.value.indexOf('phase')), 6);
  assert.equal(lineOf(actions, actions.value.indexOf('bogus')), 7);
  assert.equal(marker?.line, 8);
  assert.equal(marker?.file, 'f.conf');
});

test('lexer: an unterminated quote is an error on its line, the rest still lexes', () => {
  const { directives, issues } = lexSecLang('SecRuleEngine On\nSecRule ARGS "@rx a\nSecMarker B\n', 'x.conf');
  assert.deepEqual(issues, [{ file: 'x.conf', line: 2, message: 'unterminated quoted argument' }]);
  assert.deepEqual(
    directives.map((d) => d.name),
    ['SecRuleEngine', 'SecMarker'],
  );
  assert.equal(lexSecLang('SecMarker "abc', 'y.conf').issues[0]?.line, 1);
});
