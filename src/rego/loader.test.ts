import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PolicyLoadError, loadPolicies } from './loader.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shieldx-loader-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test('rego files become modules; data files land at their directory path', () => {
  const dir = tree({
    'policy.rego': 'package a\n',
    'lib/util.rego': 'package lib\n',
    'data.json': '{"top": 1}',
    'users/data.yaml': 'alice: {roles: [admin]}\n',
    'users/extra/data.json': '{"x": true}',
    'README.md': 'ignored',
  });
  try {
    const r = loadPolicies([dir]);
    assert.deepEqual(
      r.modules.map((m) => path.relative(dir, m.file)),
      ['lib/util.rego', 'policy.rego'],
    );
    assert.deepEqual(r.data, { top: 1, users: { alice: { roles: ['admin'] }, extra: { x: true } } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data file given directly is merged at the root', () => {
  const dir = tree({ 'input-data.json': '{"a": {"b": 2}}' });
  try {
    assert.deepEqual(loadPolicies([path.join(dir, 'input-data.json')]).data, { a: { b: 2 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input names the file', () => {
  const dir = tree({ 'data.json': '{"a": ', 'x/data.json': '[1]', 'y/data.json': '{"k": 1}', 'y/z/data.json': '{}' });
  try {
    assert.throws(
      () => loadPolicies([path.join(dir, 'data.json')]),
      (e: unknown) => {
        assert.ok(e instanceof PolicyLoadError);
        assert.match(e.message, /data\.json: invalid JSON/);
        return true;
      },
    );
    assert.throws(() => loadPolicies([path.join(dir, 'x')]), /x\/data\.json: data file must hold an object/);
    assert.throws(() => loadPolicies([path.join(dir, 'missing')]), /missing: no such file or directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same key from two files is a conflict, not a silent overwrite', () => {
  const dir = tree({ 'data.json': '{"users": {"a": 1}}', 'users/data.json': '{"a": 2}' });
  try {
    assert.throws(() => loadPolicies([dir]), /defined twice/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
