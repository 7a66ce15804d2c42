// GraphQL query parser following gqlparser's grammar decisions and messages, since OPA's
// graphql.parse_query reports them verbatim; the SDL parser (gql-schema-parser.ts) extends it.
// The first error wins; after it the parser unwinds without consuming more input, as gqlparser does.
import type {
  GArgument,
  GChildValue,
  GDirective,
  GFragmentDefinition,
  GOperationDefinition,
  GQueryDocument,
  GSelection,
  GType,
  GValue,
  GVariableDefinition,
} from './gql-ast.js';
import { VK } from './gql-ast.js';
import { GqlError, Lexer, type Pos, Tok, type Token, tokenText, tokKindText } from './gql-lexer.js';
import { goQuote } from './gostrconv.js';

const NO_TOKEN: Token = { kind: Tok.Invalid, value: '', line: 0, column: 0 };

export class Parser {
  private readonly lexer: Lexer;
  err: GqlError | null = null;
  private peeked = false;
  private peekToken: Token = NO_TOKEN;
  private peekError: GqlError | null = null;
  /** The last consumed token (what peek/next return once an error is set). */
  prev: Token = NO_TOKEN;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  peek(): Token {
    if (this.err) return this.prev;
    if (!this.peeked) {
      const r = this.lexer.read();
      this.peekToken = r.token;
      this.peekError = r.error;
      this.peeked = true;
    }
    return this.peekToken;
  }

  peekPos(): Pos | null {
    if (this.err) return null;
    const t = this.peek();
    return { line: t.line, column: t.column };
  }

  next(): Token {
    if (this.err) return this.prev;
    if (this.peeked) {
      this.peeked = false;
      this.prev = this.peekToken;
      this.err = this.peekError;
    } else {
      const r = this.lexer.read();
      this.prev = r.token;
      this.err = r.error;
    }
    return this.prev;
  }

  error(tok: Token, message: string): void {
    if (this.err) return;
    this.err = new GqlError(message, { line: tok.line, column: tok.column });
  }

  expect(kind: Tok): Token {
    const tok = this.peek();
    if (tok.kind === kind) return this.next();
    this.error(tok, `Expected ${tokKindText(kind)}, found ${tokKindText(tok.kind)}`);
    return tok;
  }

  expectKeyword(value: string): Token {
    const tok = this.peek();
    if (tok.kind === Tok.Name && tok.value === value) return this.next();
    this.error(tok, `Expected ${goQuote(value)}, found ${tokenText(tok)}`);
    return tok;
  }

  skip(kind: Tok): boolean {
    // Checking err first keeps recursive rules (list types) from looping once parsing has failed.
    if (this.err || this.peek().kind !== kind) return false;
    this.next();
    return true;
  }

  unexpected(tok: Token = this.peek()): void {
    this.error(tok, `Unexpected ${tokenText(tok)}`);
  }

  many(start: Tok, end: Tok, cb: () => void): void {
    if (!this.skip(start)) return;
    while (this.peek().kind !== end && !this.err) cb();
    this.next();
  }

  /** Like many, but an empty list is an error. */
  some(start: Tok, end: Tok, cb: () => void): void {
    if (!this.skip(start)) return;
    let called = false;
    while (this.peek().kind !== end && !this.err) {
      called = true;
      cb();
    }
    if (!called) {
      this.error(this.peek(), `expected at least one definition, found ${tokKindText(this.peek().kind)}`);
      return;
    }
    this.next();
  }

  name(): string {
    return this.expect(Tok.Name).value;
  }

  // ---- executable documents ----

  queryDocument(): GQueryDocument {
    const doc: GQueryDocument = { Operations: null, Fragments: null };
    while (this.peek().kind !== Tok.EOF) {
      if (this.err) return doc;
      const t = this.peek();
      if (t.kind === Tok.Name && (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription')) {
        (doc.Operations ??= []).push(this.operationDefinition());
      } else if (t.kind === Tok.Name && t.value === 'fragment') {
        (doc.Fragments ??= []).push(this.fragmentDefinition());
      } else if (t.kind === Tok.BraceL) {
        (doc.Operations ??= []).push(this.operationDefinition());
      } else {
        this.unexpected();
      }
    }
    return doc;
  }

  operationDefinition(): GOperationDefinition {
    const Position = this.peekPos();
    if (this.peek().kind === Tok.BraceL) {
      return {
        Operation: 'query',
        Name: '',
        VariableDefinitions: null,
        Directives: null,
        SelectionSet: this.requiredSelectionSet(),
        Position,
      };
    }
    const Operation = this.operationType();
    const Name = this.peek().kind === Tok.Name ? this.next().value : '';
    const VariableDefinitions = this.variableDefinitions();
    const Directives = this.directives(false);
    return { Operation, Name, VariableDefinitions, Directives, SelectionSet: this.requiredSelectionSet(), Position };
  }

  operationType(): string {
    const tok = this.next();
    if (tok.value === 'query' || tok.value === 'mutation' || tok.value === 'subscription') return tok.value;
    this.unexpected(tok);
    return '';
  }

  variableDefinitions(): GVariableDefinition[] | null {
    const defs: GVariableDefinition[] = [];
    this.many(Tok.ParenL, Tok.ParenR, () => {
      const Position = this.peekPos();
      const Variable = this.variable();
      this.expect(Tok.Colon);
      const Type = this.typeReference();
      const DefaultValue = this.skip(Tok.Equals) ? this.valueLiteral(true) : null;
      defs.push({ Variable, Type, DefaultValue, Directives: this.directives(false), Position, Used: false });
    });
    return defs.length ? defs : null;
  }

  variable(): string {
    this.expect(Tok.Dollar);
    return this.name();
  }

  optionalSelectionSet(): GSelection[] | null {
    const sels: GSelection[] = [];
    this.some(Tok.BraceL, Tok.BraceR, () => sels.push(this.selection()));
    return sels.length ? sels : null;
  }

  requiredSelectionSet(): GSelection[] | null {
    if (this.peek().kind !== Tok.BraceL) {
      this.error(this.peek(), `Expected {, found ${tokKindText(this.peek().kind)}`);
      return null;
    }
    return this.optionalSelectionSet();
  }

  selection(): GSelection {
    if (this.peek().kind === Tok.Spread) return this.fragment();
    const Position = this.peekPos();
    const Alias = this.name();
    const Name = this.skip(Tok.Colon) ? this.name() : Alias;
    const Arguments = this.arguments(false);
    const Directives = this.directives(false);
    const SelectionSet = this.peek().kind === Tok.BraceL ? this.optionalSelectionSet() : null;
    return { $kind: 'Field', Alias, Name, Arguments, Directives, SelectionSet, Position };
  }

  arguments(isConst: boolean): GArgument[] | null {
    const args: GArgument[] = [];
    this.many(Tok.ParenL, Tok.ParenR, () => {
      const Position = this.peekPos();
      const Name = this.name();
      this.expect(Tok.Colon);
      args.push({ Name, Value: this.valueLiteral(isConst), Position });
    });
    return args.length ? args : null;
  }

  fragment(): GSelection {
    this.expect(Tok.Spread);
    const peek = this.peek();
    if (peek.kind === Tok.Name && peek.value !== 'on') {
      const Position = this.peekPos();
      return { $kind: 'FragmentSpread', Name: this.fragmentName(), Directives: this.directives(false), Position };
    }
    const Position = this.peekPos();
    let TypeCondition = '';
    if (this.peek().value === 'on') {
      this.next();
      TypeCondition = this.name();
    }
    const Directives = this.directives(false);
    return { $kind: 'InlineFragment', TypeCondition, Directives, SelectionSet: this.requiredSelectionSet(), Position };
  }

  fragmentDefinition(): GFragmentDefinition {
    const Position = this.peekPos();
    this.expectKeyword('fragment');
    const Name = this.fragmentName();
    const VariableDefinition = this.variableDefinitions();
    this.expectKeyword('on');
    const TypeCondition = this.name();
    const Directives = this.directives(false);
    return { Name, VariableDefinition, TypeCondition, Directives, SelectionSet: this.requiredSelectionSet(), Position };
  }

  fragmentName(): string {
    if (this.peek().value === 'on') {
      this.unexpected();
      return '';
    }
    return this.name();
  }

  valueLiteral(isConst: boolean): GValue | null {
    const token = this.peek();
    const Position = { line: token.line, column: token.column };
    let Kind: VK;
    switch (token.kind) {
      case Tok.BracketL: {
        const Children: GChildValue[] = [];
        const pos = this.peekPos();
        this.many(Tok.BracketL, Tok.BracketR, () => Children.push({ Name: '', Value: this.valueLiteral(isConst) }));
        return { Raw: '', Children: Children.length ? Children : null, Kind: VK.List, Position: pos };
      }
      case Tok.BraceL: {
        const Children: GChildValue[] = [];
        const pos = this.peekPos();
        this.many(Tok.BraceL, Tok.BraceR, () => {
          const p = this.peekPos();
          const Name = this.name();
          this.expect(Tok.Colon);
          Children.push({ Name, Value: this.valueLiteral(isConst), Position: p });
        });
        return { Raw: '', Children: Children.length ? Children : null, Kind: VK.Object, Position: pos };
      }
      case Tok.Dollar:
        if (isConst) {
          this.unexpected();
          return null;
        }
        return { Raw: this.variable(), Children: null, Kind: VK.Variable, Position };
      case Tok.Int:
        Kind = VK.Int;
        break;
      case Tok.Float:
        Kind = VK.Float;
        break;
      case Tok.String:
        Kind = VK.String;
        break;
      case Tok.BlockString:
        Kind = VK.Block;
        break;
      case Tok.Name:
        Kind = token.value === 'true' || token.value === 'false' ? VK.Boolean : token.value === 'null' ? VK.Null : VK.Enum;
        break;
      default:
        this.unexpected();
        return null;
    }
    this.next();
    return { Raw: token.value, Children: null, Kind, Position };
  }

  directives(isConst: boolean): GDirective[] | null {
    const dirs: GDirective[] = [];
    while (this.peek().kind === Tok.At) {
      if (this.err) break;
      this.expect(Tok.At);
      const Position = this.peekPos();
      const Name = this.name();
      dirs.push({ Name, Arguments: this.arguments(isConst), Position, Location: '' });
    }
    return dirs.length ? dirs : null;
  }

  typeReference(): GType {
    if (this.skip(Tok.BracketL)) {
      const Position = this.peekPos();
      const Elem = this.typeReference();
      this.expect(Tok.BracketR);
      return { NamedType: '', Elem, NonNull: this.skip(Tok.Bang), Position };
    }
    const Position = this.peekPos();
    const NamedType = this.name();
    return { NamedType, Elem: null, NonNull: this.skip(Tok.Bang), Position };
  }
}

/** Runs a parse; nesting deeper than the JS stack allows becomes a GqlError, not a crash. */
export function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new GqlError('document is nested too deeply', null);
    throw e;
  }
}

export function parseQuery(input: string): GQueryDocument {
  const p = new Parser(input);
  const doc = guarded(() => p.queryDocument());
  if (p.err) throw p.err;
  return doc;
}
