// Schema checks with gqlparser's rules (what OPA's graphql.schema_is_valid and the schema half of
// graphql.parse/is_valid apply): the built-in prelude is merged in, extensions are folded into their
// types (an extension of an unknown type creates it), and the first problem is reported.
import type {
  GArgumentDefinition,
  GDefinition,
  GDirective,
  GDirectiveDefinition,
  GFieldDefinition,
  GSchemaDocument,
  GType,
} from './gql-ast.js';
import { typeName, typeString, VK } from './gql-ast.js';
import { GqlError, type Pos } from './gql-lexer.js';
import { goQuote } from './gostrconv.js';
import { parseSchema } from './gql-schema-parser.js';

/** The types and directives every schema has (GraphQL spec built-ins and introspection). */
const PRELUDE_SDL = `
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR
directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @oneOf on INPUT_OBJECT
type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!]
  ofType: __Type
  isOneOf: Boolean
}
type __Field {
  name: String!
  description: String
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}
type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
  isDeprecated: Boolean!
  deprecationReason: String
}
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Directive {
  name: String!
  description: String
  locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  isRepeatable: Boolean!
}
enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION
  SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT
  INPUT_FIELD_DEFINITION
}
`;

let prelude: GSchemaDocument | null = null;
const preludeDirectives = new WeakSet<GDirectiveDefinition>();

function preludeDoc(): GSchemaDocument {
  if (prelude === null) {
    prelude = parseSchema(PRELUDE_SDL, true);
    for (const d of prelude.Directives ?? []) preludeDirectives.add(d);
  }
  return prelude;
}

/** Whether a directive definition is the built-in one (not a schema's own redefinition). */
export function isPreludeDirective(d: GDirectiveDefinition): boolean {
  return preludeDirectives.has(d);
}

const BUILTIN_DIRECTIVES = new Set(['include', 'skip', 'deprecated', 'specifiedBy', 'defer', 'oneOf']);

/** A checked schema: every type (built-ins included) by name, directives, and root types. */
export interface Schema {
  types: Map<string, GDefinition>;
  directives: Map<string, GDirectiveDefinition>;
  possibleTypes: Map<string, GDefinition[]>;
  query: GDefinition | null;
  mutation: GDefinition | null;
  subscription: GDefinition | null;
}

const err = (pos: Pos | null | undefined, msg: string): GqlError => new GqlError(msg, pos ?? null);

/** Builds and checks the schema; throws GqlError for the first problem found. */
export function buildSchema(user: GSchemaDocument): Schema {
  const base = preludeDoc();
  // Copies, because folding extensions in appends to the definitions.
  const copy = (d: GDefinition): GDefinition => ({ ...d });
  const definitions = [...(base.Definitions ?? []), ...(user.Definitions ?? [])].map(copy);
  const extensions = [...(base.Extensions ?? []), ...(user.Extensions ?? [])];
  const directiveDefs = [...(base.Directives ?? []), ...(user.Directives ?? [])];
  const schemaDefs = user.Schema ?? [];

  const s: Schema = {
    types: new Map(),
    directives: new Map(),
    possibleTypes: new Map(),
    query: null,
    mutation: null,
    subscription: null,
  };
  for (const def of definitions) {
    if (s.types.has(def.Name)) throw err(def.Position, `Cannot redeclare type ${def.Name}.`);
    s.types.set(def.Name, def);
  }
  const defs = [...definitions];
  for (const ext of extensions) {
    let def = s.types.get(ext.Name);
    if (!def) {
      def = { ...ext, Directives: null, Interfaces: null, Fields: null, Types: null, EnumValues: null, Description: '' };
      s.types.set(ext.Name, def);
      defs.push(def);
    }
    if (def.Kind !== ext.Kind) {
      throw err(ext.Position, `Cannot extend type ${ext.Name} because the base type is a ${def.Kind}, not ${ext.Kind}.`);
    }
    const cat = <T>(a: T[] | null, b: T[] | null): T[] | null => (b?.length ? [...(a ?? []), ...b] : a);
    def.Directives = cat(def.Directives, ext.Directives);
    def.Interfaces = cat(def.Interfaces, ext.Interfaces);
    def.Fields = cat(def.Fields, ext.Fields);
    def.Types = cat(def.Types, ext.Types);
    def.EnumValues = cat(def.EnumValues, ext.EnumValues);
  }
  const addPossible = (name: string, def: GDefinition | undefined): void => {
    if (!def) return;
    s.possibleTypes.set(name, [...(s.possibleTypes.get(name) ?? []), def]);
  };
  for (const def of defs) {
    if (def.Kind === 'UNION') for (const t of def.Types ?? []) addPossible(def.Name, s.types.get(t));
    if (def.Kind === 'OBJECT' || def.Kind === 'INPUT_OBJECT' || def.Kind === 'INTERFACE') {
      for (const intf of def.Interfaces ?? []) addPossible(intf, def);
      if (def.Kind !== 'INTERFACE') addPossible(def.Name, def);
    }
  }
  for (const dir of directiveDefs) {
    if (s.directives.has(dir.Name)) {
      // Built-in directives may be restated by a schema; the first definition is kept.
      if (BUILTIN_DIRECTIVES.has(dir.Name)) continue;
      throw err(dir.Position, `Cannot redeclare directive ${dir.Name}.`);
    }
    s.directives.set(dir.Name, dir);
  }
  if (schemaDefs.length > 1) {
    throw err(schemaDefs[1]?.Position, 'Cannot have multiple schema entry points, consider schema extensions instead.');
  }
  for (const sd of [...schemaDefs, ...(user.SchemaExtension ?? [])]) {
    for (const op of sd.OperationTypes ?? []) {
      const def = s.types.get(op.Type);
      if (!def) throw err(op.Position, `Schema root ${op.Operation} refers to a type ${op.Type} that does not exist.`);
      if (op.Operation === 'query') s.query = def;
      else if (op.Operation === 'mutation') s.mutation = def;
      else if (op.Operation === 'subscription') s.subscription = def;
    }
    checkDirectives(s, sd.Directives, 'SCHEMA', null);
  }
  for (const name of [...s.types.keys()].sort(byteOrder)) checkDefinition(s, s.types.get(name) as GDefinition);
  for (const name of [...s.directives.keys()].sort(byteOrder)) {
    const d = s.directives.get(name) as GDirectiveDefinition;
    checkName(d.Position, d.Name);
    checkArgs(s, d.Arguments, d);
  }
  // Root types are found by name only when there is no schema definition.
  if (schemaDefs.length === 0) {
    s.query ??= s.types.get('Query') ?? null;
    s.mutation ??= s.types.get('Mutation') ?? null;
    s.subscription ??= s.types.get('Subscription') ?? null;
  }
  return s;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function checkName(pos: Pos | null | undefined, name: string): void {
  if (name.startsWith('__')) {
    throw err(pos, `Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`);
  }
}

function checkTypeRef(s: Schema, t: GType | null): GDefinition {
  const def = s.types.get(typeName(t));
  if (!def) throw err(t?.Position, `Undefined type ${typeName(t)}.`);
  return def;
}

function isInputKind(kind: string): boolean {
  return kind === 'SCALAR' || kind === 'ENUM' || kind === 'INPUT_OBJECT';
}

function checkArgs(s: Schema, args: GArgumentDefinition[] | null, current: GDirectiveDefinition | null): void {
  for (const arg of args ?? []) {
    checkName(arg.Position, arg.Name);
    const def = checkTypeRef(s, arg.Type);
    if (!isInputKind(def.Kind)) {
      throw err(
        arg.Position,
        `cannot use ${typeString(arg.Type)} as argument ${arg.Name} because ${def.Kind} is not a valid input type`,
      );
    }
    checkDirectives(s, arg.Directives, 'ARGUMENT_DEFINITION', current);
  }
}

function checkDirectives(s: Schema, dirs: GDirective[] | null, location: string, current: GDirectiveDefinition | null): void {
  for (const dir of dirs ?? []) {
    checkName(dir.Position, dir.Name);
    if (current && dir.Name === current.Name) throw err(dir.Position, `Directive ${current.Name} cannot refer to itself.`);
    const def = s.directives.get(dir.Name);
    if (!def) throw err(dir.Position, `Undefined directive ${dir.Name}.`);
    if (!(def.Locations ?? []).includes(location)) {
      throw err(dir.Position, `Directive ${dir.Name} is not applicable on ${location}.`);
    }
    for (const arg of dir.Arguments ?? []) {
      if (!(def.Arguments ?? []).some((a) => a.Name === arg.Name)) {
        throw err(arg.Position, `Undefined argument ${arg.Name} for directive ${dir.Name}.`);
      }
    }
    for (const a of def.Arguments ?? []) {
      if (a.Type?.NonNull && a.DefaultValue === null) {
        const given = (dir.Arguments ?? []).find((x) => x.Name === a.Name);
        if (!given || given.Value?.Kind === VK.Null) {
          throw err(dir.Position, `Argument ${a.Name} for directive ${dir.Name} cannot be null.`);
        }
      }
    }
  }
}

const OUTPUT_KINDS = ['SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM'];
const INPUT_KINDS = ['SCALAR', 'ENUM', 'INPUT_OBJECT'];

function checkDefinition(s: Schema, def: GDefinition): void {
  const fields = def.Fields ?? [];
  for (const f of fields) {
    checkName(f.Position, f.Name);
    checkTypeRef(s, f.Type);
    checkArgs(s, f.Arguments, null);
    checkDirectives(s, f.Directives, def.Kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION', null);
  }
  for (const t of def.Types ?? []) {
    const member = s.types.get(t);
    if (!member) throw err(def.Position, `Undefined type ${goQuote(t)}.`);
    if (member.Kind !== 'OBJECT') throw err(def.Position, `${def.Kind} type ${goQuote(t)} must be OBJECT.`);
  }
  for (const intf of def.Interfaces ?? []) checkImplements(s, def, intf);
  switch (def.Kind) {
    case 'OBJECT':
    case 'INTERFACE':
      if (fields.length === 0) throw err(def.Position, `${def.Kind} ${def.Name}: must define one or more fields.`);
      for (const f of fields) {
        const t = s.types.get(typeName(f.Type));
        if (t && !OUTPUT_KINDS.includes(t.Kind)) {
          throw err(f.Position, `${def.Kind} ${def.Name}: field must be one of ${OUTPUT_KINDS.join(', ')}.`);
        }
      }
      break;
    case 'ENUM':
      if (!def.EnumValues?.length) {
        throw err(def.Position, `${def.Kind} ${def.Name}: must define one or more unique enum values.`);
      }
      for (const v of def.EnumValues) {
        if (v.Name === 'true' || v.Name === 'false' || v.Name === 'null') {
          throw err(def.Position, `${def.Kind} ${def.Name}: non-enum value ${v.Name}.`);
        }
        checkDirectives(s, v.Directives, 'ENUM_VALUE', null);
      }
      break;
    case 'INPUT_OBJECT':
      if (fields.length === 0) throw err(def.Position, `${def.Kind} ${def.Name}: must define one or more input fields.`);
      for (const f of fields) {
        const t = s.types.get(typeName(f.Type));
        if (t && !INPUT_KINDS.includes(t.Kind)) {
          throw err(f.Position, `${t.Kind} ${f.Name}: field must be one of ${INPUT_KINDS.join(', ')}.`);
        }
      }
      break;
  }
  for (let i = 0; i < fields.length; i++) {
    for (let k = i + 1; k < fields.length; k++) {
      const f2 = fields[k] as GFieldDefinition;
      if ((fields[i] as GFieldDefinition).Name === f2.Name) {
        throw err(f2.Position, `Field ${def.Name}.${f2.Name} can only be defined once.`);
      }
    }
  }
  if (!def.BuiltIn) checkName(def.Position, def.Name);
  checkDirectives(s, def.Directives, def.Kind, null);
}

function checkImplements(s: Schema, def: GDefinition, intfName: string): void {
  const intf = s.types.get(intfName);
  if (!intf) throw err(def.Position, `Undefined type ${goQuote(intfName)}.`);
  if (intf.Kind !== 'INTERFACE') throw err(def.Position, `${goQuote(intfName)} is a non interface type ${intf.Kind}.`);
  const own = def.Fields ?? [];
  for (const req of intf.Fields ?? []) {
    const found = own.find((f) => f.Name === req.Name);
    if (!found) throw err(def.Position, `For ${def.Name} to implement ${intf.Name} it must have a field called ${req.Name}.`);
    if (!isCovariant(s, req.Type, found.Type)) {
      throw err(
        found.Position,
        `For ${def.Name} to implement ${intf.Name} the field ${req.Name} must have type ${typeString(req.Type)}.`,
      );
    }
    for (const ra of req.Arguments ?? []) {
      const fa = (found.Arguments ?? []).find((a) => a.Name === ra.Name);
      if (!fa) {
        throw err(
          found.Position,
          `For ${def.Name} to implement ${intf.Name} the field ${req.Name} must have the same arguments but it is missing ${ra.Name}.`,
        );
      }
      if (typeString(ra.Type) !== typeString(fa.Type)) {
        throw err(
          fa.Position,
          `For ${def.Name} to implement ${intf.Name} the field ${req.Name} must have the same arguments but ${ra.Name} has the wrong type.`,
        );
      }
    }
    for (const fa of found.Arguments ?? []) {
      const extra = !(req.Arguments ?? []).some((a) => a.Name === fa.Name);
      if (extra && fa.Type?.NonNull && fa.DefaultValue === null) {
        throw err(
          fa.Position,
          `For ${def.Name} to implement ${intf.Name} any additional arguments on ${found.Name} must be optional or have a default value but ${fa.Name} is required.`,
        );
      }
    }
  }
  for (const transitive of intf.Interfaces ?? []) {
    if (!(def.Interfaces ?? []).includes(transitive)) {
      if (transitive === def.Name) {
        throw err(def.Position, `Type ${def.Name} cannot implement ${intfName} because it would create a circular reference.`);
      }
      throw err(def.Position, `Type ${def.Name} must implement ${transitive} because it is implemented by ${intfName}.`);
    }
  }
}

function isCovariant(s: Schema, req: GType | null, actual: GType | null): boolean {
  if (!req || !actual) return req === actual;
  if (req.NonNull && !actual.NonNull) return false;
  if (req.NamedType !== '') {
    if (req.NamedType === actual.NamedType) return true;
    return (s.possibleTypes.get(req.NamedType) ?? []).some((d) => d.Name === actual.NamedType);
  }
  if (req.Elem && !actual.Elem) return false;
  return isCovariant(s, req.Elem, actual.Elem);
}
