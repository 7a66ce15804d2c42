// The parser's token cursor and error reporting, shared by the term, expression and module layers
// (parser-terms.ts, parser-exprs.ts, parser.ts). Errors are thrown as ParseFail: the first error
// wins, like OPA's first reported error, and backtracking points catch it.
import type { Term } from './ast.js';
import { type Location, RegoError } from './errors.js';
import { KEYWORDS, type LexComment, lex, type Token, type TokType } from './lexer.js';

export class ParseFail extends Error {
  constructor(readonly error: RegoError) {
    super(error.message);
  }
}

/** Structural nesting limit: deeper input is an error rather than a stack overflow. */
export const MAX_NESTING_DEPTH = 1000;

/** OPA's token names, as they appear in "unexpected X token" messages. */
const TOKEN_NAMES: Partial<Record<TokType, string>> = {
  eof: 'eof',
  ident: 'ident',
  number: 'number',
  string: 'string',
  tmpl: 'template-string',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '&': 'and',
  '|': 'or',
  '=': 'eq',
  '==': 'equal',
  ':=': 'assign',
  '!=': 'neq',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
};

export function describeToken(t: TokType): string {
  if (KEYWORDS.has(t)) return `${t} keyword`;
  return `${TOKEN_NAMES[t] ?? t} token`;
}

/** OPA's ValueName for a term, used in messages ("illegal ref (head cannot be string)"). */
export function valueName(t: Term): string {
  switch (t.type) {
    case 'arraycomp':
      return 'arraycomprehension';
    case 'setcomp':
      return 'setcomprehension';
    case 'objectcomp':
      return 'objectcomprehension';
    case 'template':
      return 'templatestring';
    default:
      return t.type;
  }
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A ref or call operator as written (`data.lib.f`, `a["b c"]`, `x[y]`): call names use this. */
export function refString(t: Term): string {
  switch (t.type) {
    case 'var':
      return t.name;
    case 'ref':
      return refString(t.head) + t.path.map(pathString).join('');
    case 'string':
      return JSON.stringify(t.value);
    case 'number':
      return t.raw;
    case 'boolean':
      return String(t.value);
    case 'null':
      return 'null';
    case 'call':
      return `${t.name}(${t.args.map(refString).join(', ')})`;
    default:
      return valueName(t);
  }
}

// Keywords print dotted too (`foo.not`), as written: refs may use them after a dot.
function pathString(p: Term): string {
  if (p.type === 'string' && IDENT_RE.test(p.value)) return `.${p.value}`;
  return `[${refString(p)}]`;
}

export interface CacheEntry {
  term?: Term;
  fail?: ParseFail;
  i: number;
  w: number;
}

export interface SavedState {
  i: number;
  w: number;
}

export class Cursor {
  protected readonly toks: Token[];
  protected readonly lexComments: LexComment[];
  protected i = 0;
  protected wildcard = 0;
  private depth = 0;
  protected readonly cache = new Map<number, CacheEntry>();

  constructor(
    text: string,
    protected readonly file: string,
  ) {
    const { tokens, comments } = lex(text);
    this.toks = tokens;
    this.lexComments = comments;
  }

  protected get tok(): Token {
    return this.toks[this.i]!;
  }

  protected loc(t: Token = this.tok): Location {
    return { file: this.file, row: t.row, col: t.col };
  }

  /** Reports a scanner error on the first token (later ones are reported by next()). */
  protected start(): void {
    if (this.tok.t === 'illegal') this.illegal('');
  }

  /** Move to the next token; landing on a scanner error reports it. */
  protected next(): void {
    if (this.i < this.toks.length - 1) this.i++;
    if (this.tok.t === 'illegal') this.illegal('');
  }

  protected save(): SavedState {
    return { i: this.i, w: this.wildcard };
  }

  protected restore(s: SavedState): void {
    this.i = s.i;
    this.wildcard = s.w;
  }

  protected fail(message: string, loc: Location = this.loc()): never {
    throw new ParseFail(new RegoError('rego_parse_error', message, loc));
  }

  /** OPA's "unexpected <tok> token[: note]" for the current token. */
  protected illegal(note: string): never {
    const t = this.tok;
    if (t.t === 'illegal') return this.fail(t.msg ?? 'illegal token');
    const what = `unexpected ${describeToken(t.t as TokType)}`;
    return this.fail(note ? `${what}: ${note}` : what);
  }

  /** One nesting level deeper; pair with leave() in a finally block. */
  protected enter(): void {
    if (this.depth >= MAX_NESTING_DEPTH) {
      this.fail(`max parsing recursion depth exceeded (max nesting depth is ${MAX_NESTING_DEPTH})`);
    }
    this.depth++;
  }

  protected leave(): void {
    this.depth--;
  }

  protected genWildcard(): string {
    return `$${this.wildcard++}`;
  }

  protected parseVar(): Term {
    const t = this.tok;
    return { type: 'var', name: t.lit === '_' ? this.genWildcard() : t.lit, loc: this.loc(t) };
  }
}
