// json.patch (RFC 6902 over Rego values, sets included), json.filter and json.remove.
//
// Paths are "/"-separated strings ("a/b", leading slashes optional, ~1 for "/" and ~0 for "~") or
// arrays of segments (any values, so non-string object keys and set members are reachable). In
// arrays a segment is an index: a number, or a decimal string without leading zeros ("-" is the
// end, for add). A patch that cannot be applied makes json.patch undefined, as in OPA.
import { BuiltinError } from '../errors.js';
import { equal, type MapKey, mapKey, RObject, RSet, type Value, typeName } from '../value.js';
import { arr, obj } from './args.js';
import { registerBuiltin } from './registry.js';

class PatchError extends Error {}

/** A path operand as its segments; throws PatchError when it is neither a string nor an array. */
function parsePath(p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return p;
  throw new PatchError(typeName(p));
}

function toIndex(length: number, key: Value): number {
  if (typeof key === 'number') {
    if (!Number.isInteger(key)) throw new PatchError('invalid number type for indexing');
    return key;
  }
  if (typeof key === 'string') {
    if (key === '-') return length;
    if (!/^[+-]?[0-9]+$/.test(key)) throw new PatchError('invalid string for indexing');
    if (key !== '0' && key.startsWith('0')) throw new PatchError('leading zeros are not allowed in JSON paths');
    return Number(key);
  }
  throw new PatchError('invalid type for indexing');
}

function child(container: Value, key: Value): Value {
  if (container instanceof RObject) {
    const v = container.get(key);
    if (v === undefined) throw new PatchError('path does not exist');
    return v;
  }
  if (container instanceof RSet) {
    if (!container.has(key)) throw new PatchError('path does not exist');
    return key;
  }
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i >= container.length) throw new PatchError('path does not exist');
    return container[i] as Value;
  }
  throw new PatchError('expected composite type');
}

function replaceChild(container: Value, key: Value, value: Value): Value {
  if (container instanceof RObject) return container.clone().set(key, value);
  if (container instanceof RSet) {
    const out = RSet.from([...container].filter((m) => !equal(m, key)));
    out.add(value);
    return out;
  }
  const a = [...(container as Value[])];
  a[toIndex(a.length, key)] = value;
  return a;
}

function insert(container: Value, key: Value, value: Value): Value {
  if (container instanceof RObject) return container.clone().set(key, value);
  if (container instanceof RSet) {
    if (!equal(key, value)) throw new PatchError('set key does not equal value to be inserted');
    const out = RSet.from(container);
    out.add(value);
    return out;
  }
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i > container.length) throw new PatchError('index for array insertion out of bounds');
    return [...container.slice(0, i), value, ...container.slice(i)];
  }
  throw new PatchError('expected composite type');
}

function remove(container: Value, key: Value): Value {
  if (container instanceof RObject) {
    if (!container.has(key)) throw new PatchError('cannot delete child key that does not exist');
    const out = container.clone();
    out.delete(key);
    return out;
  }
  if (container instanceof RSet) {
    if (!container.has(key)) throw new PatchError('cannot delete child key that does not exist');
    return RSet.from([...container].filter((m) => !equal(m, key)));
  }
  if (Array.isArray(container)) {
    const i = toIndex(container.length, key);
    if (i < 0 || i >= container.length) throw new PatchError('index for array delete out of bounds');
    return [...container.slice(0, i), ...container.slice(i + 1)];
  }
  throw new PatchError('expected composite type');
}

/** Rebuilds `doc` with the container at `path` replaced by f(container). */
function modify(doc: Value, path: Value[], f: (container: Value) => Value, i = 0): Value {
  if (i === path.length) return f(doc);
  const key = path[i] as Value;
  return replaceChild(doc, key, modify(child(doc, key), path, f, i + 1));
}

function getAt(doc: Value | undefined, path: Value[]): Value {
  if (doc === undefined) throw new PatchError('document was removed');
  let v = doc;
  for (const k of path) v = child(v, k);
  return v;
}

function addAt(doc: Value | undefined, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  if (doc === undefined) throw new PatchError('document was removed');
  const last = path[path.length - 1] as Value;
  return modify(doc, path.slice(0, -1), (c) => insert(c, last, value));
}

function removeAt(doc: Value | undefined, path: Value[]): Value | undefined {
  if (doc === undefined) throw new PatchError('document was removed');
  if (path.length === 0) return undefined;
  const last = path[path.length - 1] as Value;
  return modify(doc, path.slice(0, -1), (c) => remove(c, last));
}

function attr(op: RObject, name: string): Value {
  const v = op.getStr(name);
  if (v === undefined) throw new PatchError(`missing '${name}' attribute`);
  return v;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function applyPatch(target: Value, ops: Value[]): Value | undefined {
  let doc: Value | undefined = target;
  for (const o of ops) {
    if (!(o instanceof RObject)) throw new PatchError('must be an array of JSON-Patch objects');
    const op = attr(o, 'op');
    if (typeof op !== 'string' || !OPS.has(op)) throw new PatchError('bad op');
    const path = parsePath(attr(o, 'path'));
    const from = op === 'move' || op === 'copy' ? parsePath(attr(o, 'from')) : [];
    const value = op === 'add' || op === 'replace' || op === 'test' ? attr(o, 'value') : null;
    switch (op) {
      case 'add':
        doc = addAt(doc, path, value);
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'replace':
        doc = addAt(removeAt(doc, path), path, value);
        break;
      case 'move': {
        const chunk = getAt(doc, from);
        doc = addAt(removeAt(doc, from), path, chunk);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, getAt(doc, from));
        break;
      case 'test':
        if (!equal(getAt(doc, path), value)) throw new PatchError('test failed');
        break;
    }
  }
  return doc;
}

registerBuiltin({
  name: 'json.patch',
  decl: { args: ['any', 'array'], result: 'any' },
  fn: (args) => {
    const ops = arr(args, 1, 'json.patch');
    try {
      return applyPatch(args[0] as Value, ops);
    } catch (e) {
      if (e instanceof PatchError) return undefined;
      throw e;
    }
  },
});

// ---- json.filter / json.remove ----

/** The paths operand of json.filter / json.remove, with OPA's type errors. */
function pathsOperand(name: string, v: Value): Value[][] {
  if (!Array.isArray(v) && !(v instanceof RSet)) {
    throw new BuiltinError(`${name}: operand 2 must be one of {set, array} but got ${typeName(v)}`, 'eval_type_error');
  }
  return (Array.isArray(v) ? v : v.sorted()).map((p) => {
    try {
      return parsePath(p);
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      throw new BuiltinError(
        `${name}: operand 2 must be one of {set, array} containing string paths or array of path segments but got ${e.message}`,
        'eval_type_error',
      );
    }
  });
}

/** A tree of the paths: null marks where a path ends (a shorter path covers longer ones). */
type PathTree = Map<MapKey, PathTree | null>;

function pathTree(paths: Value[][]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const k = mapKey(path[i] as Value);
      const sub = node.get(k);
      if (sub === undefined) {
        const fresh: PathTree = new Map();
        node.set(k, fresh);
        node = fresh;
      } else if (sub === null) done = true;
      else node = sub;
    }
    if (!done) node.set(mapKey(path[path.length - 1] as Value), null);
  }
  return root;
}

/** The subtree for a key: a tree, null (the path ends here) or undefined (not selected). */
function lookup(tree: PathTree, k: Value): PathTree | null | undefined {
  return tree.get(mapKey(k));
}

function filterValue(v: Value, tree: PathTree | null): Value {
  if (tree === null) return v;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = lookup(tree, String(i));
      if (sub !== undefined) out.push(filterValue(x, sub));
    });
    return out;
  }
  if (v instanceof RSet) {
    const out = new RSet();
    for (const m of v) {
      const sub = lookup(tree, m);
      if (sub !== undefined) out.add(filterValue(m, sub));
    }
    return out;
  }
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const sub = lookup(tree, k);
      if (sub !== undefined) out.set(k, filterValue(x, sub));
    }
    return out;
  }
  return v;
}

/** The value without the parts the tree marks; undefined when the value itself is removed. */
function removeValue(v: Value, tree: PathTree | null | undefined): Value | undefined {
  if (tree === undefined) return v;
  if (tree === null) return undefined;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const r = removeValue(x, lookup(tree, String(i)));
      if (r !== undefined) out.push(r);
    });
    return out;
  }
  if (v instanceof RSet) {
    const out = new RSet();
    for (const m of v) {
      const r = removeValue(m, lookup(tree, m));
      if (r !== undefined) out.add(r);
    }
    return out;
  }
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const r = removeValue(x, lookup(tree, k));
      if (r !== undefined) out.set(k, r);
    }
    return out;
  }
  return v;
}

registerBuiltin({
  name: 'json.filter',
  decl: { args: ['object', ['array', 'set']], result: 'any' },
  fn: (args) => {
    const o = obj(args, 0, 'json.filter');
    return filterValue(o, pathTree(pathsOperand('json.filter', args[1] as Value)));
  },
});

registerBuiltin({
  name: 'json.remove',
  decl: { args: ['object', ['array', 'set']], result: 'any' },
  fn: (args) => {
    const o = obj(args, 0, 'json.remove');
    return removeValue(o, pathTree(pathsOperand('json.remove', args[1] as Value)));
  },
});
