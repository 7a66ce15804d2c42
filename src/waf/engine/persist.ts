// Persistent collections (initcol: IP, GLOBAL, SESSION, USER, RESOURCE) kept in memory per engine.
// A record expires SecCollectionTimeout seconds after its last use; single variables can expire
// earlier (expirevar). The store is bounded: the least recently used records are dropped first.

import { KeyedCollection } from './collection.js';

interface StoredRecord {
  coll: KeyedCollection;
  /** Lower-case variable name → expiry time (ms). */
  expiries: Map<string, number>;
  lastUse: number;
  timeoutMs: number;
  updates: number;
}

export class PersistentStore {
  private readonly records = new Map<string, StoredRecord>();
  private readonly byColl = new WeakMap<KeyedCollection, StoredRecord>();

  constructor(
    private readonly maxRecords: number,
    private readonly now: () => number,
  ) {}

  /** Opens (or creates) the record `name`/`key`; its built-in variables are refreshed. */
  open(name: string, key: string, timeoutSec: number): KeyedCollection {
    const upper = name.toUpperCase();
    const id = `${upper}\u0000${key}`;
    const now = this.now();
    let rec = this.records.get(id);
    if (rec !== undefined && now > rec.lastUse + rec.timeoutMs) rec = undefined;
    const isNew = rec === undefined;
    if (rec === undefined) {
      rec = {
        coll: new KeyedCollection(upper),
        expiries: new Map(),
        lastUse: now,
        timeoutMs: Math.max(1, timeoutSec) * 1000,
        updates: 0,
      };
      rec.coll.set('CREATE_TIME', String(Math.floor(now / 1000)));
      rec.coll.set('KEY', key);
      this.byColl.set(rec.coll, rec);
    } else {
      for (const [k, at] of rec.expiries) {
        if (now >= at) {
          rec.coll.delete(k);
          rec.expiries.delete(k);
        }
      }
    }
    this.records.delete(id);
    this.records.set(id, rec);
    while (this.records.size > this.maxRecords) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
    rec.lastUse = now;
    rec.updates++;
    rec.coll.set('TIMEOUT', String(Math.floor(rec.timeoutMs / 1000)));
    rec.coll.set('LAST_UPDATE_TIME', String(Math.floor(now / 1000)));
    rec.coll.set('UPDATE_COUNTER', String(rec.updates));
    rec.coll.set('IS_NEW', isNew ? '1' : '0');
    return rec.coll;
  }

  /** expirevar: `varName` of the open record `coll` disappears after `seconds`. */
  expire(coll: KeyedCollection, varName: string, seconds: number): void {
    const rec = this.byColl.get(coll);
    if (rec !== undefined) rec.expiries.set(varName.toLowerCase(), this.now() + Math.max(0, seconds) * 1000);
  }

  get size(): number {
    return this.records.size;
  }
}
