// Column helpers for dialect-neutral DDL: where SQLite and PostgreSQL spell a concept differently,
// migrations call these instead of branching themselves.
import type { CreateTableBuilder } from 'kysely';
import type { SqlDialect } from '../schema.js';

/**
 * An `id` primary key the database generates: SQLite `integer primary key autoincrement` (never
 * reuses an id), PostgreSQL `serial` or, with `big`, `bigserial` (pg returns int8 as a string).
 */
export function addIdColumn<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  dialect: SqlDialect,
  big = false,
): CreateTableBuilder<TB, C | 'id'> {
  if (dialect === 'postgres') return table.addColumn('id', big ? 'bigserial' : 'serial', (c) => c.primaryKey());
  return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
