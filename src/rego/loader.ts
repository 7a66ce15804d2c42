// Loads policies the way OPA does from paths on disk: `.rego` files become modules, and JSON/YAML
// data files are placed at their directory's path below `data` (a/b/data.json → data.a.b).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A module's source, as `prepare` takes it. */
export interface PolicyModule {
  file: string;
  text: string;
}

export interface LoadedPolicies {
  modules: PolicyModule[];
  /** Merged base documents (plain JSON). */
  data: Record<string, unknown>;
  /** Every file read, for reload checks. */
  files: string[];
}

export class PolicyLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'PolicyLoadError';
  }
}

const DATA_NAMES = new Set(['data.json', 'data.yaml', 'data.yml']);
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function walk(p: string, out: { file: string; root: string }[], root: string): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(p);
  } catch (e) {
    throw new PolicyLoadError(
      p,
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message,
    );
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      walk(path.join(p, name), out, root);
    }
    return;
  }
  out.push({ file: p, root });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges `value` into `target` at `keys`; a conflict between a non-object and anything is an error. */
function mergeAt(target: Record<string, unknown>, keys: string[], value: unknown, file: string): void {
  let node = target;
  for (const k of keys) {
    const next = node[k];
    if (next === undefined) node[k] = {};
    else if (!isPlainObject(next))
      throw new PolicyLoadError(file, `data path ${keys.join('.')} conflicts with a non-object value`);
    node = node[k] as Record<string, unknown>;
  }
  if (!isPlainObject(value)) {
    throw new PolicyLoadError(file, 'data file must hold an object');
  }
  for (const [k, v] of Object.entries(value)) {
    const cur = node[k];
    if (cur === undefined) node[k] = v;
    else if (isPlainObject(cur) && isPlainObject(v)) mergeAt(node, [k], v, file);
    else throw new PolicyLoadError(file, `data key ${[...keys, k].join('.')} is defined twice`);
  }
}

/** Reads `.rego` files and data files (`data.json`/`data.yaml`, or any `.json`/`.yaml` given directly). */
export function loadPolicies(paths: readonly string[]): LoadedPolicies {
  const found: { file: string; root: string }[] = [];
  for (const p of paths) walk(path.resolve(p), found, path.resolve(p));
  const modules: PolicyModule[] = [];
  const data: Record<string, unknown> = {};
  const files: string[] = [];
  for (const { file, root } of found) {
    const base = path.basename(file);
    const ext = path.extname(file);
    const given = file === root;
    if (ext !== '.rego' && !DATA_NAMES.has(base) && !(given && (ext === '.json' || ext === '.yaml' || ext === '.yml'))) continue;
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new PolicyLoadError(file, `file is larger than ${MAX_FILE_BYTES} bytes`);
    const text = readFileSync(file, 'utf8');
    files.push(file);
    if (ext === '.rego') {
      modules.push({ file, text });
      continue;
    }
    let value: unknown;
    try {
      value = ext === '.json' ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new PolicyLoadError(file, `invalid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
    }
    // A data file's position below `data` is its directory relative to the loaded root.
    const rel = given ? '' : path.relative(root, path.dirname(file));
    const keys = rel === '' ? [] : rel.split(path.sep);
    mergeAt(data, keys, value ?? {}, file);
  }
  return { modules, data, files };
}
