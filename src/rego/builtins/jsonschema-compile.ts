// Compiling a JSON Schema (draft 4, 6, 7, or the "hybrid" default that accepts all three) into the
// tree the validator walks, with the checks and error messages of OPA's gojsonschema. Schemas are
// plain JSON values (objects as JS objects). $ref resolves inside the schema document (JSON
// pointers and $id/id), never over the network.
import { fromJSON } from '../value.js';
import { marshalJSON } from './go-json.js';
import { compileRE2 } from './jsonschema-formats.js';

export class SchemaError extends Error {}

type JSONValue = unknown;
type JSONObject = Record<string, JSONValue>;

export const DRAFT4 = 4;
export const DRAFT6 = 6;
export const DRAFT7 = 7;
export const HYBRID = 1000;

export const TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

export interface Sub {
  pass?: boolean;
  ref?: Sub;
  types: string[];
  properties: [string, Sub][];
  additionalProperties?: boolean | Sub;
  patternProperties: [string, RegExp | null, Sub][];
  propertyNames?: Sub;
  dependencies: [string, string[] | Sub][];
  items: Sub[];
  itemsSingle: boolean;
  additionalItems?: boolean | Sub;
  multipleOf?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  patternSource?: string;
  format?: string;
  minProperties?: number;
  maxProperties?: number;
  required: string[];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains?: Sub;
  constJSON?: string;
  enumJSON?: string[];
  oneOf: Sub[];
  anyOf: Sub[];
  allOf: Sub[];
  not?: Sub;
  ifSchema?: Sub;
  thenSchema?: Sub;
  elseSchema?: Sub;
}

const isObject = (x: JSONValue): x is JSONObject => typeof x === 'object' && x !== null && !Array.isArray(x);
const isSchema = (x: JSONValue) => isObject(x) || typeof x === 'boolean';
const isInt = (x: JSONValue): x is number => typeof x === 'number' && Number.isInteger(x);

/** The JSON text gojsonschema compares const/enum/uniqueItems values by. */
export function canonicalJSON(x: JSONValue): string {
  return marshalJSON(fromJSON(x));
}

const invalidType = (expected: string, given: string) => new SchemaError(`Invalid type. Expected: ${expected}, given: ${given}`);
const mustBeOfA = (x: string, y: string) => new SchemaError(`${x} must be of a ${y}`);
const mustBeOfAn = (x: string, y: string) => new SchemaError(`${x} must be of an ${y}`);

function draftOf(url: string): number | undefined {
  const u = url.replace(/#$/, '');
  return {
    'http://json-schema.org/draft-04/schema': DRAFT4,
    'http://json-schema.org/draft-06/schema': DRAFT6,
    'http://json-schema.org/draft-07/schema': DRAFT7,
  }[u];
}

/** JSON pointer lookup inside a document (RFC 6901, "#/a/b" form already stripped of "#"). */
function pointer(doc: JSONValue, ptr: string): JSONValue {
  if (ptr === '') return doc;
  let cur = doc;
  for (const raw of ptr.replace(/^\//, '').split('/')) {
    const tok = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(tok);
      if (!/^(0|[1-9][0-9]*)$/.test(tok) || i >= cur.length) throw new SchemaError(`Index ${tok} out of bounds`);
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!(tok in cur)) throw new SchemaError(`Object has no key '${tok}'`);
      cur = cur[tok];
    } else throw new SchemaError(`Invalid token reference '${tok}'`);
  }
  return cur;
}

/** Resolves `ref` against `base` as a URI reference; plain fragments keep the base document. */
function resolveURI(base: string, ref: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref)) return ref;
  if (ref.startsWith('#')) return base.replace(/#.*$/, '') + ref;
  try {
    return new URL(ref, base === '' ? 'urn:local:/' : base).toString();
  } catch {
    return ref;
  }
}

export function compileSchema(root: JSONValue): Sub {
  if (!isSchema(root)) throw new SchemaError('schema is invalid');
  let draft = HYBRID;
  if (isObject(root) && '$schema' in root) {
    if (typeof root.$schema !== 'string') throw new SchemaError('$schema must be of type string');
    draft = draftOf(root.$schema) ?? HYBRID;
  }
  // Index the document's ids so refs to them resolve; each compiled node is cached by identity
  // (and a placeholder is cached first) so recursive schemas terminate.
  const ids = new Map<string, JSONValue>();
  const collect = (x: JSONValue, base: string): void => {
    if (Array.isArray(x)) {
      for (const e of x) collect(e, base);
      return;
    }
    if (!isObject(x)) return;
    let b = base;
    for (const key of ['$id', 'id']) {
      const id = x[key];
      if (typeof id === 'string') {
        b = resolveURI(base, id);
        ids.set(b.replace(/#$/, ''), x);
      }
    }
    for (const [k, v] of Object.entries(x)) if (k !== 'enum' && k !== 'const') collect(v, b);
  };
  collect(root, '');
  const rootBase =
    isObject(root) && typeof (root.$id ?? root.id) === 'string' ? resolveURI('', (root.$id ?? root.id) as string) : '';
  const cache = new Map<JSONValue, Sub>();

  const resolveRef = (ref: string, base: string): JSONValue => {
    const abs = resolveURI(base, ref);
    const hash = abs.indexOf('#');
    const docPart = hash < 0 ? abs : abs.slice(0, hash);
    const frag = hash < 0 ? '' : abs.slice(hash + 1);
    let doc: JSONValue;
    if (docPart === '' || docPart === rootBase.replace(/#.*$/, '')) doc = root;
    else if (ids.has(docPart)) doc = ids.get(docPart);
    else if (ids.has(abs.replace(/#$/, ''))) return ids.get(abs.replace(/#$/, ''));
    else throw new SchemaError(`unable to resolve $ref ${ref}: remote references are not supported`);
    if (frag === '' || frag.startsWith('/')) return pointer(doc, frag);
    const named = ids.get(abs);
    if (named === undefined) throw new SchemaError(`unable to resolve $ref ${ref}`);
    return named;
  };

  const parse = (node: JSONValue, d: number, base: string): Sub => {
    const hit = cache.get(node);
    if (hit && isObject(node)) return hit;
    const s: Sub = {
      types: [],
      properties: [],
      patternProperties: [],
      dependencies: [],
      items: [],
      itemsSingle: false,
      required: [],
      uniqueItems: false,
      oneOf: [],
      anyOf: [],
      allOf: [],
    };
    if (d >= DRAFT6 && typeof node === 'boolean') {
      s.pass = node;
      return s;
    }
    if (!isObject(node)) throw new SchemaError('Expected: valid schema, given: Invalid JSON');
    cache.set(node, s);
    const m = node;
    const getString = (key: string): string | undefined => {
      if (!(key in m)) return undefined;
      if (typeof m[key] !== 'string') throw invalidType('string', key);
      return m[key] as string;
    };
    const getSlice = (key: string): JSONValue[] => {
      if (!(key in m)) return [];
      if (!Array.isArray(m[key])) throw mustBeOfAn(key, 'array');
      return m[key] as JSONValue[];
    };
    const sub = (x: JSONValue) => parse(x, d, base);

    const idKey = d === DRAFT4 ? 'id' : d === HYBRID && 'id' in m ? 'id' : '$id';
    const id = getString(idKey);
    if (id !== undefined) base = resolveURI(base, id);

    if ('definitions' in m) {
      if (!isObject(m.definitions)) throw invalidType('array of schemas', 'definitions');
      for (const dv of Object.values(m.definitions)) {
        if (!isSchema(dv)) throw invalidType('array of schemas', 'definitions');
        sub(dv);
      }
    }
    getString('title');
    getString('description');
    const ref = getString('$ref');
    if (ref !== undefined) {
      const target = resolveRef(ref, base);
      if (!isSchema(target)) throw new SchemaError('valid schema must be of type object');
      s.ref = sub(target);
      return s;
    }
    if ('type' in m) {
      const t = m.type;
      const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t : null;
      if (list === null) throw invalidType('type', 'string/array of strings');
      for (const x of list) {
        if (typeof x !== 'string') throw invalidType('type', 'string/array of strings');
        if (!TYPES.includes(x)) {
          throw new SchemaError(
            `has a primitive type that is NOT VALID -- given: /${x}/ Expected valid values are:[${TYPES.join(' ')}]`,
          );
        }
        if (s.types.includes(x)) throw new SchemaError(`${x} type is duplicated`);
        s.types.push(x);
      }
    }
    if ('properties' in m) {
      if (!isObject(m.properties)) throw new SchemaError('properties must be of type object');
      for (const k of Object.keys(m.properties).sort()) s.properties.push([k, sub(m.properties[k])]);
    }
    if ('additionalProperties' in m) {
      const ap = m.additionalProperties;
      if (typeof ap === 'boolean') s.additionalProperties = ap;
      else if (isObject(ap)) s.additionalProperties = sub(ap);
      else throw invalidType('boolean/valid schema', 'additionalProperties');
    }
    if ('patternProperties' in m) {
      if (!isObject(m.patternProperties)) throw invalidType('valid schema', 'patternProperties');
      for (const [k, v] of Object.entries(m.patternProperties)) {
        const re = compileRE2(k);
        if (re === null) throw new SchemaError(`Invalid regex pattern '${k}'`);
        s.patternProperties.push([k, re, sub(v)]);
      }
    }
    if ('propertyNames' in m && d >= DRAFT6) {
      if (!isSchema(m.propertyNames)) throw invalidType('valid schema', 'patternProperties');
      s.propertyNames = sub(m.propertyNames);
    }
    if ('dependencies' in m) {
      if (!isObject(m.dependencies)) throw new SchemaError('dependencies must be of type object');
      for (const k of Object.keys(m.dependencies).sort()) {
        const v = m.dependencies[k];
        if (Array.isArray(v)) {
          if (!v.every((x) => typeof x === 'string'))
            throw new SchemaError('dependency must be of type schema or array of strings');
          s.dependencies.push([k, v as string[]]);
        } else if (isSchema(v)) s.dependencies.push([k, sub(v)]);
        else throw new SchemaError('dependency must be of type schema or array of strings');
      }
    }
    if ('items' in m) {
      const it = m.items;
      if (Array.isArray(it)) {
        for (const e of it) {
          if (!isSchema(e)) throw invalidType('valid schema/array of schemas', 'items');
          s.items.push(sub(e));
        }
      } else if (isSchema(it)) {
        s.items.push(sub(it));
        s.itemsSingle = true;
      } else throw invalidType('valid schema/array of schemas', 'items');
    }
    if ('additionalItems' in m) {
      const ai = m.additionalItems;
      if (typeof ai === 'boolean') s.additionalItems = ai;
      else if (isObject(ai)) s.additionalItems = sub(ai);
      else throw invalidType('boolean/valid schema', 'additionalItems');
    }
    if ('multipleOf' in m) {
      if (typeof m.multipleOf !== 'number') throw invalidType('number', 'multipleOf');
      if (m.multipleOf <= 0) throw new SchemaError('multipleOf must be strictly greater than 0');
      s.multipleOf = m.multipleOf;
    }
    for (const [key, exKey] of [
      ['minimum', 'exclusiveMinimum'],
      ['maximum', 'exclusiveMaximum'],
    ] as const) {
      if (key in m) {
        if (typeof m[key] !== 'number') throw mustBeOfA(key, 'number');
        s[key] = m[key] as number;
      }
      if (!(exKey in m)) continue;
      const ex = m[exKey];
      if ((d === DRAFT4 || d === HYBRID) && typeof ex === 'boolean') {
        if (s[key] === undefined) throw new SchemaError(`${exKey} cannot be used without ${key}`);
        if (ex) {
          s[exKey] = s[key];
          s[key] = undefined;
        }
      } else if (d !== DRAFT4 && typeof ex === 'number') s[exKey] = ex;
      else throw invalidType(d === DRAFT4 ? 'boolean' : d === HYBRID ? 'boolean/number' : 'number', exKey);
    }
    const nonNegInt = (key: string): number | undefined => {
      if (!(key in m)) return undefined;
      if (!isInt(m[key])) throw mustBeOfAn(key, 'integer');
      if ((m[key] as number) < 0) throw new SchemaError(`${key} must be greater than or equal to 0`);
      return m[key] as number;
    };
    s.minLength = nonNegInt('minLength');
    s.maxLength = nonNegInt('maxLength');
    if (s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      throw new SchemaError('minLength cannot be greater than maxLength');
    }
    const pattern = getString('pattern');
    if (pattern !== undefined) {
      const re = compileRE2(pattern);
      if (re === null) throw new SchemaError('pattern must be a valid regex');
      s.pattern = re;
      s.patternSource = pattern;
    }
    s.format = getString('format');
    s.minProperties = nonNegInt('minProperties');
    s.maxProperties = nonNegInt('maxProperties');
    if (s.minProperties !== undefined && s.maxProperties !== undefined && s.minProperties > s.maxProperties) {
      throw new SchemaError('minProperties cannot be greater than maxProperties');
    }
    for (const r of getSlice('required')) {
      if (typeof r !== 'string') throw invalidType('string', 'required');
      if (s.required.includes(r)) throw new SchemaError('required items must be unique');
      s.required.push(r);
    }
    s.minItems = nonNegInt('minItems');
    s.maxItems = nonNegInt('maxItems');
    if ('uniqueItems' in m) {
      if (typeof m.uniqueItems !== 'boolean') throw mustBeOfA('uniqueItems', 'boolean');
      s.uniqueItems = m.uniqueItems;
    }
    if ('contains' in m && d >= DRAFT6) s.contains = sub(m.contains);
    if ('const' in m && d >= DRAFT6) s.constJSON = canonicalJSON(m.const);
    if ('enum' in m) {
      s.enumJSON = [];
      for (const e of getSlice('enum')) {
        const j = canonicalJSON(e);
        if (s.enumJSON.includes(j)) throw new SchemaError('enum items must be unique');
        s.enumJSON.push(j);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) for (const x of getSlice(key)) s[key].push(sub(x));
    const keywords: [string, 'not' | 'ifSchema' | 'thenSchema' | 'elseSchema', number][] = [
      ['not', 'not', DRAFT4],
      ['if', 'ifSchema', DRAFT7],
      ['then', 'thenSchema', DRAFT7],
      ['else', 'elseSchema', DRAFT7],
    ];
    for (const [key, field, since] of keywords) {
      if (!(key in m) || d < since) continue;
      if (!isSchema(m[key])) throw mustBeOfAn(key, 'object');
      s[field] = sub(m[key]);
    }
    return s;
  };
  return parse(root, draft, rootBase);
}
