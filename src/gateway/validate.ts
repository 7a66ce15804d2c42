// Validate a configuration exactly as a reload would compile it, without opening sockets or
// connections: used by `shieldx config check` and by the primary of a multi-process run.
import type { LoadedConfig } from '../config/load.js';
import { MemoryKeyValueStore } from '../store/kv-memory.js';
import { silentLogger } from '../telemetry/log.js';
import type { PolicySet } from '../pipeline/policy-set.js';
import { Generation } from './generation.js';

/** Throws ConfigError (with file:line and key path) when any part fails to compile. */
/** Compiles the config as a reload would (throws ConfigError); returns the prepared policy set, if any. */
export async function validateConfig(loaded: LoadedConfig, previous?: PolicySet): Promise<PolicySet | undefined> {
  // A memory store stands in for Redis only so that stage settings can be checked.
  const memory = new MemoryKeyValueStore();
  const kv = { memory, redis: loaded.config.store.redis_url ? memory : undefined };
  try {
    const gen = Generation.build(loaded, { kv, log: silentLogger }, undefined, { dryRun: true, previousPolicy: previous });
    await gen.retire(undefined, 0);
    return gen.policy;
  } finally {
    await memory.close();
  }
}
