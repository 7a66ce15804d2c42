import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { listConfigRevisions, recordConfigRevision } from './config-revisions.js';
import { parseSqlUrl, openSqlStore } from './sql.js';
import { sqlConformance } from './sql.case.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'shieldx-sql-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let fileCount = 0;

sqlConformance('sqlite file', () => openSqlStore(`sqlite:${path.join(tmp, `conf-${fileCount++}`, 'shieldx.db')}`));
sqlConformance('sqlite :memory:', () => openSqlStore('sqlite::memory:'));

describe('SQLite store', () => {
  test('creates the parent directory and sets WAL, busy_timeout and foreign_keys', async () => {
    const file = path.join(tmp, 'nested', 'deeper', 'shieldx.db');
    const store = await openSqlStore(`sqlite:${file}`);
    try {
      assert.equal(store.dialect, 'sqlite');
      assert.ok(existsSync(file));
      const pragma = async (name: string) =>
        Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(store.db)).rows[0] ?? {})[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('foreign_keys'), 1);
    } finally {
      await store.close();
    }
  });

  test('data survives reopening, and re-migrating the file is a no-op', async () => {
    const file = path.join(tmp, 'reopen.db');
    const first = await openSqlStore(`sqlite:${file}`);
    await first.migrate();
    const rev = await recordConfigRevision(first, { sha256: 'c'.repeat(64), source: 'test', status: 'applied' });
    await first.close();

    // Same file through the sqlite:///abs form.
    const second = await openSqlStore(`sqlite://${file}`);
    try {
      await second.migrate();
      assert.deepEqual(await listConfigRevisions(second, { limit: 5 }), [rev]);
    } finally {
      await second.close();
    }
  });

  test('two stores on one file (two processes) both write, waiting on the lock', async () => {
    const file = path.join(tmp, 'shared.db');
    const a = await openSqlStore(`sqlite:${file}`);
    const b = await openSqlStore(`sqlite:${file}`);
    try {
      await a.migrate();
      await b.migrate();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          recordConfigRevision(i % 2 ? a : b, { sha256: 'd'.repeat(64), source: `w${i}`, status: 'applied' }),
        ),
      );
      assert.equal((await listConfigRevisions(a, { limit: 100 })).length, 20);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('worker processes starting together on a fresh file all migrate it cleanly', async () => {
    const file = path.join(tmp, 'workers', 'shieldx.db');
    // The child is .ts under tsx and .js once compiled, like this file.
    const ext = path.extname(fileURLToPath(import.meta.url));
    const child = fileURLToPath(new URL(`./testdata/migrate-once${ext}`, import.meta.url));
    const runOne = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const p = spawn(process.execPath, [...(ext === '.ts' ? ['--import', 'tsx'] : []), child, `sqlite:${file}`], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        p.stderr.on('data', (d) => (stderr += d));
        p.once('error', reject);
        p.once('exit', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([runOne(), runOne(), runOne()]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = await openSqlStore(`sqlite:${file}`);
    try {
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
      assert.deepEqual(
        applied.rows.map((r) => r.name),
        ['0001_base'],
      );
    } finally {
      await store.close();
    }
  });

  test('URL forms resolve to the right path', () => {
    assert.deepEqual(parseSqlUrl('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseSqlUrl('sqlite:///var/lib/shieldx/x.db'), { dialect: 'sqlite', path: '/var/lib/shieldx/x.db' });
    assert.deepEqual(parseSqlUrl('sqlite:/var/lib/shieldx/x.db'), { dialect: 'sqlite', path: '/var/lib/shieldx/x.db' });
    assert.deepEqual(parseSqlUrl('sqlite:data/x.db'), { dialect: 'sqlite', path: path.resolve('data/x.db') });
    assert.deepEqual(parseSqlUrl('postgres://u@h:5432/db?schema=s1&sslmode=disable'), {
      dialect: 'postgres',
      connectionString: 'postgres://u@h:5432/db?sslmode=disable',
      schema: 's1',
    });
    assert.deepEqual(parseSqlUrl('postgresql://u@h/db?search_path=s2'), {
      dialect: 'postgres',
      connectionString: 'postgresql://u@h/db',
      schema: 's2',
    });
  });

  test('a path that cannot hold a database is a clear error', async () => {
    const blocker = path.join(tmp, 'a-file');
    writeFileSync(blocker, 'not a directory');
    await assert.rejects(openSqlStore(`sqlite:${path.join(blocker, 'x.db')}`), /cannot open SQLite database/);
    const notDb = path.join(tmp, 'garbage.db');
    writeFileSync(notDb, 'this is not an SQLite file, it is long enough to have a header '.repeat(20));
    await assert.rejects(openSqlStore(`sqlite:${notDb}`), /SQLite database .*garbage\.db/);
  });
});
