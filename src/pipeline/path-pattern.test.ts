import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePathPattern, globToRegExp, hasGlobWildcard, type PathPatternType } from './path-pattern.js';
import { StageConfigError } from './stage.js';

// [type, pattern, path, expected]
const CASES: [PathPatternType, string, string, boolean][] = [
  ['prefix', '/', '/', true],
  ['prefix', '/', '/anything/at/all', true],
  ['prefix', '/api', '/api', true],
  ['prefix', '/api', '/api/', true],
  ['prefix', '/api', '/api/x/y', true],
  ['prefix', '/api', '/apix', false],
  ['prefix', '/api', '/ap', false],
  ['prefix', '/api', '/', false],
  ['prefix', '/api', '/API', false],
  ['prefix', '/api/', '/api', true],
  ['prefix', '/api/', '/api/v1', true],
  ['prefix', '/api/', '/apiv1', false],
  ['prefix', '/api/v1', '/api/v1/users', true],
  ['prefix', '/api/v1', '/api/v10', false],
  ['prefix', '/a.b', '/aXb', false],
  ['exact', '/health', '/health', true],
  ['exact', '/health', '/health/', false],
  ['exact', '/health', '/healthz', false],
  ['exact', '/', '/', true],
  ['exact', '/', '/x', false],
  ['exact', '/a*', '/a*', true],
  ['exact', '/a*', '/ab', false],
  ['glob', '/api/*', '/api/users', true],
  ['glob', '/api/*', '/api/', true],
  ['glob', '/api/*', '/api', false],
  ['glob', '/api/*', '/api/users/1', false],
  ['glob', '/api/*/items', '/api/u1/items', true],
  ['glob', '/api/*/items', '/api/u1/u2/items', false],
  ['glob', '/files/*.png', '/files/cat.png', true],
  ['glob', '/files/*.png', '/files/cat.pngx', false],
  ['glob', '/files/*.png', '/files/catXpng', false],
  ['glob', '/files/*.png', '/files/a/cat.png', false],
  ['glob', '/a/**', '/a', true],
  ['glob', '/a/**', '/a/', true],
  ['glob', '/a/**', '/a/x/y/z', true],
  ['glob', '/a/**', '/ab', false],
  ['glob', '/a/**/b', '/a/b', true],
  ['glob', '/a/**/b', '/a/x/b', true],
  ['glob', '/a/**/b', '/a/x/y/b', true],
  ['glob', '/a/**/b', '/a/x/y/c', false],
  ['glob', '/a/**/b', '/a/xb', false],
  ['glob', '/**', '/', true],
  ['glob', '/**', '/anything/deep', true],
  ['glob', '/**/*.php', '/index.php', true],
  ['glob', '/**/*.php', '/wp/admin/x.php', true],
  ['glob', '/**/*.php', '/wp/admin/x.phtml', false],
  ['glob', '/a**z', '/a/b/c/z', true],
  ['glob', '/a**z', '/a/b/c/y', false],
  ['glob', '/v?/users', '/v1/users', true],
  ['glob', '/v?/users', '/v12/users', false],
  ['glob', '/v?/users', '/v/users', false],
  ['glob', '/a?b', '/a/b', false],
  ['glob', '/x(y)+[z]$^{1}|', '/x(y)+[z]$^{1}|', true],
  ['glob', '/x(y)+[z]', '/xyyz', false],
  ['glob', '/a.b', '/aXb', false],
  ['glob', '/exact', '/exact', true],
  ['glob', '/exact', '/exact/more', false],
];

describe('compilePathPattern', () => {
  for (const [type, pattern, path, expected] of CASES) {
    test(`${type} ${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(compilePathPattern(pattern, type)(path), expected);
    });
  }

  test('patterns must start with "/"', () => {
    for (const type of ['prefix', 'exact', 'glob'] as const) {
      assert.throws(() => compilePathPattern('api', type), StageConfigError);
      assert.throws(() => compilePathPattern('', type), /must start with/);
    }
  });

  test('unknown type is a config error', () => {
    assert.throws(() => compilePathPattern('/x', 'regex' as PathPatternType), /unknown path pattern type/);
  });

  test('glob compiles to one anchored RegExp', () => {
    const re = globToRegExp('/a/*/b');
    assert.ok(re instanceof RegExp);
    assert.ok(re.source.startsWith('^') && re.source.endsWith('$'));
    assert.ok(re.test('/a/x/b'));
  });

  test('hasGlobWildcard', () => {
    assert.equal(hasGlobWildcard('/a/b'), false);
    assert.equal(hasGlobWildcard('/a/*'), true);
    assert.equal(hasGlobWildcard('/a?'), true);
  });
});
