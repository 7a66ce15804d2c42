// GraphQL lexer with the behaviour of gqlparser (the Go library OPA uses), because OPA's graphql.*
// error messages quote its tokens and positions: columns count code points, string tokens report
// the column after their opening quote(s), and lexer errors carry the column where lexing stopped.
import { goQuote } from './gostrconv.js';

export enum Tok {
  Invalid = 0,
  EOF,
  Bang,
  Dollar,
  Amp,
  ParenL,
  ParenR,
  Spread,
  Colon,
  Equals,
  At,
  BracketL,
  BracketR,
  BraceL,
  BraceR,
  Pipe,
  Name,
  Int,
  Float,
  String,
  BlockString,
}

const TOK_TEXT: Record<Tok, string> = {
  [Tok.Invalid]: '<Invalid>',
  [Tok.EOF]: '<EOF>',
  [Tok.Bang]: '!',
  [Tok.Dollar]: '$',
  [Tok.Amp]: '&',
  [Tok.ParenL]: '(',
  [Tok.ParenR]: ')',
  [Tok.Spread]: '...',
  [Tok.Colon]: ':',
  [Tok.Equals]: '=',
  [Tok.At]: '@',
  [Tok.BracketL]: '[',
  [Tok.BracketR]: ']',
  [Tok.BraceL]: '{',
  [Tok.BraceR]: '}',
  [Tok.Pipe]: '|',
  [Tok.Name]: 'Name',
  [Tok.Int]: 'Int',
  [Tok.Float]: 'Float',
  [Tok.String]: 'String',
  [Tok.BlockString]: 'BlockString',
};

export function tokKindText(k: Tok): string {
  return TOK_TEXT[k];
}

export interface Pos {
  line: number;
  column: number;
}

export interface Token extends Pos {
  kind: Tok;
  value: string;
}

/** A located message, as gqlparser's errors are (rendered "input:line:col: message"). */
export class GqlError extends Error {
  constructor(
    message: string,
    readonly pos: Pos | null,
  ) {
    super(message);
    this.name = 'GqlError';
  }
}

/** gqlparser's token text: the kind, then the Go-quoted value when there is one. */
export function tokenText(t: Token): string {
  return t.value !== '' ? `${TOK_TEXT[t.kind]} ${goQuote(t.value)}` : TOK_TEXT[t.kind];
}

const isNameStart = (c: string | undefined): boolean => c !== undefined && /^[_A-Za-z]$/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /^[_0-9A-Za-z]$/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export class Lexer {
  /** The input as code points, so indexes and columns count runes as gqlparser does. */
  private readonly src: string[];
  private start = 0;
  private end = 0;
  private line = 1;
  private lineStart = 0;

  constructor(input: string) {
    this.src = Array.from(input);
  }

  private make(kind: Tok, value?: string): Token {
    const v = value ?? this.src.slice(this.start, this.end).join('');
    return { kind, value: v, line: this.line, column: this.start - this.lineStart + 1 };
  }

  private fail(message: string): { token: Token; error: GqlError } {
    const column = this.end - this.lineStart + 1;
    return {
      token: { kind: Tok.Invalid, value: '', line: this.line, column },
      error: new GqlError(message, { line: this.line, column }),
    };
  }

  /** The next token; lexing problems come back as an Invalid token plus the error. */
  read(): { token: Token; error: GqlError | null } {
    for (;;) {
      this.skipWhitespace();
      this.start = this.end;
      if (this.end >= this.src.length) return { token: this.make(Tok.EOF, ''), error: null };
      const r = this.src[this.start] as string;
      this.end++;
      switch (r) {
        case '!':
          return this.punct(Tok.Bang);
        case '$':
          return this.punct(Tok.Dollar);
        case '&':
          return this.punct(Tok.Amp);
        case '(':
          return this.punct(Tok.ParenL);
        case ')':
          return this.punct(Tok.ParenR);
        case ':':
          return this.punct(Tok.Colon);
        case '=':
          return this.punct(Tok.Equals);
        case '@':
          return this.punct(Tok.At);
        case '[':
          return this.punct(Tok.BracketL);
        case ']':
          return this.punct(Tok.BracketR);
        case '{':
          return this.punct(Tok.BraceL);
        case '}':
          return this.punct(Tok.BraceR);
        case '|':
          return this.punct(Tok.Pipe);
        case '.':
          if (this.src[this.start + 1] === '.' && this.src[this.start + 2] === '.') {
            this.end += 2;
            return this.punct(Tok.Spread);
          }
          break;
        case '#':
          this.skipComment();
          continue;
        case '"':
          if (this.src[this.start + 1] === '"' && this.src[this.start + 2] === '"') return this.readBlockString();
          return this.readString();
        default:
          if (isNameStart(r)) return this.readName();
          if (r === '-' || isDigit(r)) return this.readNumber();
      }
      this.end--;
      const c = r.codePointAt(0) as number;
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        // gqlparser formats the code in decimal behind \u (a quirk kept for identical messages).
        return this.fail(`Cannot contain the invalid character "\\u${String(c).padStart(4, '0')}"`);
      }
      if (r === "'") return this.fail(`Unexpected single quote character ('), did you mean to use a double quote (")?`);
      return this.fail(`Cannot parse the unexpected character "${r}".`);
    }
  }

  private punct(kind: Tok): { token: Token; error: null } {
    return { token: this.make(kind, ''), error: null };
  }

  private newline(): void {
    this.line++;
    this.lineStart = this.end;
  }

  private skipWhitespace(): void {
    while (this.end < this.src.length) {
      const c = this.src[this.end];
      if (c === '\t' || c === ' ' || c === ',' || c === '\uFEFF') {
        this.end++;
      } else if (c === '\n') {
        this.end++;
        this.newline();
      } else if (c === '\r') {
        this.end++;
        this.newline();
        if (this.src[this.end] === '\n') this.end++;
      } else {
        return;
      }
    }
  }

  private skipComment(): void {
    while (this.end < this.src.length) {
      const c = (this.src[this.end] as string).codePointAt(0) as number;
      if (c > 0x1f || c === 0x09) this.end++;
      else break;
    }
  }

  private readName(): { token: Token; error: null } {
    while (isNameChar(this.src[this.end])) this.end++;
    return { token: this.make(Tok.Name), error: null };
  }

  private acceptDigits(): number {
    let n = 0;
    while (isDigit(this.src[this.end])) {
      this.end++;
      n++;
    }
    return n;
  }

  private describeNext(): string {
    return this.end < this.src.length ? `"${this.src[this.end]}"` : '<EOF>';
  }

  private readNumber(): { token: Token; error: GqlError | null } {
    let float = false;
    this.end--;
    if (this.src[this.end] === '-') this.end++;
    if (this.src[this.end] === '0') {
      this.end++;
      const n = this.acceptDigits();
      if (n !== 0) {
        this.end -= n;
        return this.fail(`Invalid number, unexpected digit after 0: ${this.describeNext()}.`);
      }
    } else if (this.acceptDigits() === 0) {
      return this.fail(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (this.src[this.end] === '.') {
      this.end++;
      float = true;
      if (this.acceptDigits() === 0) return this.fail(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    if (this.src[this.end] === 'e' || this.src[this.end] === 'E') {
      this.end++;
      float = true;
      if (this.src[this.end] === '-' || this.src[this.end] === '+') this.end++;
      if (this.acceptDigits() === 0) return this.fail(`Invalid number, expected digit but got: ${this.describeNext()}.`);
    }
    return { token: this.make(float ? Tok.Float : Tok.Int), error: null };
  }

  private readString(): { token: Token; error: GqlError | null } {
    this.start++; // the token's column is the one after the opening quote
    let buf = '';
    while (this.end < this.src.length) {
      const r = this.src[this.end] as string;
      const c = r.codePointAt(0) as number;
      if (r === '\n' || r === '\r') break;
      if (c < 0x20 && r !== '\t') return this.fail(`Invalid character within String: "\\u${String(c).padStart(4, '0')}".`);
      if (r === '"') {
        const token = this.make(Tok.String, buf);
        this.end++;
        return { token, error: null };
      }
      if (r !== '\\') {
        buf += r;
        this.end++;
        continue;
      }
      if (this.end + 1 >= this.src.length) {
        this.end++;
        return this.fail('Invalid character escape sequence.');
      }
      const esc = this.src[this.end + 1] as string;
      if (esc === 'u') {
        const hex = this.src.slice(this.end + 2, this.end + 6).join('');
        if (this.end + 6 >= this.src.length) {
          this.end++;
          return this.fail(`Invalid character escape sequence: \\${this.src.slice(this.end).join('')}.`);
        }
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.end++;
          return this.fail(`Invalid character escape sequence: \\${this.src.slice(this.end, this.end + 5).join('')}.`);
        }
        const code = Number.parseInt(hex, 16);
        buf += code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : String.fromCharCode(code);
        this.end += 6;
        continue;
      }
      const simple: Record<string, string> = { '"': '"', '/': '/', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      const out = simple[esc];
      if (out === undefined) {
        this.end++;
        return this.fail(`Invalid character escape sequence: \\${esc}.`);
      }
      buf += out;
      this.end += 2;
    }
    return this.fail('Unterminated string.');
  }

  private readBlockString(): { token: Token; error: GqlError | null } {
    this.start += 3;
    this.end += 2;
    let buf = '';
    while (this.end < this.src.length) {
      const r = this.src[this.end] as string;
      const c = r.codePointAt(0) as number;
      if (r === '"' && this.src[this.end + 1] === '"' && this.src[this.end + 2] === '"') {
        const token = this.make(Tok.BlockString, blockStringValue(buf));
        this.end += 3;
        return { token, error: null };
      }
      if (c < 0x20 && r !== '\t' && r !== '\n' && r !== '\r') {
        return this.fail(`Invalid character within String: "\\u${String(c).padStart(4, '0')}".`);
      }
      if (r === '\\' && this.src[this.end + 1] === '"' && this.src[this.end + 2] === '"' && this.src[this.end + 3] === '"') {
        buf += '"""';
        this.end += 4;
      } else if (r === '\r') {
        if (this.src[this.end + 1] === '\n') this.end++;
        buf += '\n';
        this.end++;
        this.newline();
      } else {
        buf += r;
        this.end++;
        if (r === '\n') this.newline();
      }
    }
    return this.fail('Unterminated string.');
  }
}

/** The spec's block string value: common indentation and blank first/last lines removed. */
export function blockStringValue(raw: string): string {
  const lines = raw.split('\n');
  const indentOf = (l: string): number => {
    let i = 0;
    while (i < l.length && (l[i] === ' ' || l[i] === '\t')) i++;
    return i === l.length ? Number.POSITIVE_INFINITY : i;
  };
  let common = Number.POSITIVE_INFINITY;
  for (let i = 1; i < lines.length; i++) common = Math.min(common, indentOf(lines[i] as string));
  if (common !== Number.POSITIVE_INFINITY) {
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i] as string;
      lines[i] = l.length < common ? '' : l.slice(common);
    }
  }
  let s = 0;
  let e = lines.length;
  while (s < e && indentOf(lines[s] as string) === Number.POSITIVE_INFINITY) s++;
  while (s < e && indentOf(lines[e - 1] as string) === Number.POSITIVE_INFINITY) e--;
  return lines.slice(s, e).join('\n');
}
