// json.verify_schema and json.match_schema: JSON Schema validation with the error list OPA's
// gojsonschema produces ({error, type, field, desc} per error, in its order, with its messages).
// Keys of objects are visited in sorted order where gojsonschema's order is Go map order.
import { RObject, type Value, toJSON } from '../value.js';
import { builtinErr } from './args.js';
import { goJSONSyntaxError } from './go-json.js';
import { goFormatFloat } from './go-yaml.js';
import { canonicalJSON, compileSchema, SchemaError, type Sub } from './jsonschema-compile.js';
import { checkFormat } from './jsonschema-formats.js';
import { registerBuiltin } from './registry.js';

interface SchemaErrorItem {
  type: string;
  context: string[];
  description: string;
}

class Result {
  errors: SchemaErrorItem[] = [];
  score = 0;
  get valid(): boolean {
    return this.errors.length === 0;
  }
  add(type: string, context: string[], description: string): void {
    this.errors.push({ type, context, description });
    this.score -= 2;
  }
  merge(other: Result): void {
    this.errors.push(...other.errors);
    this.score += other.score;
  }
}

const field = (ctx: string[]) => (ctx.length === 0 ? '(root)' : ctx.join('.'));
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** How big.Float prints a bound in a message. */
const num = (n: number) => goFormatFloat(n);

/** Exact check that a is a multiple of b, on the decimal text of both (as big.Rat would). */
function isMultiple(a: number, b: number): boolean {
  const dec = (x: number): [bigint, number] => {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const [int, frac = ''] = m.split('.') as [string, string?];
    const scale = frac.length - Number(e);
    const digits = BigInt(int + frac);
    return scale >= 0 ? [digits, scale] : [digits * 10n ** BigInt(-scale), 0];
  };
  const [an, as] = dec(a);
  const [bn, bs] = dec(b);
  const s = Math.max(as, bs);
  const x = an * 10n ** BigInt(s - as);
  const y = bn * 10n ** BigInt(s - bs);
  return y !== 0n && x % y === 0n;
}

function sub(s: Sub, node: unknown, ctx: string[]): Result {
  const r = new Result();
  validate(s, node, r, ctx);
  return r;
}

/** Schemas can refer to themselves without consuming input ({"allOf": [{"$ref": "#"}]}). */
const MAX_DEPTH = 1000;
let depth = 0;

function validate(s: Sub, node: unknown, r: Result, ctx: string[]): void {
  if (depth >= MAX_DEPTH) throw new SchemaError('schema recursion too deep');
  depth++;
  try {
    validateNode(s, node, r, ctx);
  } finally {
    depth--;
  }
}

function validateNode(s: Sub, node: unknown, r: Result, ctx: string[]): void {
  if (s.pass !== undefined) {
    if (!s.pass) r.add('false', ctx, 'False always fails validation');
    return;
  }
  if (s.ref) {
    validate(s.ref, node, r, ctx);
    return;
  }
  const given =
    node === null
      ? 'null'
      : typeof node === 'number'
        ? Number.isInteger(node)
          ? 'integer'
          : 'number'
        : Array.isArray(node)
          ? 'array'
          : typeof node === 'object'
            ? 'object'
            : typeof node;
  const typeOk = s.types.includes(given) || (given === 'integer' && s.types.includes('number'));
  if (s.types.length > 0 && !typeOk) {
    const expected = s.types.length > 1 ? `[${s.types.join(',')}]` : (s.types[0] as string);
    r.add('invalid_type', ctx, `Invalid type. Expected: ${expected}, given: ${given}`);
    return;
  }
  combinators(s, node, r, ctx);
  if (typeof node === 'number') numberChecks(s, node, r, ctx);
  if (Array.isArray(node)) arrayChecks(s, node, r, ctx);
  if (isObject(node)) objectChecks(s, node, r, ctx);
  common(s, node, r, ctx);
  if (typeof node === 'string') stringChecks(s, node, r, ctx);
  if (isObject(node)) {
    for (const [name, p] of s.properties) if (name in node) validate(p, node[name], r, [...ctx, name]);
  }
  r.score++;
}

function combinators(s: Sub, node: unknown, r: Result, ctx: string[]): void {
  if (s.anyOf.length > 0) {
    let best: Result | null = null;
    let ok = false;
    for (const a of s.anyOf) {
      const res = sub(a, node, ctx);
      if (res.valid) {
        ok = true;
        break;
      }
      if (best === null || res.score > best.score) best = res;
    }
    if (!ok) {
      r.add('number_any_of', ctx, 'Must validate at least one schema (anyOf)');
      if (best) r.merge(best);
    }
  }
  if (s.oneOf.length > 0) {
    let count = 0;
    let best: Result | null = null;
    for (const o of s.oneOf) {
      const res = sub(o, node, ctx);
      if (res.valid) count++;
      else if (count === 0 && (best === null || res.score > best.score)) best = res;
    }
    if (count !== 1) {
      r.add('number_one_of', ctx, 'Must validate one and only one schema (oneOf)');
      if (count === 0 && best) r.merge(best);
    }
  }
  if (s.allOf.length > 0) {
    let count = 0;
    for (const a of s.allOf) {
      const res = sub(a, node, ctx);
      if (res.valid) count++;
      r.merge(res);
    }
    if (count !== s.allOf.length) r.add('number_all_of', ctx, 'Must validate all the schemas (allOf)');
  }
  if (s.not && sub(s.not, node, ctx).valid) r.add('number_not', ctx, 'Must not validate the schema (not)');
  if (s.dependencies.length > 0 && isObject(node)) {
    for (const key of Object.keys(node).sort()) {
      const dep = s.dependencies.find(([k]) => k === key)?.[1];
      if (dep === undefined) continue;
      if (Array.isArray(dep)) {
        for (const d of dep) if (!(d in node)) r.add('missing_dependency', ctx, `Has a dependency on ${d}`);
      } else validate(dep, node, r, ctx);
    }
  }
  if (s.ifSchema) {
    const cond = sub(s.ifSchema, node, ctx).valid;
    const branch = cond ? s.thenSchema : s.elseSchema;
    if (branch) {
      const res = sub(branch, node, ctx);
      if (!res.valid) {
        if (cond) r.add('condition_then', ctx, 'Must validate "then" as "if" was valid');
        else r.add('condition_else', ctx, 'Must validate "else" as "if" was not valid');
        r.merge(res);
      }
    }
  }
  r.score++;
}

function common(s: Sub, node: unknown, r: Result, ctx: string[]): void {
  if (s.constJSON !== undefined && canonicalJSON(node) !== s.constJSON) {
    r.add('const', ctx, `${field(ctx)} does not match: ${s.constJSON}`);
  }
  if (s.enumJSON !== undefined && !s.enumJSON.includes(canonicalJSON(node))) {
    const allowed = s.enumJSON.length === 0 ? '(none)' : s.enumJSON.join(', ');
    r.add('enum', ctx, `${field(ctx)} must be one of the following: ${allowed}`);
  }
  if (s.format !== undefined && !checkFormat(s.format, node)) r.add('format', ctx, `Does not match format '${s.format}'`);
  r.score++;
}

function arrayChecks(s: Sub, a: unknown[], r: Result, ctx: string[]): void {
  if (s.itemsSingle) {
    for (let i = 0; i < a.length; i++) r.merge(sub(s.items[0] as Sub, a[i], [...ctx, String(i)]));
  } else if (s.items.length > 0) {
    const n = Math.min(s.items.length, a.length);
    for (let i = 0; i < n; i++) r.merge(sub(s.items[i] as Sub, a[i], [...ctx, String(i)]));
    if (s.items.length < a.length) {
      if (s.additionalItems === false) r.add('array_no_additional_items', ctx, 'No additional items allowed on array');
      else if (s.additionalItems !== undefined && s.additionalItems !== true) {
        for (let i = s.items.length; i < a.length; i++) r.merge(sub(s.additionalItems, a[i], [...ctx, String(i)]));
      }
    }
  }
  if (s.minItems !== undefined && a.length < s.minItems)
    r.add('array_min_items', ctx, `Array must have at least ${s.minItems} items`);
  if (s.maxItems !== undefined && a.length > s.maxItems)
    r.add('array_max_items', ctx, `Array must have at most ${s.maxItems} items`);
  if (s.uniqueItems) {
    const seen = new Map<string, number>();
    a.forEach((x, j) => {
      const k = canonicalJSON(x);
      const i = seen.get(k);
      if (i !== undefined) r.add('unique', ctx, `array items[${i},${j}] must be unique`);
      seen.set(k, j);
    });
  }
  if (s.contains) {
    let best: Result | null = null;
    let ok = false;
    for (let i = 0; i < a.length; i++) {
      const res = sub(s.contains, a[i], [...ctx, String(i)]);
      if (res.valid) {
        ok = true;
        break;
      }
      if (best === null || res.score > best.score) best = res;
    }
    if (!ok) {
      r.add('contains', ctx, 'At least one of the items must match');
      if (best) r.merge(best);
    }
  }
  r.score++;
}

function objectChecks(s: Sub, o: Record<string, unknown>, r: Result, ctx: string[]): void {
  const keys = Object.keys(o).sort();
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    r.add('array_min_properties', ctx, `Must have at least ${s.minProperties} properties`);
  }
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    r.add('array_max_properties', ctx, `Must have at most ${s.maxProperties} properties`);
  }
  for (const req of s.required) {
    if (req in o) r.score++;
    else r.add('required', ctx, `${req} is required`);
  }
  for (const k of keys) {
    const found = s.properties.some(([name]) => name === k);
    let matched = false;
    for (const [, re, p] of s.patternProperties) {
      if (re?.test(k)) {
        matched = true;
        r.merge(sub(p, o[k], [...ctx, k]));
      }
    }
    if (matched) r.score++;
    if (!found && !matched) {
      const ap = s.additionalProperties;
      if (ap === false) r.add('additional_property_not_allowed', ctx, `Additional property ${k} is not allowed`);
      else if (ap !== undefined && ap !== true) r.merge(sub(ap, o[k], [...ctx, k]));
    }
  }
  if (s.propertyNames) {
    for (const k of keys) {
      const res = sub(s.propertyNames, k, ctx);
      if (!res.valid) {
        r.add('invalid_property_name', ctx, `Property name of "${k}" does not match`);
        r.merge(res);
      }
    }
  }
  r.score++;
}

function stringChecks(s: Sub, str: string, r: Result, ctx: string[]): void {
  const len = [...str].length;
  if (s.minLength !== undefined && len < s.minLength)
    r.add('string_gte', ctx, `String length must be greater than or equal to ${s.minLength}`);
  if (s.maxLength !== undefined && len > s.maxLength)
    r.add('string_lte', ctx, `String length must be less than or equal to ${s.maxLength}`);
  if (s.pattern && !s.pattern.test(str)) r.add('pattern', ctx, `Does not match pattern '${s.patternSource}'`);
  r.score++;
}

function numberChecks(s: Sub, n: number, r: Result, ctx: string[]): void {
  if (s.multipleOf !== undefined && !isMultiple(n, s.multipleOf))
    r.add('multiple_of', ctx, `Must be a multiple of ${num(s.multipleOf)}`);
  if (s.maximum !== undefined && n > s.maximum) r.add('number_lte', ctx, `Must be less than or equal to ${num(s.maximum)}`);
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum)
    r.add('number_lt', ctx, `Must be less than ${num(s.exclusiveMaximum)}`);
  if (s.minimum !== undefined && n < s.minimum) r.add('number_gte', ctx, `Must be greater than or equal to ${num(s.minimum)}`);
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum)
    r.add('number_gt', ctx, `Must be greater than ${num(s.exclusiveMinimum)}`);
  r.score++;
}

// ---- builtins ----

class LoadError extends Error {}

/** A schema or document operand as plain JSON: JSON text in a string, or an object/array. */
function load(v: Value): unknown {
  if (typeof v === 'string') {
    if (goJSONSyntaxError(v) !== null) throw new LoadError('invalid JSON string');
    return JSON.parse(v);
  }
  if (v instanceof RObject || Array.isArray(v)) return toJSON(v);
  throw new LoadError('wrong type, expected string or object');
}

registerBuiltin({
  name: 'json.verify_schema',
  decl: { args: [['string', 'object']], result: 'array' },
  fn: (args) => {
    try {
      compileSchema(load(args[0] as Value));
      return [true, null];
    } catch (e) {
      if (e instanceof LoadError || e instanceof SchemaError) return [false, `jsonschema: ${e.message}`];
      throw e;
    }
  },
});

registerBuiltin({
  name: 'json.match_schema',
  decl: {
    args: [
      ['string', 'object'],
      ['string', 'object'],
    ],
    result: 'array',
  },
  fn: (args) => {
    const name = 'json.match_schema';
    let doc: unknown;
    let schema: Sub;
    try {
      doc = load(args[0] as Value);
      schema = compileSchema(load(args[1] as Value));
    } catch (e) {
      if (e instanceof LoadError || e instanceof SchemaError) throw builtinErr(name, e.message);
      throw e;
    }
    let res: Result;
    try {
      res = sub(schema, doc, []);
    } catch (e) {
      if (e instanceof SchemaError) throw builtinErr(name, e.message);
      throw e;
    }
    const errors = res.errors.map((e) => {
      const f = field(e.context);
      return RObject.from([
        ['error', `${f}: ${e.description}`],
        ['type', e.type],
        ['field', f],
        ['desc', e.description],
      ]);
    });
    return [res.valid, errors];
  },
});
