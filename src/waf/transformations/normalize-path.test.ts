import assert from 'node:assert/strict';
import { test } from 'node:test';
import './normalize-path.js';
import { getTransformation } from './registry.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['already normal', '/foo/bar/baz', '/foo/bar/baz'],
  ['single name', 'x', 'x'],
  ['dot alone', '.', ''],
  ['dot slash', './', ''],
  ['relative dot-dot kept', '../..', '../..'],
  ['dot then dot-dot', './../', '../'],
  ['dot-dot then dot', '../.', '..'],
  ['double slash collapsed', '/dir/foo//bar', '/dir/foo/bar'],
  ['trailing slash kept', 'dir/foo//bar/', 'dir/foo/bar/'],
  ['back-reference resolved', 'dir/../foo', 'foo'],
  ['unresolvable back-reference in a relative path', 'dir/../../foo', '../foo'],
  ['mixed relative', 'dir//.//..//.//..//..//foo//bar//', '../../foo/bar/'],
  ['several back-references', 'dir/subdir/subsubdir/subsubsubdir/../../..', 'dir'],
  ['absolute, trailing slash', '/dir/./subdir/../subsubdir/../subsubsubdir/../', '/dir/'],
  ['cannot climb above the root', '/./.././../../../../../../../\0/../etc/./passwd', '/etc/passwd'],
  ['root stays root', '/', '/'],
  ['slashes only', '//', '/'],
  ['dots inside names are not special', '/a.b/...c/..d', '/a.b/...c/..d'],
  ['backslash is not a separator here', 'a\\..\\b', 'a\\..\\b'],
];

tableTest('normalizePath', cases);

test('British spelling normalisePath is the same function', () => {
  assert.equal(getTransformation('normalisePath')?.fn('/a/../b'), '/b');
});
