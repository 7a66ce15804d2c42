// Opening the SQL store: SQLite (embedded default, better-sqlite3) or PostgreSQL (pg Pool), both
// behind one Kysely<Database>. The URL picks the backend; sql.case.ts runs the same checks on both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { runMigrations } from './migrations.js';
import type { Database, SqlDialect } from './schema.js';

export type { Database, SqlDialect } from './schema.js';

export interface SqlStore {
  readonly dialect: SqlDialect;
  readonly db: Kysely<Database>;
  /** Apply pending migrations (idempotent). */
  migrate(): Promise<void>;
  /** Close the connection(s). Idempotent. */
  close(): Promise<void>;
}

/** A parsed database URL: an SQLite file path (or ":memory:"), or a pg connection string plus schema. */
export type SqlTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; connectionString: string; schema?: string };

export const SQL_URL_FORMS =
  'sqlite:relative/path.db, sqlite:/abs/path.db, sqlite:///abs/path.db, sqlite::memory:, ' +
  'postgres://user@host:5432/db or postgresql://... (optional ?schema=NAME)';

// Lower-case so the name means the same quoted (CREATE SCHEMA) and unquoted (search_path).
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parse a database URL without connecting. Throws an Error naming the accepted forms. */
export function parseSqlUrl(url: string): SqlTarget {
  if (typeof url !== 'string' || url.trim() === '') throw new Error(`empty database URL: expected ${SQL_URL_FORMS}`);
  if (url.startsWith('sqlite:')) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) {
      // URL form: only sqlite:///abs/path (empty host) is meaningful.
      if (!rest.startsWith('///')) throw new Error(`invalid SQLite URL "${url}": expected ${SQL_URL_FORMS}`);
      rest = rest.slice(2);
    }
    if (rest === '') throw new Error(`invalid SQLite URL "${url}" (no path): expected ${SQL_URL_FORMS}`);
    return { dialect: 'sqlite', path: rest === ':memory:' ? rest : path.resolve(rest) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`invalid PostgreSQL URL "${redactUrl(url)}": expected ${SQL_URL_FORMS}`);
    }
    const schema = u.searchParams.get('schema') ?? u.searchParams.get('search_path') ?? undefined;
    u.searchParams.delete('schema');
    u.searchParams.delete('search_path');
    if (schema !== undefined && !SCHEMA_RE.test(schema)) {
      throw new Error(`invalid schema "${schema}" in database URL: use lower-case letters, digits and _ (max 63)`);
    }
    return schema === undefined
      ? { dialect: 'postgres', connectionString: u.toString() }
      : { dialect: 'postgres', connectionString: u.toString(), schema };
  }
  throw new Error(`unsupported database URL "${redactUrl(url)}": expected ${SQL_URL_FORMS}`);
}

/** Open (and for SQLite, create) the database at `url`. Does not migrate; call migrate(). */
export async function openSqlStore(url: string, opts: { log?: Logger } = {}): Promise<SqlStore> {
  const target = parseSqlUrl(url);
  return target.dialect === 'sqlite' ? openSqlite(target.path) : openPostgres(target, opts.log);
}

/** True for a unique or primary-key violation, in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function openSqlite(file: string): SqlStore {
  let sqlite: BetterSqlite3.Database;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file);
  } catch (err) {
    throw new Error(`cannot open SQLite database ${file}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    // WAL lets readers run during a write; busy_timeout makes a second process wait, not fail.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    sqlite.close();
    throw new Error(`cannot use SQLite database ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return makeStore('sqlite', db, undefined);
}

async function openPostgres(target: { connectionString: string; schema?: string }, log?: Logger): Promise<SqlStore> {
  const where = redactUrl(target.connectionString);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    // Set at connection start, so every pooled connection (and kysely's migrator) sees the schema.
    options: target.schema ? `-c search_path=${target.schema}` : undefined,
    connectionTimeoutMillis: 5000,
    application_name: 'shieldx',
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, that kills the process.
  pool.on('error', (err) => log?.warn({ err: err.message, db: where }, 'postgres idle connection error'));
  let currentSchema: string;
  try {
    const client = await pool.connect();
    try {
      if (target.schema) {
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
        } catch (err) {
          // Two processes creating it at once: the loser sees a duplicate; the schema exists either way.
          if (!isUniqueViolation(err) && (err as { code?: string }).code !== '42P06') throw err;
        }
      }
      const r = await client.query<{ s: string | null }>('select current_schema() as s');
      const s = r.rows[0]?.s;
      if (!s) throw new Error('no current schema (search_path names no existing schema)');
      currentSchema = s;
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`cannot open PostgreSQL database ${where}: ${errorMessage(err)}`, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return makeStore('postgres', db, currentSchema);
}

function makeStore(dialect: SqlDialect, db: Kysely<Database>, migrationTableSchema: string | undefined): SqlStore {
  let closed: Promise<void> | undefined;
  return {
    dialect,
    db,
    async migrate() {
      await runMigrations(db, dialect, undefined, { migrationTableSchema });
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}

function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(errorMessage).join('; ');
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
