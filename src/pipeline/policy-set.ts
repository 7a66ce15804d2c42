// The generation's Rego policy set: modules and data loaded from policy.paths, prepared once.
// A reload whose files are byte-for-byte unchanged reuses the previous prepared set.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PolicyConfig } from '../config/schema.js';
import { type PreparedPolicy, RegoErrors, prepare } from '../rego/index.js';
import { PolicyLoadError, loadPolicies } from '../rego/loader.js';
import { StageConfigError } from './stage.js';

export interface PolicySet {
  readonly prepared: PreparedPolicy;
  /** sha256 over every file's path and content. */
  readonly digest: string;
  readonly files: readonly string[];
  /** Absolute paths that were configured (for watching). */
  readonly roots: readonly string[];
}

/** Loads and prepares policy.paths; throws StageConfigError (path ['policy', 'paths']) naming the file and line. */
export function loadPolicySet(cfg: PolicyConfig, baseDir: string, previous?: PolicySet): PolicySet | undefined {
  if (cfg.paths.length === 0) return undefined;
  const roots = cfg.paths.map((p) => path.resolve(baseDir, p));
  let loaded: ReturnType<typeof loadPolicies>;
  try {
    loaded = loadPolicies(roots);
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new StageConfigError(e.message, ['policy', 'paths']);
    throw e;
  }
  if (loaded.modules.length === 0) throw new StageConfigError(`no .rego files found in ${roots.join(', ')}`, ['policy', 'paths']);
  const h = createHash('sha256');
  for (const m of loaded.modules) h.update(m.file).update('\0').update(m.text).update('\0');
  h.update(JSON.stringify(loaded.data));
  h.update(JSON.stringify({ s: cfg.strict_builtin_errors, m: cfg.max_steps }));
  const digest = h.digest('hex');
  if (previous && previous.digest === digest) return previous;
  let prepared: PreparedPolicy;
  try {
    prepared = prepare(loaded.modules, {
      data: loaded.data,
      strictBuiltinErrors: cfg.strict_builtin_errors,
      limits: { maxSteps: cfg.max_steps },
    });
  } catch (e) {
    if (e instanceof RegoErrors) throw new StageConfigError(`policy does not compile:\n${e.message}`, ['policy', 'paths']);
    throw e;
  }
  return { prepared, digest, files: loaded.files, roots };
}
