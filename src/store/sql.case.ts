// The one conformance suite every SQL backend runs (sql-sqlite.test.ts, sql-postgres.test.ts).
// `make` returns a fresh, empty, not yet migrated store each time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { listConfigRevisions, recordConfigRevision } from './config-revisions.js';
import { MIGRATIONS, runMigrations, type StoreMigration } from './migrations.js';
import { isUniqueViolation, openSqlStore, type SqlStore } from './sql.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const SHA_C = '0123456789abcdef'.repeat(4);

export function sqlConformance(name: string, make: () => Promise<SqlStore>, opts: { skip?: string } = {}): void {
  /** A test with a fresh migrated store, closed afterwards whatever happens. */
  function withStore(title: string, body: (store: SqlStore) => Promise<void>): void {
    test(title, async () => {
      const store = await make();
      try {
        await store.migrate();
        await body(store);
      } finally {
        await store.close();
      }
    });
  }

  describe(`SqlStore conformance: ${name}`, { skip: opts.skip }, () => {
    test('migrations apply to an empty database, then re-apply as a no-op', async () => {
      const store = await make();
      try {
        await assert.rejects(store.db.selectFrom('shieldx_meta').selectAll().execute(), 'no tables before migrate()');
        await store.migrate();
        await store.migrate();
        assert.deepEqual(await runMigrations(store.db, store.dialect), [], 'nothing left to apply');
        const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
        assert.deepEqual(
          applied.rows.map((r) => r.name),
          MIGRATIONS.map((m) => m.name),
        );
        await store.db.insertInto('shieldx_meta').values({ key: 'instance', value: 'x1' }).execute();
        const meta = await store.db.selectFrom('shieldx_meta').selectAll().execute();
        assert.deepEqual(meta, [{ key: 'instance', value: 'x1' }]);
      } finally {
        await store.close();
      }
    });

    withStore('a failing migration is named, rolled back, and does not block a later run', async (store) => {
      const broken: StoreMigration = {
        name: '9999_broken',
        async up(db) {
          await db.schema.createTable('half_made').addColumn('id', 'integer').execute();
          await sql`select * from no_such_table`.execute(db);
        },
      };
      await assert.rejects(runMigrations(store.db, store.dialect, [...MIGRATIONS, broken]), /migration 9999_broken failed/);
      // The table it created before failing is gone with it, and it is not recorded as applied.
      await assert.rejects(sql`select * from half_made`.execute(store.db));
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db);
      assert.ok(!applied.rows.some((r) => r.name === '9999_broken'));
      await store.migrate();
    });

    withStore('migration lists that are out of order or badly named are refused', async (store) => {
      const noop = async (): Promise<void> => {};
      await assert.rejects(runMigrations(store.db, store.dialect, [{ name: 'base', up: noop }]), /0001_what_it_does/);
      await assert.rejects(
        runMigrations(store.db, store.dialect, [...MIGRATIONS, { name: '0000_early', up: noop }]),
        /out of order/,
      );
    });

    withStore('config revisions are recorded and listed newest first', async (store) => {
      const t0 = new Date('2025-01-02T03:04:05.678Z');
      const first = await recordConfigRevision(store, { sha256: SHA_A, source: 'shieldx.yaml', status: 'applied', at: t0 });
      assert.equal(typeof first.id, 'number');
      assert.deepEqual(
        { ...first, id: 0 },
        { id: 0, sha256: SHA_A, source: 'shieldx.yaml', status: 'applied', error: null, created_at: t0.toISOString() },
      );
      const second = await recordConfigRevision(store, {
        sha256: SHA_B,
        source: 'admin-api',
        status: 'rejected',
        error: 'routes[0].upstream: unknown upstream "nope"',
      });
      const third = await recordConfigRevision(store, { sha256: SHA_C, source: 'shieldx.yaml', status: 'applied' });
      assert.ok(first.id < second.id && second.id < third.id);
      assert.ok(!Number.isNaN(Date.parse(third.created_at)));

      const two = await listConfigRevisions(store, { limit: 2 });
      assert.deepEqual(
        two.map((r) => r.sha256),
        [SHA_C, SHA_B],
      );
      assert.equal(two[1]?.status, 'rejected');
      assert.equal(two[1]?.error, 'routes[0].upstream: unknown upstream "nope"');
      assert.deepEqual(
        (await listConfigRevisions(store, { limit: 100 })).map((r) => r.id),
        [third.id, second.id, first.id],
      );
    });

    withStore('a rejected text that could not be read is recorded without a hash', async (store) => {
      const r = await recordConfigRevision(store, {
        sha256: '',
        source: '/etc/shieldx/missing.yaml',
        status: 'rejected',
        error: 'ENOENT: no such file',
      });
      assert.deepEqual(await listConfigRevisions(store, { limit: 1 }), [r]);
      assert.equal(r.sha256, '');
    });

    withStore('concurrent inserts each get their own id', async (store) => {
      const rows = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          recordConfigRevision(store, { sha256: SHA_A, source: `src-${i}`, status: 'applied' }),
        ),
      );
      assert.equal(new Set(rows.map((r) => r.id)).size, 25);
      assert.equal((await listConfigRevisions(store, { limit: 1000 })).length, 25);
    });

    withStore('bad revisions and limits are refused with a clear error', async (store) => {
      await assert.rejects(recordConfigRevision(store, { sha256: 'xyz', source: 's', status: 'applied' }), /sha256/);
      await assert.rejects(recordConfigRevision(store, { sha256: '', source: 's', status: 'applied' }), /sha256/);
      await assert.rejects(
        recordConfigRevision(store, { sha256: SHA_A.toUpperCase(), source: 's', status: 'applied' }),
        /sha256/,
      );
      await assert.rejects(recordConfigRevision(store, { sha256: SHA_A, source: 's', status: 'maybe' as 'applied' }), /status/);
      await assert.rejects(recordConfigRevision(store, { sha256: SHA_A, source: '', status: 'applied' }), /source/);
      await assert.rejects(listConfigRevisions(store, { limit: 0 }), RangeError);
      await assert.rejects(listConfigRevisions(store, { limit: 1.5 }), RangeError);
      // The CHECK constraint holds even for writes that skip the repository.
      await assert.rejects(
        store.db
          .insertInto('config_revisions')
          .values({ sha256: SHA_A, source: 's', status: 'bogus' as 'applied', error: null, created_at: 'x' })
          .execute(),
        (err) => !isUniqueViolation(err),
      );
      assert.deepEqual(await listConfigRevisions(store, { limit: 10 }), []);
    });

    withStore('a rolled-back transaction leaves nothing; a committed one persists', async (store) => {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('shieldx_meta').values({ key: 'k', value: 'v' }).execute();
          await recordConfigRevision({ db: trx }, { sha256: SHA_A, source: 'trx', status: 'applied' });
          assert.equal((await listConfigRevisions({ db: trx }, { limit: 10 })).length, 1, 'visible inside');
          throw new Error('abort on purpose');
        }),
        /abort on purpose/,
      );
      assert.deepEqual(await store.db.selectFrom('shieldx_meta').selectAll().execute(), []);
      assert.deepEqual(await listConfigRevisions(store, { limit: 10 }), []);

      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('shieldx_meta').values({ key: 'k', value: 'v' }).execute();
        await recordConfigRevision({ db: trx }, { sha256: SHA_A, source: 'trx', status: 'applied' });
      });
      assert.equal((await listConfigRevisions(store, { limit: 10 })).length, 1);
    });

    withStore('a unique-constraint violation surfaces as an error', async (store) => {
      await store.db.insertInto('shieldx_meta').values({ key: 'dup', value: '1' }).execute();
      let caught: unknown;
      try {
        await store.db.insertInto('shieldx_meta').values({ key: 'dup', value: '2' }).execute();
      } catch (err) {
        caught = err;
      }
      assert.ok(caught instanceof Error, 'the duplicate insert must fail');
      assert.equal(isUniqueViolation(caught), true, String(caught));
      assert.equal(isUniqueViolation(new Error('other')), false);
      const rows = await store.db.selectFrom('shieldx_meta').selectAll().execute();
      assert.deepEqual(rows, [{ key: 'dup', value: '1' }]);
      // The store is still usable afterwards.
      await store.db.insertInto('shieldx_meta').values({ key: 'other', value: '3' }).execute();
    });

    test('close is idempotent and a closed store refuses queries', async () => {
      const store = await make();
      await store.migrate();
      await store.close();
      await store.close();
      await assert.rejects(store.db.selectFrom('shieldx_meta').selectAll().execute());
    });

    test('bad database URLs are refused with the forms expected', async () => {
      for (const url of ['mysql://root@localhost/db', 'sqlite:', 'sqlite://relative/x.db', '', 'postgres:/missing-slashes']) {
        await assert.rejects(openSqlStore(url), (err: Error) => {
          assert.match(err.message, /sqlite:/, url);
          assert.match(err.message, /postgres:\/\//, url);
          return true;
        });
      }
      await assert.rejects(openSqlStore('postgres://u:hunter2@127.0.0.1/db?schema=Bad-Name'), /invalid schema "Bad-Name"/);
      await assert.rejects(openSqlStore('mysql://u:hunter2@h/db'), (err: Error) => !err.message.includes('hunter2'));
    });
  });
}
