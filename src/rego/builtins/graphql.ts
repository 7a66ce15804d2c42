// graphql.* builtins. Documents are parsed with a gqlparser-compatible parser (gql-parser.ts) and
// returned in the AST shape OPA exposes; schemas are checked with gqlparser's rules (gql-schema.ts)
// and queries validated by graphql-js (gql-validate.ts). Error texts follow OPA's formatting of
// gqlparser errors: "<message> in GraphQL string at location <line>:<col>".
import type { GraphQLSchema } from 'graphql';
import { BuiltinError } from '../errors.js';
import { canonical, RObject, type Value } from '../value.js';
import { builtinErr, str, typeErr } from './args.js';
import type { GQueryDocument, GSchemaDocument } from './gql-ast.js';
import { DecodeError, decodeQuery, decodeSchema, encodeQuery, encodeSchema } from './gql-codec.js';
import { GqlError } from './gql-lexer.js';
import { parseQuery } from './gql-parser.js';
import { parseSchema } from './gql-schema-parser.js';
import { buildSchema } from './gql-schema.js';
import { toGraphQLJS, validateQuery } from './gql-validate.js';
import { registerBuiltin } from './registry.js';

/** A failure with the text OPA would report after the builtin's name. */
class Failure extends Error {}

/** gqlparser's Error() text: "input:<line>:<col>: <message>" (no position: "input: <message>"). */
function errorText(e: GqlError): string {
  return `input${e.pos ? `:${e.pos.line}:${e.pos.column}` : ''}: ${e.message}`;
}

/** OPA's formatting of a gqlparser error (or error list, whose text ends each entry with "\n"). */
function formatGql(text: string): string {
  const parts = splitN(text, ':', 4);
  if (parts.length >= 4 && /^\d+$/.test(parts[1] as string) && /^\d+$/.test(parts[2] as string)) {
    let msg = (parts[3] as string).replace(/^ +/, '');
    if (msg.endsWith('.\n')) msg = msg.slice(0, -2);
    return `${msg} in GraphQL string at location ${Number(parts[1])}:${Number(parts[2])}`;
  }
  return `GraphQL parse error: ${text}`;
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function parseFailure(e: unknown): never {
  if (e instanceof GqlError) throw new Failure(formatGql(errorText(e)));
  if (e instanceof DecodeError) throw new Failure(e.message);
  throw e;
}

function queryDoc(v: Value, fname: string): GQueryDocument {
  try {
    if (typeof v === 'string') return parseQuery(v);
    if (v instanceof RObject) return decodeQuery(v);
  } catch (e) {
    parseFailure(e);
  }
  // OPA numbers these two operands from 0 here.
  throw typeErr(fname, -1, 'one of {string, object}', v);
}

interface SchemaEntry {
  /** The schema document as graphql.parse returns it. */
  ast: Value;
  /** Why the schema is unusable, in OPA's words; null when it checked out. */
  problem: string | null;
  gjs: GraphQLSchema | null;
}

/** Recently used schemas: checking and converting one is the expensive part of every call. */
const schemaCache = new Map<string, SchemaEntry>();
const SCHEMA_CACHE_MAX = 64;

function schemaEntry(v: Value, fname: string): SchemaEntry {
  if (typeof v !== 'string' && !(v instanceof RObject)) throw typeErr(fname, 0, 'one of {string, object}', v);
  const key = typeof v === 'string' ? `s${v}` : `o${canonical(v)}`;
  const hit = schemaCache.get(key);
  if (hit) {
    schemaCache.delete(key);
    schemaCache.set(key, hit);
    return hit;
  }
  let doc: GSchemaDocument;
  try {
    doc = typeof v === 'string' ? parseSchema(v) : decodeSchema(v);
  } catch (e) {
    parseFailure(e);
  }
  const entry: SchemaEntry = { ast: encodeSchema(doc), problem: null, gjs: null };
  try {
    entry.gjs = toGraphQLJS(buildSchema(doc));
  } catch (e) {
    // Anything graphql-js refuses in a schema gqlparser accepted is reported the same way.
    const detail = e instanceof GqlError ? errorText(e) : e instanceof Error ? `input: ${e.message}` : String(e);
    entry.problem = `Error in gqlparser SchemaDocument to Schema conversion: ${detail}`;
  }
  schemaCache.set(key, entry);
  if (schemaCache.size > SCHEMA_CACHE_MAX) schemaCache.delete(schemaCache.keys().next().value as string);
  return entry;
}

/** Parses and checks query + schema; throws Failure with OPA's message on the first problem. */
function parseAndValidate(q: Value, s: Value, fname: string): [Value, Value] {
  const query = queryDoc(q, fname);
  const schema = schemaEntry(s, fname);
  if (schema.problem !== null) throw new Failure(schema.problem);
  const queryAST = encodeQuery(query);
  const errors = validateQuery(schema.gjs as GraphQLSchema, query);
  if (errors.length) throw new Failure(formatGql(errors.map((e) => `${errorText(e)}\n`).join('')));
  return [queryAST, schema.ast];
}

function asBuiltinError<T>(fname: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Failure) throw builtinErr(fname, e.message);
    throw e;
  }
}

/** Runs f; any problem with the documents (type errors included) yields the fallback. */
function orElse<T>(fallback: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Failure || e instanceof BuiltinError) return fallback;
    throw e;
  }
}

const QS: ['string', 'object'] = ['string', 'object'];

registerBuiltin({
  name: 'graphql.parse_query',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => {
    const q = str(args, 0, 'graphql.parse_query');
    return asBuiltinError('graphql.parse_query', () => {
      try {
        return encodeQuery(parseQuery(q));
      } catch (e) {
        parseFailure(e);
      }
    });
  },
});

registerBuiltin({
  name: 'graphql.parse_schema',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => {
    const s = str(args, 0, 'graphql.parse_schema');
    return asBuiltinError('graphql.parse_schema', () => {
      try {
        return encodeSchema(parseSchema(s));
      } catch (e) {
        parseFailure(e);
      }
    });
  },
});

registerBuiltin({
  name: 'graphql.parse',
  decl: { args: [QS, QS], result: 'array' },
  fn: (args) => asBuiltinError('graphql.parse', () => parseAndValidate(args[0] as Value, args[1] as Value, 'graphql.parse')),
});

registerBuiltin({
  name: 'graphql.parse_and_verify',
  decl: { args: [QS, QS], result: 'array' },
  fn: (args) =>
    orElse<Value>([false, new RObject(), new RObject()], () => [
      true,
      ...parseAndValidate(args[0] as Value, args[1] as Value, 'graphql.parse_and_verify'),
    ]),
});

registerBuiltin({
  name: 'graphql.is_valid',
  decl: { args: [QS, QS], result: 'boolean' },
  fn: (args) =>
    orElse(false, () => {
      parseAndValidate(args[0] as Value, args[1] as Value, 'graphql.is_valid');
      return true;
    }),
});

registerBuiltin({
  name: 'graphql.schema_is_valid',
  decl: { args: [QS], result: 'boolean' },
  fn: (args) => orElse(false, () => schemaEntry(args[0] as Value, 'graphql.schema_is_valid').problem === null),
});
