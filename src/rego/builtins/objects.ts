// Object builtins: object.get, object.keys, object.remove, object.filter, object.union,
// object.union_n, object.subset.
import { BuiltinError } from '../errors.js';
import { compare, equal, RObject, RSet, type Value, typeName } from '../value.js';
import { arr, obj, typeErr } from './args.js';
import { registerBuiltin } from './registry.js';

/** Follows a path of keys/indexes through nested values; undefined when any step is missing.
 *  Arrays take integer indexes; a set "contains" a step when the step is a member. */
export function findPath(root: Value, path: Value[]): Value | undefined {
  let cur: Value = root;
  for (const step of path) {
    if (cur instanceof RObject) {
      const next = cur.get(step);
      if (next === undefined) return undefined;
      cur = next;
    } else if (Array.isArray(cur)) {
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= cur.length) return undefined;
      cur = cur[step] as Value;
    } else if (cur instanceof RSet) {
      if (!cur.has(step)) return undefined;
      cur = step;
    } else {
      return undefined;
    }
  }
  return cur;
}

registerBuiltin({
  name: 'object.get',
  decl: { args: ['object', 'any', 'any'], result: 'any' },
  fn: (args) => {
    const o = obj(args, 0, 'object.get');
    const key = args[1] as Value;
    const dflt = args[2] as Value;
    // An array key is a path into nested values; any other key is a top-level key.
    // (Not `??`: a key may hold null, which is a value, not a miss.)
    const found = Array.isArray(key) ? findPath(o, key) : o.get(key);
    return found === undefined ? dflt : found;
  },
});

registerBuiltin({
  name: 'object.keys',
  decl: { args: ['object'], result: 'set' },
  fn: (args) => RSet.from(obj(args, 0, 'object.keys').keys()),
});

/** The key operand of object.remove/filter: an array, set or object (its keys). */
function keySet(name: string, v: Value): RSet {
  if (Array.isArray(v)) return RSet.from(v);
  if (v instanceof RSet) return v;
  if (v instanceof RObject) return RSet.from(v.keys());
  throw typeErr(name, 1, 'one of {object, set, array}', v);
}

registerBuiltin({
  name: 'object.remove',
  decl: { args: ['object', ['array', 'object', 'set']], result: 'object' },
  fn: (args) => {
    const o = obj(args, 0, 'object.remove');
    const keys = keySet('object.remove', args[1] as Value);
    const out = new RObject();
    for (const [k, v] of o.entries()) if (!keys.has(k)) out.set(k, v);
    return out;
  },
});

registerBuiltin({
  name: 'object.filter',
  decl: { args: ['object', ['array', 'object', 'set']], result: 'object' },
  fn: (args) => {
    const o = obj(args, 0, 'object.filter');
    const keys = keySet('object.filter', args[1] as Value);
    const out = new RObject();
    for (const [k, v] of o.entries()) if (keys.has(k)) out.set(k, v);
    return out;
  },
});

/** Deep merge, right wins: where both sides hold objects under a key they are merged in turn. */
export function mergeObjects(a: RObject, b: RObject): RObject {
  const out = a.clone();
  for (const [k, vb] of b.entries()) {
    const va = a.get(k);
    out.set(k, va instanceof RObject && vb instanceof RObject ? mergeObjects(va, vb) : vb);
  }
  return out;
}

registerBuiltin({
  name: 'object.union',
  decl: { args: ['object', 'object'], result: 'object' },
  fn: (args) => {
    const a = obj(args, 0, 'object.union');
    const b = obj(args, 1, 'object.union');
    return mergeObjects(a, b);
  },
});

registerBuiltin({
  name: 'object.union_n',
  decl: { args: ['array'], result: 'object' },
  fn: (args) => {
    const list = arr(args, 0, 'object.union_n');
    // Left to right, later objects winning; `acc` is our own fresh object, so it is built in place
    // (nested objects are merged into copies, never into values the operand shares).
    const acc = new RObject();
    for (const item of list) {
      if (!(item instanceof RObject)) {
        throw new BuiltinError(
          `object.union_n: operand 1 must be array of objects but got array containing ${typeName(item)}`,
          'eval_type_error',
        );
      }
      for (const [k, vb] of item.entries()) {
        const va = acc.get(k);
        acc.set(k, va instanceof RObject && vb instanceof RObject ? mergeObjects(va, vb) : vb);
      }
    }
    return acc;
  },
});

/** `sub` appears as a contiguous run inside `sup`. */
function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false;
  outer: for (let i = 0; i + sub.length <= sup.length; i++) {
    for (let j = 0; j < sub.length; j++) if (compare(sup[i + j] as Value, sub[j] as Value) !== 0) continue outer;
    return true;
  }
  return false;
}

function setSubset(sup: RSet, sub: RSet): boolean {
  for (const v of sub) if (!sup.has(v)) return false;
  return true;
}

/** Every key of `sub` is in `sup` with an equal value, or (recursively) a subset value of the same kind. */
function objectSubset(sup: RObject, sub: RObject): boolean {
  for (const [k, vs] of sub.entries()) {
    const vp = sup.get(k);
    if (vp === undefined) return false;
    if (equal(vp, vs)) continue;
    if (vp instanceof RObject && vs instanceof RObject) {
      if (!objectSubset(vp, vs)) return false;
    } else if (vp instanceof RSet && vs instanceof RSet) {
      if (!setSubset(vp, vs)) return false;
    } else if (Array.isArray(vp) && Array.isArray(vs)) {
      if (!arraySubset(vp, vs)) return false;
    } else {
      return false;
    }
  }
  return true;
}

registerBuiltin({
  name: 'object.subset',
  decl: {
    args: [
      ['object', 'array', 'set'],
      ['object', 'array', 'set'],
    ],
    result: 'boolean',
  },
  fn: (args) => {
    const sup = args[0] as Value;
    const sub = args[1] as Value;
    if (sup instanceof RObject && sub instanceof RObject) return objectSubset(sup, sub);
    if (sup instanceof RSet && sub instanceof RSet) return setSubset(sup, sub);
    if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
    // An array contains a set when every member of the set occurs somewhere in the array.
    if (Array.isArray(sup) && sub instanceof RSet) return setSubset(RSet.from(sup), sub);
    throw new BuiltinError(
      'object.subset: both arguments object.subset must be of the same type or array and set',
      'eval_type_error',
    );
  },
});
