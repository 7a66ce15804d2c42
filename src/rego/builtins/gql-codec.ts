// Converting the GraphQL document model to and from Rego values the way OPA does: documents are
// marshalled with Go's encoding/json (then nulls, empty arrays/objects and "Position" are pruned),
// and AST objects given to graphql.* are unmarshalled with encoding/json semantics (case-insensitive
// keys, unknown keys ignored, type mismatches are errors). gqlparser decodes a few node types with
// exact key names and reads every selection as a Field first; that is reproduced here too.
import { RObject, toJSON, type Value } from '../value.js';
import type { GQueryDocument, GSchemaDocument } from './gql-ast.js';
import type { Pos } from './gql-lexer.js';

type Spec = 'string' | 'bool' | 'int' | 'pos' | 'sel' | { list: Spec } | { ptr: string };

const str = 'string' as const;
const bool = 'bool' as const;
const int = 'int' as const;
const list = (s: Spec): Spec => ({ list: s });
const ptr = (s: string): Spec => ({ ptr: s });
const strs = list(str);
const dirs = list(ptr('Directive'));
const sels = list('sel');

/** Go struct layouts (field order as declared). Comment fields are left out: OPA shows none. */
const STRUCTS: Record<string, [string, Spec][]> = {
  QueryDocument: [
    ['Operations', list(ptr('OperationDefinition'))],
    ['Fragments', list(ptr('FragmentDefinition'))],
  ],
  OperationDefinition: [
    ['Operation', str],
    ['Name', str],
    ['VariableDefinitions', list(ptr('VariableDefinition'))],
    ['Directives', dirs],
    ['SelectionSet', sels],
    ['Position', 'pos'],
  ],
  VariableDefinition: [
    ['Variable', str],
    ['Type', ptr('Type')],
    ['DefaultValue', ptr('Value')],
    ['Directives', dirs],
    ['Definition', ptr('Definition')],
    ['Used', bool],
  ],
  Type: [
    ['NamedType', str],
    ['Elem', ptr('Type')],
    ['NonNull', bool],
  ],
  FragmentDefinition: [
    ['Name', str],
    ['VariableDefinition', list(ptr('VariableDefinition'))],
    ['TypeCondition', str],
    ['Directives', dirs],
    ['SelectionSet', sels],
    ['Definition', ptr('Definition')],
    ['Position', 'pos'],
  ],
  Field: [
    ['Alias', str],
    ['Name', str],
    ['Arguments', list(ptr('Argument'))],
    ['Directives', dirs],
    ['SelectionSet', sels],
    ['Position', 'pos'],
    ['Definition', ptr('FieldDefinition')],
    ['ObjectDefinition', ptr('Definition')],
  ],
  FragmentSpread: [
    ['Name', str],
    ['Directives', dirs],
    ['ObjectDefinition', ptr('Definition')],
    ['Definition', ptr('FragmentDefinition')],
  ],
  InlineFragment: [
    ['TypeCondition', str],
    ['Directives', dirs],
    ['SelectionSet', sels],
    ['ObjectDefinition', ptr('Definition')],
    ['Position', 'pos'],
  ],
  Argument: [
    ['Name', str],
    ['Value', ptr('Value')],
  ],
  Directive: [
    ['Name', str],
    ['Arguments', list(ptr('Argument'))],
    ['ParentDefinition', ptr('Definition')],
    ['Definition', ptr('DirectiveDefinition')],
    ['Location', str],
  ],
  Value: [
    ['Raw', str],
    ['Children', list(ptr('ChildValue'))],
    ['Kind', int],
    ['Definition', ptr('Definition')],
    ['VariableDefinition', ptr('VariableDefinition')],
    ['ExpectedType', ptr('Type')],
    ['ExpectedTypeHasDefault', bool],
  ],
  ChildValue: [
    ['Name', str],
    ['Value', ptr('Value')],
  ],
  SchemaDocument: [
    ['Schema', list(ptr('SchemaDefinition'))],
    ['SchemaExtension', list(ptr('SchemaDefinition'))],
    ['Directives', list(ptr('DirectiveDefinition'))],
    ['Definitions', list(ptr('Definition'))],
    ['Extensions', list(ptr('Definition'))],
  ],
  SchemaDefinition: [
    ['Description', str],
    ['Directives', dirs],
    ['OperationTypes', list(ptr('OperationTypeDefinition'))],
  ],
  OperationTypeDefinition: [
    ['Operation', str],
    ['Type', str],
  ],
  DirectiveDefinition: [
    ['Description', str],
    ['Name', str],
    ['Arguments', list(ptr('ArgumentDefinition'))],
    ['Locations', strs],
    ['IsRepeatable', bool],
  ],
  Definition: [
    ['Kind', str],
    ['Description', str],
    ['Name', str],
    ['Directives', dirs],
    ['Interfaces', strs],
    ['Fields', list(ptr('FieldDefinition'))],
    ['Types', strs],
    ['EnumValues', list(ptr('EnumValueDefinition'))],
    ['BuiltIn', bool],
  ],
  FieldDefinition: [
    ['Description', str],
    ['Name', str],
    ['Arguments', list(ptr('ArgumentDefinition'))],
    ['DefaultValue', ptr('Value')],
    ['Type', ptr('Type')],
    ['Directives', dirs],
  ],
  ArgumentDefinition: [
    ['Description', str],
    ['Name', str],
    ['DefaultValue', ptr('Value')],
    ['Type', ptr('Type')],
    ['Directives', dirs],
  ],
  EnumValueDefinition: [
    ['Description', str],
    ['Name', str],
    ['Directives', dirs],
  ],
};

/** Types gqlparser decodes by hand: exact key names only, and "Position" is read. */
const CUSTOM = new Set(['OperationDefinition', 'FragmentDefinition', 'Field', 'InlineFragment']);

// ---------------------------------------------------------------- encoding

type Node = Record<string, unknown>;

function encodeValue(v: unknown, spec: Spec): Value | undefined {
  if (spec === 'pos') return undefined;
  if (spec === 'string') return typeof v === 'string' ? v : '';
  if (spec === 'bool') return v === true;
  if (spec === 'int') return typeof v === 'number' ? v : 0;
  if (v === null || v === undefined) return undefined;
  if (spec === 'sel') return encodeStruct(v as Node, (v as Node).$kind as string);
  if ('list' in spec) {
    const out: Value[] = [];
    for (const item of v as unknown[]) {
      const e = encodeValue(item, spec.list);
      if (e !== undefined) out.push(e);
    }
    return out.length ? out : undefined;
  }
  return encodeStruct(v as Node, spec.ptr);
}

function encodeStruct(node: Node, struct: string): Value | undefined {
  const o = new RObject();
  for (const [name, spec] of STRUCTS[struct] ?? []) {
    const e = encodeValue(node[name], spec);
    if (e !== undefined) o.set(name, e);
  }
  return o.size ? o : undefined;
}

/** A query document as OPA returns it (pruned JSON shape). */
export function encodeQuery(doc: GQueryDocument): Value {
  return encodeStruct(doc as unknown as Node, 'QueryDocument') ?? new RObject();
}

export function encodeSchema(doc: GSchemaDocument): Value {
  return encodeStruct(doc as unknown as Node, 'SchemaDocument') ?? new RObject();
}

// ---------------------------------------------------------------- decoding

/** Go's encoding/json refused the input; the message imitates Go's wording. */
export class DecodeError extends Error {}

function jsonKind(j: unknown): string {
  if (j === null) return 'null';
  if (Array.isArray(j)) return 'array';
  if (typeof j === 'object') return 'object';
  if (typeof j === 'boolean') return 'bool';
  if (typeof j === 'number') return `number ${j}`;
  return typeof j;
}

const GO_TYPE: Record<string, string> = { string: 'string', bool: 'bool', int: 'ast.ValueKind' };

function mismatch(j: unknown, where: string, goType: string): DecodeError {
  const kind = jsonKind(j).startsWith('number') && goType !== 'ast.ValueKind' ? 'number' : jsonKind(j);
  return new DecodeError(`json: cannot unmarshal ${kind} into Go struct field ${where} of type ${goType}`);
}

function goTypeOf(spec: Spec): string {
  if (typeof spec === 'string') return GO_TYPE[spec] ?? 'ast.Selection';
  if ('list' in spec) return `[]${goTypeOf(spec.list)}`;
  return `*ast.${spec.ptr}`;
}

function decodeValue(j: unknown, spec: Spec, where: string): unknown {
  if (spec === 'pos') return decodePosition(j, where);
  if (spec === 'string' || spec === 'bool' || spec === 'int') {
    if (j === null) return spec === 'string' ? '' : spec === 'bool' ? false : 0;
    if (spec === 'string' && typeof j === 'string') return j;
    if (spec === 'bool' && typeof j === 'boolean') return j;
    if (spec === 'int' && typeof j === 'number' && Number.isSafeInteger(j)) return j;
    throw mismatch(j, where, goTypeOf(spec));
  }
  if (spec === 'sel') throw new DecodeError('json: cannot unmarshal selection');
  if ('list' in spec) {
    if (j === null) return null;
    if (!Array.isArray(j)) throw mismatch(j, where, goTypeOf(spec));
    if (spec.list === 'sel') return decodeSelectionSet(j, where);
    return j.map((item) => decodeValue(item, spec.list, where));
  }
  if (j === null) return null;
  if (typeof j !== 'object' || Array.isArray(j)) throw mismatch(j, where, goTypeOf(spec));
  return decodeStruct(j as Record<string, unknown>, spec.ptr);
}

function decodePosition(j: unknown, where: string): Pos | null {
  if (j === null) return null;
  if (typeof j !== 'object' || Array.isArray(j)) throw mismatch(j, where, '*ast.Position');
  let line = 0;
  let column = 0;
  for (const [k, v] of Object.entries(j as Record<string, unknown>)) {
    const lk = k.toLowerCase();
    if (lk === 'line' || lk === 'column' || lk === 'start' || lk === 'end') {
      const n = decodeValue(v, 'int', `Position.${k}`) as number;
      if (lk === 'line') line = n;
      if (lk === 'column') column = n;
    }
  }
  return { line, column };
}

function decodeStruct(j: Record<string, unknown>, struct: string): Node {
  const fields = STRUCTS[struct] ?? [];
  const node: Node = {};
  if (struct === 'Field' || struct === 'FragmentSpread' || struct === 'InlineFragment') node.$kind = struct;
  for (const [name, spec] of fields) {
    if (spec === 'string') node[name] = '';
    else if (spec === 'bool') node[name] = false;
    else if (spec === 'int') node[name] = 0;
    else node[name] = null;
  }
  const custom = CUSTOM.has(struct);
  // Go reads object members in order; OPA's JSON has sorted keys, so a later spelling wins.
  for (const key of Object.keys(j).sort()) {
    const field = custom
      ? fields.find(([n]) => n === key)
      : (fields.find(([n]) => n === key) ?? fields.find(([n]) => n.toLowerCase() === key.toLowerCase()));
    if (!field || (field[1] === 'pos' && !custom)) continue;
    node[field[0]] = decodeValue(j[key], field[1], `${struct}.${field[0]}`);
  }
  return node;
}

/** gqlparser's reading of a selection list: each item becomes the first of Field, FragmentSpread
 *  or InlineFragment that decodes without error (so in practice nearly always a Field). */
function decodeSelectionSet(items: unknown[], where: string): Node[] {
  const out: Node[] = [];
  for (const item of items) {
    for (const kind of ['Field', 'FragmentSpread', 'InlineFragment']) {
      try {
        if (item !== null && (typeof item !== 'object' || Array.isArray(item))) throw mismatch(item, where, kind);
        out.push(decodeStruct((item ?? {}) as Record<string, unknown>, kind));
        break;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }
  return out;
}

function decodeTop(v: Value, struct: string): Node {
  const j = toJSON(v);
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw mismatch(j, struct, `ast.${struct}`);
  try {
    return decodeStruct(j as Record<string, unknown>, struct);
  } catch (e) {
    if (e instanceof RangeError) throw new DecodeError('json: exceeded max depth');
    throw e;
  }
}

/** An AST object (as graphql.parse_query returns) back to a query document. */
export function decodeQuery(v: Value): GQueryDocument {
  return decodeTop(v, 'QueryDocument') as unknown as GQueryDocument;
}

export function decodeSchema(v: Value): GSchemaDocument {
  return decodeTop(v, 'SchemaDocument') as unknown as GSchemaDocument;
}
