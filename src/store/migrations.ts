// Schema migrations, kept in code so the binary carries its schema. Each migration is a file under
// migrations/ named NNNN_what.ts; adding one is adding its file and one entry to MIGRATIONS.
// They run forward only, in name order, each at most once (kysely's Migrator records them in
// kysely_migration), and a failure names the migration that failed.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { migration0001Base } from './migrations/0001_base.js';
import type { SqlDialect } from './schema.js';

/** Migrations see the database untyped: they describe past schemas, not the current `Database`. */
// biome-ignore lint/suspicious/noExplicitAny: kysely's recommended type for migration code
export type MigrationDb = Kysely<any>;

export interface StoreMigration {
  /** NNNN_snake_case: the order migrations run in. Never rename one that has shipped. */
  readonly name: string;
  /** Dialect-neutral DDL via db.schema; `dialect` for the rare spot where the two differ. */
  up(db: MigrationDb, dialect: SqlDialect): Promise<void>;
}

export const MIGRATIONS: readonly StoreMigration[] = [migration0001Base];

const NAME_RE = /^\d{4}_[a-z0-9_]+$/;

export interface RunMigrationsOptions {
  /** PostgreSQL: the schema holding kysely's bookkeeping tables (the store's current schema). */
  migrationTableSchema?: string;
}

/**
 * Apply every migration not yet applied. Returns the names applied by this call (empty when the
 * schema was already current). Throws an Error naming the migration that failed.
 */
export async function runMigrations(
  db: MigrationDb,
  dialect: SqlDialect,
  migrations: readonly StoreMigration[] = MIGRATIONS,
  opts: RunMigrationsOptions = {},
): Promise<string[]> {
  const record: Record<string, Migration> = {};
  let previous = '';
  for (const m of migrations) {
    if (!NAME_RE.test(m.name)) throw new Error(`migration name "${m.name}" must look like 0001_what_it_does`);
    if (m.name <= previous) throw new Error(`migration "${m.name}" is out of order or duplicated (after "${previous}")`);
    previous = m.name;
    record[m.name] = { up: (d) => m.up(d, dialect) };
  }
  const provider: MigrationProvider = { getMigrations: async () => record };
  const migrate = (on: MigrationDb) =>
    new Migrator({ db: on, provider, migrationTableSchema: opts.migrationTableSchema }).migrateToLatest();

  let outcome: Awaited<ReturnType<typeof migrate>>;
  if (dialect === 'postgres') {
    // kysely takes an advisory lock and runs the pending migrations in one transaction.
    outcome = await migrate(db);
  } else {
    // kysely neither locks nor uses a transaction on SQLite. BEGIN IMMEDIATE does both: it takes the
    // write lock before reading which migrations are pending (another process starting at the same
    // time waits busy_timeout, then finds them applied), and a failure rolls back all its DDL.
    outcome = await db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (err) {
        return { error: err, results: undefined };
      }
      const r = await migrate(conn);
      try {
        await sql.raw(r.error === undefined ? 'commit' : 'rollback').execute(conn);
      } catch (err) {
        return { error: r.error ?? err, results: r.results };
      }
      return r;
    });
  }
  const { error, results } = outcome;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `database migration ${failed.migrationName} failed: ${msg}` : `database migrations failed: ${msg}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
