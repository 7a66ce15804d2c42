import './cmd-line.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to do', 'test', 'test'],
  ['caret and case', 'C^OMMAND /C DIR', 'command/c dir'],
  ['mixed case', 'C^oMMaNd /C DiR', 'command/c dir'],
  ['comma before slash', 'cmd,/c DiR', 'cmd/c dir'],
  ['quotes deleted', '"command" /c DiR', 'command/c dir'],
  ['single quotes and backslashes', "w'h'o\\am\\i", 'whoami'],
  ['semicolon and comma become one space', 'a;b,,c', 'a b c'],
  ['tab, CR, LF runs compress', 'a \t\r\n b', 'a b'],
  ['space before ( removed', 'echo (x)', 'echo(x)'],
  ['deleted char inside a run does not split it', 'a ^ /b', 'a/b'],
  ['leading and trailing separators kept as one space', '  ls  ', ' ls '],
  ['leading space dropped before slash', ' /bin/sh', '/bin/sh'],
  ['vertical tab and form feed are not separators', 'a\x0bb\x0cc', 'a\x0bb\x0cc'],
  ['high bytes kept', 'A\xc9', 'a\xc9'],
];

tableTest('cmdLine', cases);
