// Loading shieldx.yaml: YAML parse with positions, environment overrides, zod validation.
// Every error names the key path and, when it came from the file, the line and column.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, parse as parseYamlScalar, type Document } from 'yaml';
import { configSchema, type ShieldxConfig } from './schema.js';

export interface ConfigIssue {
  /** Dotted key path, e.g. "routes[0].upstream". */
  path: string;
  message: string;
  line?: number;
  col?: number;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `invalid configuration in ${source}:\n` +
        issues
          .map((i) => `  ${source}${i.line ? `:${i.line}:${i.col ?? 1}` : ''}: ${i.path || '(root)'}: ${i.message}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: ShieldxConfig;
  /** SHA-256 of the effective input (file text + applied overrides); identifies a revision. */
  sha256: string;
  source: string;
  /** Directory relative paths in the config are resolved against. */
  baseDir: string;
  /** Where a key path sits in the source text, for errors found after parsing (stage settings). */
  locate?(path: readonly PropertyKey[]): { line?: number; col?: number };
}

export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}

/**
 * Environment overrides:
 *  - SHIELDX_DATABASE_URL → store.database_url, SHIELDX_REDIS_URL → store.redis_url,
 *    SHIELDX_LOG_LEVEL → logging.level, SHIELDX_DATA_DIR → data_dir
 *  - SHIELDX__A__B__0__C=value → a.b[0].c = value (YAML scalar: numbers, booleans, null parse as such)
 */
export function envOverrides(env: NodeJS.ProcessEnv): [Array<string | number>, unknown][] {
  const out: [Array<string | number>, unknown][] = [];
  const named: Record<string, string[]> = {
    SHIELDX_DATABASE_URL: ['store', 'database_url'],
    SHIELDX_REDIS_URL: ['store', 'redis_url'],
    SHIELDX_LOG_LEVEL: ['logging', 'level'],
    SHIELDX_DATA_DIR: ['data_dir'],
  };
  for (const [k, p] of Object.entries(named)) {
    const v = env[k];
    if (v !== undefined && v !== '') out.push([p, v]);
  }
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('SHIELDX__') || v === undefined) continue;
    const keyPath = k
      .slice('SHIELDX__'.length)
      .split('__')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.toLowerCase()));
    let value: unknown = v;
    try {
      value = parseYamlScalar(v);
    } catch {
      value = v;
    }
    out.push([keyPath, value]);
  }
  return out;
}

function position(doc: Document, lc: LineCounter, p: readonly PropertyKey[]): { line?: number; col?: number } {
  // Walk down to the deepest node that exists: a missing key is reported at its parent.
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return {};
}

/** Parse and validate config text. Throws ConfigError. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
        return { path: '', message: `YAML: ${e.message.split('\n')[0]}`, line: pos?.line, col: pos?.col };
      }),
    );
  }
  const raw = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'the configuration must be a YAML mapping' }]);
  }
  const overrides = envOverrides(env);
  const overridden = new Set<string>();
  for (const [p, v] of overrides) {
    setIn(raw, p, v);
    overridden.add(formatPath(p));
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((i) => {
        const p = formatPath(i.path);
        const fromEnv = [...overridden].some((o) => p === o || p.startsWith(`${o}.`) || p.startsWith(`${o}[`));
        return {
          path: p,
          message: fromEnv ? `${i.message} (set by an environment override)` : i.message,
          ...(fromEnv ? {} : position(doc, lc, i.path)),
        };
      }),
    );
  }
  const hash = createHash('sha256').update(text);
  for (const [p, v] of overrides) hash.update(`\0${formatPath(p)}=${JSON.stringify(v)}`);
  return {
    config: result.data,
    sha256: hash.digest('hex'),
    source,
    baseDir: path.dirname(path.resolve(source)),
    locate: (p) => position(doc, lc, p),
  };
}

/** Read and validate a config file. Throws ConfigError (also for an unreadable file). */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read file: ${(e as Error).message}` }]);
  }
  return parseConfig(text, file, env);
}

function setIn(obj: Record<string, unknown>, p: Array<string | number>, value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < p.length - 1; i++) {
    const k = p[i] as string | number;
    let next = cur[k];
    if (next === null || typeof next !== 'object') {
      next = typeof p[i + 1] === 'number' ? [] : {};
      cur[k] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  cur[p[p.length - 1] as string | number] = value;
}
