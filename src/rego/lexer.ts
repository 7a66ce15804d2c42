// The Rego tokenizer. The whole input is tokenized up front (linear time); the parser then walks the
// token array and can backtrack cheaply. Whitespace is not a token, but every token records whether
// whitespace (`ws`) or a newline (`nl`) preceded it, which is all the grammar needs: refs and calls must
// not have whitespace before `.`/`[`/`(`, and literals in a body may be separated by newlines.
//
// Template strings (`$"..{expr}.."`, `` $`..{expr}..` ``) are lexed into part tokens around the
// expression tokens; a stack of open templates tracks brace depth so the `}` closing an expression
// resumes the template text.

export type TokType =
  | 'eof'
  | 'illegal'
  | 'ident'
  | 'number'
  | 'string'
  | 'tmpl'
  | '['
  | ']'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | ':'
  | ';'
  | '.'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '|'
  | '='
  | '=='
  | ':='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | Keyword;

export type Keyword =
  | 'package'
  | 'import'
  | 'as'
  | 'default'
  | 'else'
  | 'not'
  | 'some'
  | 'with'
  | 'null'
  | 'true'
  | 'false'
  | 'every'
  | 'contains'
  | 'if'
  | 'in';

/** Rego v1 keywords (the v0 "future" keywords are part of the language). */
export const KEYWORDS: ReadonlySet<string> = new Set<Keyword>([
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'with',
  'null',
  'true',
  'false',
  'every',
  'contains',
  'if',
  'in',
]);

export interface Token {
  /** Typed wider than TokType on purpose: the parser re-reads `tok.t` after calls that advance the
   *  token stream, and TS would otherwise keep a narrowing from before the call. */
  t: TokType | (string & {});
  /** Source text (identifiers, numbers, keywords); for strings and template parts the decoded value. */
  lit: string;
  row: number;
  col: number;
  /** Whitespace between the previous token and this one. */
  ws: boolean;
  /** A newline between the previous token and this one. */
  nl: boolean;
  /** Template parts: raw (backtick) form, and whether this part closes the template. */
  raw?: boolean;
  end?: boolean;
  /** Illegal tokens: the scanner's message (none means "illegal token"). */
  msg?: string;
}

export interface LexComment {
  text: string;
  row: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: LexComment[];
}

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDecimal = (c: number) => c >= 48 && c <= 57;
const UNICODE_DIGIT = /\p{Nd}/u;
const c0 = (s: string, i: number) => s.charCodeAt(i);

const PUNCT: Record<string, TokType> = {
  '[': '[',
  ']': ']',
  '(': '(',
  ')': ')',
  ',': ',',
  ';': ';',
  '.': '.',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '&': '&',
  '|': '|',
};

/** Thrown internally to stop at the first scanner error; becomes an `illegal` token. */
class LexStop {
  constructor(
    readonly msg: string | undefined,
    readonly row: number,
    readonly col: number,
  ) {}
}

export function lex(src: string): LexResult {
  return new Lexer(src).run();
}

class Lexer {
  private i = 0;
  private row = 1;
  private col = 1;
  private readonly n: number;
  private readonly tokens: Token[] = [];
  private readonly comments: LexComment[] = [];
  /** Open template strings whose `{expr}` is being lexed: raw form and `{` nesting depth. */
  private readonly templates: { raw: boolean; depth: number }[] = [];
  /** Index of the first NUL or stray byte-order mark; tokens reaching it are illegal. */
  private readonly bad: number;
  // Start and preceding-whitespace flags of the token being scanned.
  private row0 = 1;
  private col0 = 1;
  private ws = false;
  private nl = false;

  constructor(private readonly src: string) {
    this.n = src.length;
    if (src.charCodeAt(0) === 0xfeff) this.i = 1;
    let bad = -1;
    for (let k = this.i; k < this.n; k++) {
      const c = src.charCodeAt(k);
      if (c === 0 || c === 0xfeff) {
        bad = k;
        break;
      }
    }
    this.bad = bad < 0 ? Number.POSITIVE_INFINITY : bad;
  }

  run(): LexResult {
    try {
      for (;;) {
        const tok = this.scan();
        this.tokens.push(tok);
        if (tok.t === 'eof') break;
      }
    } catch (e) {
      if (!(e instanceof LexStop)) throw e;
      const prev = this.tokens[this.tokens.length - 1];
      this.tokens.push({ t: 'illegal', lit: '', row: e.row, col: e.col, ws: false, nl: false, msg: e.msg });
      this.tokens.push({ t: 'eof', lit: '', row: e.row, col: e.col, ws: false, nl: prev === undefined });
    }
    return { tokens: this.tokens, comments: this.comments };
  }

  /** Advance one code point, keeping row/col (columns count code points, 1-based). */
  private adv(): void {
    const c = this.src.charCodeAt(this.i);
    if (c === 10) {
      this.row++;
      this.col = 1;
      this.i++;
      return;
    }
    this.i += c >= 0xd800 && c <= 0xdbff && this.i + 1 < this.n ? 2 : 1;
    this.col++;
  }

  private stopAtBad(startRow: number, startCol: number): void {
    if (this.i > this.bad) {
      throw new LexStop(c0(this.src, this.bad) === 0 ? 'illegal null character' : 'illegal byte-order mark', startRow, startCol);
    }
  }

  private scan(): Token {
    let ws = false;
    let nl = false;
    // Skip whitespace and comments.
    for (;;) {
      if (this.i >= this.n) break;
      const c = this.src.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 13 || c === 10) {
        ws = true;
        if (c === 10) nl = true;
        this.adv();
        continue;
      }
      if (c === 35) {
        const row = this.row;
        const col = this.col;
        const start = this.i + 1;
        while (this.i < this.n && this.src.charCodeAt(this.i) !== 10) this.adv();
        this.stopAtBad(row, col);
        let end = this.i;
        if (end > start && this.src.charCodeAt(end - 1) === 13) end--;
        this.comments.push({ text: this.src.slice(start, end), row, col });
        continue;
      }
      break;
    }
    const row = this.row;
    const col = this.col;
    this.ws = ws;
    this.nl = nl;
    this.row0 = row;
    this.col0 = col;
    if (this.i >= this.n) return this.tok('eof');
    if (this.i === this.bad) {
      throw new LexStop(c0(this.src, this.bad) === 0 ? 'illegal null character' : 'illegal byte-order mark', row, col);
    }
    const start = this.i;
    const c = this.src.charCodeAt(this.i);

    if (isLetter(c)) {
      this.adv();
      for (;;) {
        const d = this.src.charCodeAt(this.i);
        if (isLetter(d) || isDecimal(d)) this.adv();
        else if (d >= 128 && UNICODE_DIGIT.test(String.fromCodePoint(this.src.codePointAt(this.i)!))) this.adv();
        else break;
      }
      const lit = this.src.slice(start, this.i);
      if (KEYWORDS.has(lit)) {
        // A keyword directly followed by `.` or `[` starts a ref (`input.if`, `if.foo := 1`).
        const d = this.src.charCodeAt(this.i);
        return this.tok(d === 46 || d === 91 ? 'ident' : (lit as Keyword), lit);
      }
      return this.tok('ident', lit);
    }
    if (isDecimal(c)) {
      const lit = this.scanNumber();
      this.stopAtBad(row, col);
      return this.tok('number', lit);
    }
    switch (c) {
      case 34: {
        const value = this.scanString();
        this.stopAtBad(row, col);
        return this.tok('string', value);
      }
      case 96: {
        this.adv();
        const s = this.i;
        while (this.i < this.n && this.src.charCodeAt(this.i) !== 96) this.adv();
        if (this.i >= this.n) this.fail('non-terminated string');
        const value = this.src.slice(s, this.i);
        this.adv();
        this.stopAtBad(row, col);
        return this.tok('string', value);
      }
      case 36: {
        const d = this.src.charCodeAt(this.i + 1);
        if (d !== 34 && d !== 96) {
          this.adv();
          this.fail('illegal $ character');
        }
        this.adv();
        this.adv();
        return this.scanTemplatePart(d === 96, this.tok('tmpl'));
      }
      case 123:
        this.adv();
        if (this.templates.length > 0) this.templates[this.templates.length - 1]!.depth++;
        return this.tok('{');
      case 125: {
        this.adv();
        const top = this.templates[this.templates.length - 1];
        if (top && top.depth === 0) {
          // This brace closes a template expression: emit it, and queue the template text after it.
          this.templates.pop();
          this.tokens.push(this.tok('}'));
          const part: Token = { t: 'tmpl', lit: '', row: this.row, col: this.col, ws: false, nl: false };
          this.row0 = this.row;
          this.col0 = this.col;
          return this.scanTemplatePart(top.raw, part);
        }
        if (top) top.depth--;
        return this.tok('}');
      }
      case 58:
        this.adv();
        if (this.src.charCodeAt(this.i) === 61) {
          this.adv();
          return this.tok(':=');
        }
        return this.tok(':');
      case 61:
        this.adv();
        if (this.src.charCodeAt(this.i) === 61) {
          this.adv();
          return this.tok('==');
        }
        return this.tok('=');
      case 33:
        this.adv();
        if (this.src.charCodeAt(this.i) === 61) {
          this.adv();
          return this.tok('!=');
        }
        return this.fail('illegal ! character');
      case 60:
      case 62: {
        this.adv();
        const op = c === 60 ? '<' : '>';
        if (this.src.charCodeAt(this.i) === 61) {
          this.adv();
          return this.tok(`${op}=` as TokType);
        }
        return this.tok(op);
      }
    }
    const p = PUNCT[this.src[this.i]!];
    if (p) {
      this.adv();
      return this.tok(p);
    }
    return this.fail();
  }

  private tok(t: TokType, lit = ''): Token {
    return { t, lit, row: this.row0, col: this.col0, ws: this.ws, nl: this.nl };
  }

  /** Stops at a scanner error, reported at the start of the current token. */
  private fail(msg?: string): never {
    throw new LexStop(msg, this.row0, this.col0);
  }

  private scanNumber(): string {
    const start = this.i;
    const src = this.src;
    while (isDecimal(src.charCodeAt(this.i))) this.i++;
    if (src.charCodeAt(this.i) === 46) {
      this.i++;
      const s = this.i;
      while (isDecimal(src.charCodeAt(this.i))) this.i++;
      if (this.i === s) this.failNum(start, 'expected fraction');
    }
    if ((src.charCodeAt(this.i) | 32) === 101) {
      this.i++;
      const sign = src.charCodeAt(this.i);
      if (sign === 43 || sign === 45) this.i++;
      const s = this.i;
      while (isDecimal(src.charCodeAt(this.i))) this.i++;
      if (this.i === s) this.failNum(start, 'expected exponent');
    }
    if (isLetter(src.charCodeAt(this.i))) this.failNum(start, 'illegal number format');
    this.col += this.i - start;
    return src.slice(start, this.i);
  }

  private failNum(start: number, msg: string): never {
    this.col += this.i - start;
    return this.fail(msg);
  }

  /** A JSON-style string; returns the decoded value. */
  private scanString(): string {
    const src = this.src;
    const start = this.i;
    this.adv();
    let escaped = false;
    for (;;) {
      if (this.i >= this.n) this.fail('non-terminated string');
      const ch = src.charCodeAt(this.i);
      if (ch === 10) this.fail('non-terminated string');
      this.adv();
      if (ch === 34) break;
      if (ch === 92) {
        escaped = true;
        const e = src[this.i];
        if (e !== undefined && '\\"/bfnrt'.includes(e)) this.adv();
        else if (e === 'u') for (let k = 0; k < 5 && this.i < this.n && src.charCodeAt(this.i) !== 10; k++) this.adv();
        else this.fail('illegal escape sequence');
      }
    }
    const lit = src.slice(start, this.i);
    if (!escaped) return lit.slice(1, -1);
    try {
      return JSON.parse(lit) as string;
    } catch {
      return this.fail(`illegal string literal: ${lit}`);
    }
  }

  /** Template text up to `{` (an expression follows) or the closing quote. */
  private scanTemplatePart(raw: boolean, tok: Token): Token {
    const src = this.src;
    const quote = raw ? 96 : 34;
    let text = '';
    let from = this.i;
    let escaped = false;
    let end = false;
    for (;;) {
      if (this.i >= this.n) this.fail('non-terminated string');
      const ch = src.charCodeAt(this.i);
      if (ch === 10 && !raw) this.fail('non-terminated string');
      if (ch === quote) {
        text += src.slice(from, this.i);
        this.adv();
        end = true;
        break;
      }
      if (ch === 123) {
        text += src.slice(from, this.i);
        this.adv();
        break;
      }
      if (ch === 92) {
        const e = src[this.i + 1];
        if (e === '{') {
          // `\{` is a literal brace in both forms.
          text += src.slice(from, this.i);
          this.adv();
          from = this.i;
          this.adv();
          continue;
        }
        if (!raw) {
          escaped = true;
          this.adv();
          if (e !== undefined && '\\"/bfnrt'.includes(e)) this.adv();
          else if (e === 'u') for (let k = 0; k < 5 && this.i < this.n && src.charCodeAt(this.i) !== 10; k++) this.adv();
          else this.fail('illegal escape sequence');
          continue;
        }
      }
      this.adv();
    }
    if (this.i > this.bad) this.stopAtBad(tok.row, tok.col);
    if (escaped) {
      try {
        text = JSON.parse(`"${text}"`) as string;
      } catch {
        this.fail(`illegal template-string part: ${text}`);
      }
    }
    if (!end) this.templates.push({ raw, depth: 0 });
    tok.lit = text;
    tok.raw = raw;
    tok.end = end;
    return tok;
  }
}
