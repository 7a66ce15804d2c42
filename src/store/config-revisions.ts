// The config_revisions table: every configuration the gateway was asked to load, newest last.
import type { Kysely, Selectable } from 'kysely';
import type { ConfigRevisionStatus, ConfigRevisionsTable, Database } from './schema.js';

export type ConfigRevision = Selectable<ConfigRevisionsTable>;

export interface NewConfigRevision {
  /** sha256 of the configuration text, lower-case hex; '' only for a rejected text that could not be read. */
  sha256: string;
  source: string;
  status: ConfigRevisionStatus;
  /** Why it was rejected. */
  error?: string | null;
  /** Defaults to now. */
  at?: Date;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** Insert one revision and return it as stored. `store` may be a SqlStore or `{ db: transaction }`. */
export async function recordConfigRevision(store: { db: Kysely<Database> }, rev: NewConfigRevision): Promise<ConfigRevision> {
  const unreadable = rev.sha256 === '' && rev.status === 'rejected';
  if (typeof rev.sha256 !== 'string' || !(unreadable || SHA256_RE.test(rev.sha256))) {
    throw new Error(`config revision sha256 must be 64 lower-case hex digits, got "${String(rev.sha256)}"`);
  }
  if (typeof rev.source !== 'string' || rev.source === '') throw new Error('config revision source must be a non-empty string');
  if (rev.status !== 'applied' && rev.status !== 'rejected') {
    throw new Error(`config revision status must be "applied" or "rejected", got "${String(rev.status)}"`);
  }
  const at = rev.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new Error('config revision time is an invalid Date');
  return store.db
    .insertInto('config_revisions')
    .values({
      sha256: rev.sha256,
      source: rev.source,
      status: rev.status,
      error: rev.error ?? null,
      created_at: at.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The newest `limit` revisions (1..1000), newest first. */
export async function listConfigRevisions(store: { db: Kysely<Database> }, opts: { limit: number }): Promise<ConfigRevision[]> {
  const { limit } = opts;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new RangeError(`limit must be an integer from 1 to 1000, got ${String(limit)}`);
  }
  return store.db.selectFrom('config_revisions').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
