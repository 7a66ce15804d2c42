// The SDL half of the gqlparser-compatible parser (type system definitions and extensions).
import type {
  GArgumentDefinition,
  GDefinition,
  GDirectiveDefinition,
  GEnumValueDefinition,
  GFieldDefinition,
  GOperationTypeDefinition,
  GSchemaDefinition,
  GSchemaDocument,
} from './gql-ast.js';
import { Tok } from './gql-lexer.js';
import { guarded, Parser } from './gql-parser.js';

const KEYWORD_KIND: Record<string, string> = {
  scalar: 'SCALAR',
  type: 'OBJECT',
  interface: 'INTERFACE',
  union: 'UNION',
  enum: 'ENUM',
  input: 'INPUT_OBJECT',
};

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY',
  'MUTATION',
  'SUBSCRIPTION',
  'FIELD',
  'FRAGMENT_DEFINITION',
  'FRAGMENT_SPREAD',
  'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION',
  'SCHEMA',
  'SCALAR',
  'OBJECT',
  'FIELD_DEFINITION',
  'ARGUMENT_DEFINITION',
  'INTERFACE',
  'UNION',
  'ENUM',
  'ENUM_VALUE',
  'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
]);

class SchemaParser extends Parser {
  schemaDocument(): GSchemaDocument {
    const doc: GSchemaDocument = { Schema: null, SchemaExtension: null, Directives: null, Definitions: null, Extensions: null };
    const push = <K extends keyof GSchemaDocument>(k: K, v: NonNullable<GSchemaDocument[K]>[number]): void => {
      ((doc[k] as unknown[] | null) ??= []).push(v);
    };
    while (this.peek().kind !== Tok.EOF) {
      if (this.err) return doc;
      let description = '';
      if (this.peek().kind === Tok.BlockString || this.peek().kind === Tok.String) description = this.next().value;
      if (this.peek().kind !== Tok.Name) {
        this.unexpected();
        break;
      }
      switch (this.peek().value) {
        case 'scalar':
        case 'type':
        case 'interface':
        case 'union':
        case 'enum':
        case 'input':
          push('Definitions', this.typeDefinition(description));
          break;
        case 'schema':
          push('Schema', this.schemaDefinition(description));
          break;
        case 'directive':
          push('Directives', this.directiveDefinition(description));
          break;
        case 'extend':
          if (description !== '') this.unexpected(this.prev);
          this.typeSystemExtension(push);
          break;
        default:
          this.unexpected();
          return doc;
      }
    }
    return doc;
  }

  description(): string {
    const t = this.peek();
    return t.kind === Tok.BlockString || t.kind === Tok.String ? this.next().value : '';
  }

  private newDef(Kind: string, Description: string): GDefinition {
    return {
      Kind,
      Description,
      Name: '',
      Directives: null,
      Interfaces: null,
      Fields: null,
      Types: null,
      EnumValues: null,
      Position: this.peekPos(),
      BuiltIn: false,
    };
  }

  typeDefinition(description: string): GDefinition {
    const kw = this.peek().value;
    this.expectKeyword(kw);
    const kind = KEYWORD_KIND[kw] as string;
    const def = this.newDef(kind, description);
    def.Name = this.name();
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.Interfaces = this.implementsInterfaces();
    def.Directives = this.directives(true);
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.Fields = this.fieldsDefinition();
    else if (kind === 'UNION') def.Types = this.unionMemberTypes();
    else if (kind === 'ENUM') def.EnumValues = this.enumValuesDefinition();
    else if (kind === 'INPUT_OBJECT') def.Fields = this.inputFieldsDefinition();
    return def;
  }

  implementsInterfaces(): string[] | null {
    if (this.peek().value !== 'implements') return null;
    this.next();
    this.skip(Tok.Amp);
    const types = [this.name()];
    while (this.skip(Tok.Amp) && !this.err) types.push(this.name());
    return types;
  }

  fieldsDefinition(): GFieldDefinition[] | null {
    const defs: GFieldDefinition[] = [];
    this.some(Tok.BraceL, Tok.BraceR, () => {
      const Position = this.peekPos();
      const Description = this.description();
      const Name = this.name();
      const Arguments = this.argumentDefs();
      this.expect(Tok.Colon);
      const Type = this.typeReference();
      defs.push({ Description, Name, Arguments, DefaultValue: null, Type, Directives: this.directives(true), Position });
    });
    return defs.length ? defs : null;
  }

  argumentDefs(): GArgumentDefinition[] | null {
    const args: GArgumentDefinition[] = [];
    this.some(Tok.ParenL, Tok.ParenR, () => args.push(this.inputValueDef()));
    return args.length ? args : null;
  }

  inputValueDef(): GFieldDefinition & GArgumentDefinition {
    const Position = this.peekPos();
    const Description = this.description();
    const Name = this.name();
    this.expect(Tok.Colon);
    const Type = this.typeReference();
    const DefaultValue = this.skip(Tok.Equals) ? this.valueLiteral(true) : null;
    return { Description, Name, Arguments: null, DefaultValue, Type, Directives: this.directives(true), Position };
  }

  inputFieldsDefinition(): GFieldDefinition[] | null {
    const defs: GFieldDefinition[] = [];
    this.some(Tok.BraceL, Tok.BraceR, () => defs.push(this.inputValueDef()));
    return defs.length ? defs : null;
  }

  unionMemberTypes(): string[] | null {
    if (!this.skip(Tok.Equals)) return null;
    this.skip(Tok.Pipe);
    const types = [this.name()];
    while (this.skip(Tok.Pipe) && !this.err) types.push(this.name());
    return types;
  }

  enumValuesDefinition(): GEnumValueDefinition[] | null {
    const vals: GEnumValueDefinition[] = [];
    this.some(Tok.BraceL, Tok.BraceR, () => {
      const Position = this.peekPos();
      const Description = this.description();
      const Name = this.name();
      vals.push({ Description, Name, Directives: this.directives(true), Position });
    });
    return vals.length ? vals : null;
  }

  schemaDefinition(description: string): GSchemaDefinition {
    this.expectKeyword('schema');
    const def: GSchemaDefinition = { Description: description, Directives: null, OperationTypes: null, Position: this.peekPos() };
    def.Directives = this.directives(true);
    def.OperationTypes = this.operationTypes();
    return def;
  }

  operationTypes(): GOperationTypeDefinition[] | null {
    const ops: GOperationTypeDefinition[] = [];
    this.some(Tok.BraceL, Tok.BraceR, () => {
      const Position = this.peekPos();
      const Operation = this.operationType();
      this.expect(Tok.Colon);
      ops.push({ Operation, Type: this.name(), Position });
    });
    return ops.length ? ops : null;
  }

  typeSystemExtension(push: (k: 'SchemaExtension' | 'Extensions', v: GSchemaDefinition & GDefinition) => void): void {
    this.expectKeyword('extend');
    const kw = this.peek().value;
    if (kw === 'schema') {
      this.expectKeyword('schema');
      const def: GSchemaDefinition = { Description: '', Directives: null, OperationTypes: null, Position: this.peekPos() };
      def.Directives = this.directives(true);
      def.OperationTypes = this.operationTypes();
      if (!def.Directives && !def.OperationTypes) this.unexpected();
      push('SchemaExtension', def as GSchemaDefinition & GDefinition);
      return;
    }
    const kind = KEYWORD_KIND[kw];
    if (kind === undefined) {
      this.unexpected();
      return;
    }
    this.expectKeyword(kw);
    const def = this.newDef(kind, '');
    def.Name = this.name();
    if (kind === 'OBJECT') def.Interfaces = this.implementsInterfaces();
    def.Directives = this.directives(kind !== 'INPUT_OBJECT');
    if (kind === 'OBJECT' || kind === 'INTERFACE') def.Fields = this.fieldsDefinition();
    else if (kind === 'UNION') def.Types = this.unionMemberTypes();
    else if (kind === 'ENUM') def.EnumValues = this.enumValuesDefinition();
    else if (kind === 'INPUT_OBJECT') def.Fields = this.inputFieldsDefinition();
    const empty = !def.Directives && !def.Interfaces && !def.Fields && !def.Types && !def.EnumValues;
    if (empty) this.unexpected();
    push('Extensions', def as GSchemaDefinition & GDefinition);
  }

  directiveDefinition(description: string): GDirectiveDefinition {
    this.expectKeyword('directive');
    this.expect(Tok.At);
    const def: GDirectiveDefinition = {
      Description: description,
      Name: '',
      Arguments: null,
      Locations: null,
      IsRepeatable: false,
      Position: this.peekPos(),
    };
    def.Name = this.name();
    def.Arguments = this.argumentDefs();
    const peek = this.peek();
    if (peek.kind === Tok.Name && peek.value === 'repeatable') {
      def.IsRepeatable = true;
      this.skip(Tok.Name);
    }
    this.expectKeyword('on');
    this.skip(Tok.Pipe);
    const locs = [this.directiveLocation()];
    while (this.skip(Tok.Pipe) && !this.err) locs.push(this.directiveLocation());
    def.Locations = locs;
    return def;
  }

  directiveLocation(): string {
    const tok = this.expect(Tok.Name);
    if (DIRECTIVE_LOCATIONS.has(tok.value)) return tok.value;
    this.unexpected(tok);
    return '';
  }
}

export function parseSchema(input: string, builtIn = false): GSchemaDocument {
  const p = new SchemaParser(input);
  const doc = guarded(() => p.schemaDocument());
  if (p.err) throw p.err;
  for (const d of doc.Definitions ?? []) d.BuiltIn = builtIn;
  for (const d of doc.Extensions ?? []) d.BuiltIn = builtIn;
  return doc;
}
