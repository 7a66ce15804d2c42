import assert from 'node:assert/strict';
import { test } from 'node:test';
import './normalize-path-win.js';
import { getTransformation } from './registry.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['backslashes become slashes', '\\foo\\bar\\baz', '/foo/bar/baz'],
  ['single name', 'x', 'x'],
  ['dot backslash', '.\\', ''],
  ['dot-dot backslash', '..\\', '../'],
  ['dot-dot dot backslash', '..\\.\\', '../'],
  ['doubled backslash collapsed', '\\dir\\foo\\\\bar', '/dir/foo/bar'],
  ['trailing backslash kept as slash', 'dir\\foo\\\\bar\\', 'dir/foo/bar/'],
  ['back-reference resolved', 'dir\\..\\foo', 'foo'],
  ['unresolvable back-reference in a relative path', 'dir\\.\\..\\.\\..\\..\\foo\\bar', '../../foo/bar'],
  ['mixed separators', 'c:\\windows/system32\\..\\win.ini', 'c:/windows/win.ini'],
  ['traversal to the root', '\\.\\..\\..\\..\\\0\\..\\etc\\.\\passwd', '/etc/passwd'],
  ['absolute, trailing backslash', '\\dir\\.\\sub\\..\\', '/dir/'],
  ['plain relative', 'foo\\bar', 'foo/bar'],
];

tableTest('normalizePathWin', cases);

test('British spelling normalisePathWin is the same function', () => {
  assert.equal(getTransformation('normalisePathWin')?.fn('a\\..\\b'), 'b');
});
