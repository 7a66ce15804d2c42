import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { POSTGRES_URL, serviceSkipReason } from '../testing/services.js';
import { listConfigRevisions, recordConfigRevision } from './config-revisions.js';
import { openSqlStore } from './sql.js';
import { sqlConformance } from './sql.case.js';

const skip = await serviceSkipReason(POSTGRES_URL);

/** Every schema this run creates starts with this; all are dropped afterwards. */
const RUN = `shieldx_test_${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];

function urlWithSchema(schema: string): string {
  const u = new URL(POSTGRES_URL);
  u.searchParams.set('schema', schema);
  return u.toString();
}

function freshSchemaUrl(): string {
  const schema = `${RUN}_${schemas.length}`;
  schemas.push(schema);
  return urlWithSchema(schema);
}

after(async () => {
  if (skip || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    const left = await client.query('select nspname from pg_namespace where nspname like $1', [`${RUN}%`]);
    assert.deepEqual(left.rows, [], 'test schemas left behind');
  } finally {
    await client.end();
  }
});

sqlConformance('postgres', () => openSqlStore(freshSchemaUrl()), { skip });

describe('PostgreSQL store', { skip }, () => {
  test('tables, including the migration bookkeeping, live in the URL schema only', async () => {
    const url = freshSchemaUrl();
    const schema = schemas[schemas.length - 1] as string;
    const store = await openSqlStore(url);
    try {
      assert.equal(store.dialect, 'postgres');
      await store.migrate();
      const tables = await sql<{ table_schema: string; table_name: string }>`
        select table_schema, table_name from information_schema.tables
        where table_name in ('shieldx_meta', 'config_revisions', 'kysely_migration', 'kysely_migration_lock')
          and table_schema = ${schema}
        order by table_name`.execute(store.db);
      assert.deepEqual(
        tables.rows.map((r) => r.table_name),
        ['config_revisions', 'kysely_migration', 'kysely_migration_lock', 'shieldx_meta'],
      );
    } finally {
      await store.close();
    }
  });

  test('reopening the same schema keeps data and re-migrates as a no-op; other schemas are separate', async () => {
    const url = freshSchemaUrl();
    const a = await openSqlStore(url);
    await a.migrate();
    const rev = await recordConfigRevision(a, { sha256: 'e'.repeat(64), source: 'pg', status: 'applied' });
    await a.close();

    const again = await openSqlStore(url);
    const other = await openSqlStore(freshSchemaUrl());
    try {
      // Two processes migrating the same schema at once: kysely's advisory lock serialises them.
      const twin = await openSqlStore(url);
      try {
        await Promise.all([again.migrate(), twin.migrate()]);
      } finally {
        await twin.close();
      }
      assert.deepEqual(await listConfigRevisions(again, { limit: 10 }), [rev]);
      await other.migrate();
      assert.deepEqual(await listConfigRevisions(other, { limit: 10 }), []);
    } finally {
      await again.close();
      await other.close();
    }
  });
});

describe('PostgreSQL store without a server', () => {
  test('an unreachable server is a clear error that hides the password', async () => {
    const srv = net.createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    await assert.rejects(openSqlStore(`postgres://postgres:s3cret@127.0.0.1:${port}/test`), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`cannot open PostgreSQL database postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test`),
      );
      assert.match(err.message, /ECONNREFUSED/);
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
  });
});
