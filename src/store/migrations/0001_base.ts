// 0001_base: the store's own metadata and the history of configuration revisions.
import { sql } from 'kysely';
import type { StoreMigration } from '../migrations.js';
import { addIdColumn } from './columns.js';

export const migration0001Base: StoreMigration = {
  name: '0001_base',
  async up(db, dialect) {
    await db.schema
      .createTable('shieldx_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await addIdColumn(db.schema.createTable('config_revisions'), dialect)
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('config_revisions_status_check', sql`status in ('applied', 'rejected')`)
      .execute();
  },
};
