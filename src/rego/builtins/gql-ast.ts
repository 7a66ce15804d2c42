// The GraphQL document model OPA exposes: gqlparser's Go structs, with Go field names. OPA turns
// them into Rego values through JSON and then drops nulls, empty arrays/objects and "Position", so
// the shapes here follow the Go structs field for field (see gql-codec.ts for the conversions).
import type { Pos } from './gql-lexer.js';

export interface GType {
  NamedType: string;
  Elem: GType | null;
  NonNull: boolean;
  Position?: Pos | null;
}

/** gqlparser's ValueKind numbering (Variable = 0 … Object = 9). */
export enum VK {
  Variable = 0,
  Int = 1,
  Float = 2,
  String = 3,
  Block = 4,
  Boolean = 5,
  Null = 6,
  Enum = 7,
  List = 8,
  Object = 9,
}

export interface GValue {
  Raw: string;
  Children: GChildValue[] | null;
  Kind: number;
  Position?: Pos | null;
  Definition?: GDefinition | null;
  VariableDefinition?: GVariableDefinition | null;
  ExpectedType?: GType | null;
  ExpectedTypeHasDefault?: boolean;
}

export interface GChildValue {
  Name: string;
  Value: GValue | null;
  Position?: Pos | null;
}

export interface GArgument {
  Name: string;
  Value: GValue | null;
  Position?: Pos | null;
}

export interface GDirective {
  Name: string;
  Arguments: GArgument[] | null;
  Position?: Pos | null;
  ParentDefinition?: GDefinition | null;
  Definition?: GDirectiveDefinition | null;
  Location?: string;
}

export interface GVariableDefinition {
  Variable: string;
  Type: GType | null;
  DefaultValue: GValue | null;
  Directives: GDirective[] | null;
  Position?: Pos | null;
  Definition?: GDefinition | null;
  Used?: boolean;
}

export interface GField {
  $kind: 'Field';
  Alias: string;
  Name: string;
  Arguments: GArgument[] | null;
  Directives: GDirective[] | null;
  SelectionSet: GSelection[] | null;
  Position?: Pos | null;
  Definition?: GFieldDefinition | null;
  ObjectDefinition?: GDefinition | null;
}

export interface GFragmentSpread {
  $kind: 'FragmentSpread';
  Name: string;
  Directives: GDirective[] | null;
  Position?: Pos | null;
  ObjectDefinition?: GDefinition | null;
  Definition?: GFragmentDefinition | null;
}

export interface GInlineFragment {
  $kind: 'InlineFragment';
  TypeCondition: string;
  Directives: GDirective[] | null;
  SelectionSet: GSelection[] | null;
  Position?: Pos | null;
  ObjectDefinition?: GDefinition | null;
}

export type GSelection = GField | GFragmentSpread | GInlineFragment;

export interface GOperationDefinition {
  Operation: string;
  Name: string;
  VariableDefinitions: GVariableDefinition[] | null;
  Directives: GDirective[] | null;
  SelectionSet: GSelection[] | null;
  Position?: Pos | null;
}

export interface GFragmentDefinition {
  Name: string;
  VariableDefinition: GVariableDefinition[] | null;
  TypeCondition: string;
  Directives: GDirective[] | null;
  SelectionSet: GSelection[] | null;
  Definition?: GDefinition | null;
  Position?: Pos | null;
}

export interface GQueryDocument {
  Operations: GOperationDefinition[] | null;
  Fragments: GFragmentDefinition[] | null;
}

export interface GArgumentDefinition {
  Description: string;
  Name: string;
  DefaultValue: GValue | null;
  Type: GType | null;
  Directives: GDirective[] | null;
  Position?: Pos | null;
}

export interface GFieldDefinition {
  Description: string;
  Name: string;
  Arguments: GArgumentDefinition[] | null;
  DefaultValue: GValue | null;
  Type: GType | null;
  Directives: GDirective[] | null;
  Position?: Pos | null;
}

export interface GEnumValueDefinition {
  Description: string;
  Name: string;
  Directives: GDirective[] | null;
  Position?: Pos | null;
}

export interface GDefinition {
  Kind: string;
  Description: string;
  Name: string;
  Directives: GDirective[] | null;
  Interfaces: string[] | null;
  Fields: GFieldDefinition[] | null;
  Types: string[] | null;
  EnumValues: GEnumValueDefinition[] | null;
  Position?: Pos | null;
  BuiltIn: boolean;
}

export interface GDirectiveDefinition {
  Description: string;
  Name: string;
  Arguments: GArgumentDefinition[] | null;
  Locations: string[] | null;
  IsRepeatable: boolean;
  Position?: Pos | null;
}

export interface GOperationTypeDefinition {
  Operation: string;
  Type: string;
  Position?: Pos | null;
}

export interface GSchemaDefinition {
  Description: string;
  Directives: GDirective[] | null;
  OperationTypes: GOperationTypeDefinition[] | null;
  Position?: Pos | null;
}

export interface GSchemaDocument {
  Schema: GSchemaDefinition[] | null;
  SchemaExtension: GSchemaDefinition[] | null;
  Directives: GDirectiveDefinition[] | null;
  Definitions: GDefinition[] | null;
  Extensions: GDefinition[] | null;
}

/** The type's innermost named type (gqlparser's Type.Name()). */
export function typeName(t: GType | null): string {
  let cur = t;
  while (cur && cur.NamedType === '' && cur.Elem) cur = cur.Elem;
  return cur ? cur.NamedType : '';
}

/** GraphQL notation of a type reference: [Name!]! */
export function typeString(t: GType | null): string {
  if (!t) return '';
  const inner = t.NamedType !== '' ? t.NamedType : `[${typeString(t.Elem)}]`;
  return t.NonNull ? `${inner}!` : inner;
}
