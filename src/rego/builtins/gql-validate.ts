// Query validation against a checked schema, done by graphql-js: the gqlparser-shaped documents are
// translated into graphql-js AST nodes (remembering each node's source position for the messages),
// the schema into an SDL document, and graphql-js's standard rules run over them.
import {
  type ASTNode,
  type ASTVisitor,
  buildASTSchema,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationTypeNode,
  specifiedRules,
  type ValidationContext,
  validate,
} from 'graphql';
import type {
  GArgument,
  GArgumentDefinition,
  GDefinition,
  GDirective,
  GFieldDefinition,
  GQueryDocument,
  GSelection,
  GType,
  GValue,
  GVariableDefinition,
} from './gql-ast.js';
import { VK } from './gql-ast.js';
import { GqlError, type Pos } from './gql-lexer.js';
import { isPreludeDirective, type Schema } from './gql-schema.js';

type N = Record<string, unknown>;

const name = (value: string): N => ({ kind: Kind.NAME, value });
const named = (value: string): N => ({ kind: Kind.NAMED_TYPE, name: name(value) });

/** Raised when a document cannot be expressed as GraphQL (possible for hand-built AST objects). */
class Untranslatable extends Error {}

function typeNode(t: GType | null): N {
  if (!t) throw new Untranslatable('missing type');
  const inner = t.NamedType !== '' ? named(t.NamedType) : { kind: Kind.LIST_TYPE, type: typeNode(t.Elem) };
  return t.NonNull ? { kind: Kind.NON_NULL_TYPE, type: inner } : inner;
}

// ---------------------------------------------------------------- schema

function inputValue(a: GArgumentDefinition | GFieldDefinition): N {
  return {
    kind: Kind.INPUT_VALUE_DEFINITION,
    name: name(a.Name),
    type: typeNode(a.Type),
    defaultValue: a.DefaultValue ? new Translator(new WeakMap()).value(a.DefaultValue) : undefined,
    directives: [],
  };
}

function typeDefinition(d: GDefinition): N | null {
  const common = { name: name(d.Name), directives: [] };
  const fields = (): N[] =>
    (d.Fields ?? []).map((f) => ({
      kind: Kind.FIELD_DEFINITION,
      name: name(f.Name),
      arguments: (f.Arguments ?? []).map(inputValue),
      type: typeNode(f.Type),
      directives: [],
    }));
  switch (d.Kind) {
    case 'SCALAR':
      return { kind: Kind.SCALAR_TYPE_DEFINITION, ...common };
    case 'OBJECT':
      return { kind: Kind.OBJECT_TYPE_DEFINITION, ...common, interfaces: (d.Interfaces ?? []).map(named), fields: fields() };
    case 'INTERFACE':
      return { kind: Kind.INTERFACE_TYPE_DEFINITION, ...common, interfaces: (d.Interfaces ?? []).map(named), fields: fields() };
    case 'UNION':
      return { kind: Kind.UNION_TYPE_DEFINITION, ...common, types: (d.Types ?? []).map(named) };
    case 'ENUM':
      return {
        kind: Kind.ENUM_TYPE_DEFINITION,
        ...common,
        values: (d.EnumValues ?? []).map((v) => ({ kind: Kind.ENUM_VALUE_DEFINITION, name: name(v.Name), directives: [] })),
      };
    case 'INPUT_OBJECT':
      return { kind: Kind.INPUT_OBJECT_TYPE_DEFINITION, ...common, fields: (d.Fields ?? []).map(inputValue) };
    default:
      return null;
  }
}

/** graphql-js's view of a schema that gql-schema.ts accepted. Type-system directives are left out:
 *  they do not take part in query validation, and graphql-js would reject values gqlparser allows. */
export function toGraphQLJS(s: Schema): GraphQLSchema {
  const definitions: N[] = [];
  for (const d of s.types.values()) {
    if (d.BuiltIn) continue;
    const node = typeDefinition(d);
    if (node) definitions.push(node);
  }
  for (const d of s.directives.values()) {
    // graphql-js supplies include/skip/deprecated/specifiedBy/oneOf itself; gqlparser also knows @defer.
    if (isPreludeDirective(d) && d.Name !== 'defer') continue;
    definitions.push({
      kind: Kind.DIRECTIVE_DEFINITION,
      name: name(d.Name),
      arguments: (d.Arguments ?? []).map(inputValue),
      repeatable: d.IsRepeatable,
      locations: (d.Locations ?? []).map(name),
    });
  }
  const roots: [OperationTypeNode, GDefinition | null][] = [
    ['query' as OperationTypeNode, s.query],
    ['mutation' as OperationTypeNode, s.mutation],
    ['subscription' as OperationTypeNode, s.subscription],
  ];
  definitions.push({
    kind: Kind.SCHEMA_DEFINITION,
    directives: [],
    operationTypes: roots
      .filter(([, def]) => def !== null && !def.BuiltIn)
      .map(([operation, def]) => ({ kind: Kind.OPERATION_TYPE_DEFINITION, operation, type: named((def as GDefinition).Name) })),
  });
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions } as unknown as DocumentNode, {
    assumeValid: true,
    assumeValidSDL: true,
  });
}

// ---------------------------------------------------------------- documents

class Translator {
  constructor(readonly positions: WeakMap<object, Pos>) {}

  private at<T extends N>(node: T, pos: Pos | null | undefined): T {
    if (pos) this.positions.set(node, pos);
    return node;
  }

  value(v: GValue | null): N {
    if (!v) throw new Untranslatable('missing value');
    const kids = v.Children ?? [];
    let node: N;
    switch (v.Kind) {
      case VK.Variable:
        node = { kind: Kind.VARIABLE, name: name(v.Raw) };
        break;
      case VK.Int:
        node = { kind: Kind.INT, value: v.Raw };
        break;
      case VK.Float:
        node = { kind: Kind.FLOAT, value: v.Raw };
        break;
      case VK.String:
      case VK.Block:
        node = { kind: Kind.STRING, value: v.Raw, block: v.Kind === VK.Block };
        break;
      case VK.Boolean:
        node = { kind: Kind.BOOLEAN, value: v.Raw === 'true' };
        break;
      case VK.Null:
        node = { kind: Kind.NULL };
        break;
      case VK.Enum:
        node = { kind: Kind.ENUM, value: v.Raw };
        break;
      case VK.List:
        node = { kind: Kind.LIST, values: kids.map((c) => this.value(c.Value)) };
        break;
      case VK.Object:
        node = {
          kind: Kind.OBJECT,
          fields: kids.map((c) =>
            this.at({ kind: Kind.OBJECT_FIELD, name: name(c.Name), value: this.value(c.Value) }, c.Position),
          ),
        };
        break;
      default:
        throw new Untranslatable(`unknown value kind ${v.Kind}`);
    }
    return this.at(node, v.Position);
  }

  arguments(args: GArgument[] | null): N[] {
    return (args ?? []).map((a) => this.at({ kind: Kind.ARGUMENT, name: name(a.Name), value: this.value(a.Value) }, a.Position));
  }

  directives(dirs: GDirective[] | null): N[] {
    return (dirs ?? []).map((d) =>
      this.at({ kind: Kind.DIRECTIVE, name: name(d.Name), arguments: this.arguments(d.Arguments) }, d.Position),
    );
  }

  variables(defs: GVariableDefinition[] | null): N[] {
    return (defs ?? []).map((d) =>
      this.at(
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: name(d.Variable) },
          type: typeNode(d.Type),
          defaultValue: d.DefaultValue ? this.value(d.DefaultValue) : undefined,
          directives: this.directives(d.Directives),
        },
        d.Position,
      ),
    );
  }

  selectionSet(sels: GSelection[] | null): N {
    return { kind: Kind.SELECTION_SET, selections: (sels ?? []).map((s) => this.selection(s)) };
  }

  selection(s: GSelection): N {
    switch (s.$kind) {
      case 'Field':
        return this.at(
          {
            kind: Kind.FIELD,
            alias: s.Alias !== '' && s.Alias !== s.Name ? name(s.Alias) : undefined,
            name: name(s.Name),
            arguments: this.arguments(s.Arguments),
            directives: this.directives(s.Directives),
            selectionSet: s.SelectionSet?.length ? this.selectionSet(s.SelectionSet) : undefined,
          },
          s.Position,
        );
      case 'FragmentSpread':
        return this.at({ kind: Kind.FRAGMENT_SPREAD, name: name(s.Name), directives: this.directives(s.Directives) }, s.Position);
      default:
        return this.at(
          {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: s.TypeCondition !== '' ? named(s.TypeCondition) : undefined,
            directives: this.directives(s.Directives),
            selectionSet: this.selectionSet(s.SelectionSet),
          },
          s.Position,
        );
    }
  }

  document(doc: GQueryDocument): DocumentNode {
    const definitions: N[] = [];
    for (const op of doc.Operations ?? []) {
      const operation = op.Operation === '' ? 'query' : op.Operation;
      if (operation !== 'query' && operation !== 'mutation' && operation !== 'subscription') {
        throw new Untranslatable(`got unknown operation type "${op.Operation}"`);
      }
      definitions.push(
        this.at(
          {
            kind: Kind.OPERATION_DEFINITION,
            operation,
            name: op.Name !== '' ? name(op.Name) : undefined,
            variableDefinitions: this.variables(op.VariableDefinitions),
            directives: this.directives(op.Directives),
            selectionSet: this.selectionSet(op.SelectionSet),
          },
          op.Position,
        ),
      );
    }
    for (const f of doc.Fragments ?? []) {
      definitions.push(
        this.at(
          {
            kind: Kind.FRAGMENT_DEFINITION,
            name: name(f.Name),
            variableDefinitions: f.VariableDefinition?.length ? this.variables(f.VariableDefinition) : undefined,
            typeCondition: named(f.TypeCondition),
            directives: this.directives(f.Directives),
            selectionSet: this.selectionSet(f.SelectionSet),
          },
          f.Position,
        ),
      );
    }
    return { kind: Kind.DOCUMENT, definitions } as unknown as DocumentNode;
  }
}

/** gqlparser's KnownRootType rule (graphql-js leaves this to execution). */
function KnownRootTypeRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        context.reportError(new GraphQLError(`Schema does not support operation type "${node.operation}"`, { nodes: node }));
      }
    },
  };
}

/** graphql-js wording that differs from gqlparser's, rewritten to gqlparser's. */
function gqlparserWording(msg: string): string {
  return msg.replace(/ Did you mean "[^"]* \{ \.\.\. \}"\?$/, '');
}

/** All validation problems of the query, in graphql-js's order, as gqlparser-style errors. */
export function validateQuery(schema: GraphQLSchema, doc: GQueryDocument): GqlError[] {
  const positions = new WeakMap<object, Pos>();
  let errors: readonly GraphQLError[];
  try {
    const document = new Translator(positions).document(doc);
    errors = validate(schema, document, [...specifiedRules, KnownRootTypeRule]);
  } catch (e) {
    if (e instanceof Untranslatable) return [new GqlError(e.message, null)];
    if (e instanceof RangeError) return [new GqlError('document is nested too deeply', null)];
    throw e;
  }
  return errors.map((e) => {
    const node = e.nodes?.[0] as ASTNode | undefined;
    return new GqlError(gqlparserWording(e.message), (node && positions.get(node)) ?? null);
  });
}
