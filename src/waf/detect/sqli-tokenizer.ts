// SQL tokenizer for the SQLi detector: one forward pass over a byte string, no regular expressions,
// no backtracking. The input is read as if it were pasted into an SQL statement at one of three
// places (the context): as-is (e.g. after `id=`), inside a single-quoted string, or inside a
// double-quoted string. In a quote context the input starts with the rest of an already-open
// string literal, so the first token is that string, ended by the first unescaped quote.
//
// Token types (one letter each; the detector's fingerprint is the sequence of these letters):
//   s string   n identifier   1 number/literal   v @variable   k keyword   f function call
//   U union-like set operator   E statement start (SELECT, DROP, ...)   T procedural (WAITFOR, DECLARE)
//   B GROUP BY / ORDER BY   t data type   A COLLATE   o operator   & logic operator (AND, OR, ||)
//   c comment   ( ) , ; :  punctuation   \ backslash   ? anything else

import { FUNCTIONS, KEYWORDS } from './sqli-keywords.js';

export type TokenType =
  | 's'
  | 'n'
  | '1'
  | 'v'
  | 'k'
  | 'f'
  | 'U'
  | 'E'
  | 'T'
  | 'B'
  | 't'
  | 'A'
  | 'o'
  | '&'
  | 'c'
  | '('
  | ')'
  | ','
  | ';'
  | ':'
  | '\\'
  | '?';

export interface SqlToken {
  type: TokenType;
  /** Lower-cased text for words, operator text for operators, raw contents otherwise. */
  text: string;
  /** True when the token came from a word (keyword/identifier/function); phrases fold only these. */
  word: boolean;
  /** A string or comment that is still open at the end of the input. */
  open: boolean;
}

/** Where the input is assumed to sit in the statement: as-is, or inside a '…' or "…" literal. */
export type SqlContext = '' | "'" | '"';

// Character classes (byte values; codes above 255 cannot occur in byte strings but are treated as
// word characters rather than failing).
const WS = 1;
const WORD_START = 2;
const WORD = 4;
const DIGIT = 8;
const HEX = 16;
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let k = 0;
  // Control characters, space, DEL and NBSP all separate tokens (MySQL treats 0xA0 as space too).
  if (c <= 0x20 || c === 0x7f || c === 0xa0) k |= WS;
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || (c >= 0x80 && c !== 0xa0);
  if (letter) k |= WORD_START | WORD;
  if (c >= 0x30 && c <= 0x39) k |= DIGIT | WORD | HEX;
  if (c === 0x2e) k |= WORD; // qualified names: schema.table, master..sysdatabases
  if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) k |= HEX;
  CLASS[c] = k;
}
const cls = (code: number): number => (code > 255 ? WORD_START | WORD : (CLASS[code] ?? 0));

/** Multi-character operators, longest first within each leading character. */
const OPERATORS: Record<string, readonly string[]> = {
  '<': ['<=>', '<=', '<>', '<<', '<'],
  '>': ['>=', '>>', '>'],
  '!': ['!=', '!<', '!>', '!'],
  '=': ['==', '=>', '='],
  ':': [':=', '::'],
  '|': ['||', '|'],
  '&': ['&&', '&'],
  '-': ['->>', '->', '-'],
  '+': ['+'],
  '*': ['*'],
  '/': ['/'],
  '%': ['%'],
  '^': ['^'],
  '~': ['~'],
};

export class SqlTokenizer {
  private pos = 0;
  private started = false;
  /** Inside a MySQL version comment `/*!…*\/`, whose body is executed as SQL. */
  private inVersionComment = false;

  constructor(
    private readonly s: string,
    private readonly ctx: SqlContext,
  ) {}

  /** The next token, or null at the end of the input. */
  next(): SqlToken | null {
    const s = this.s;
    if (!this.started) {
      this.started = true;
      if (this.ctx !== '') return this.quoted(0, this.ctx);
    }
    for (;;) {
      while (this.pos < s.length && cls(s.charCodeAt(this.pos)) & WS) this.pos++;
      if (this.pos >= s.length) return null;
      const p = this.pos;
      const ch = s[p] as string;
      const nx = s[p + 1];
      const code = s.charCodeAt(p);

      if (ch === "'" || ch === '"') return this.quoted(p + 1, ch);
      if (ch === '`') return this.delimited(p + 1, '`', 'n');
      if (ch === '[') return this.delimited(p + 1, ']', 'n');
      if (cls(code) & DIGIT || (ch === '.' && nx !== undefined && cls(nx.charCodeAt(0)) & DIGIT)) return this.number(p);
      if (ch === '@') return this.variable(p);
      // MySQL's # comment. #word is far more often a fragment or hashtag than a comment that cuts a
      // statement, so only # followed by a non-word character (or nothing) counts.
      if (ch === '#' && !(nx !== undefined && cls(nx.charCodeAt(0)) & WORD)) return this.lineComment(p);
      if (ch === '-' && nx === '-') return this.lineComment(p);
      if (ch === '/' && nx === '*') {
        if (s[p + 2] === '!') {
          // MySQL runs the body of /*!NNNNN … */ as SQL: drop the markers, keep the body.
          let i = p + 3;
          while (i < s.length && i < p + 9 && cls(s.charCodeAt(i)) & DIGIT) i++;
          this.pos = i;
          this.inVersionComment = true;
          continue;
        }
        return this.blockComment(p);
      }
      if (ch === '*' && nx === '/' && this.inVersionComment) {
        this.inVersionComment = false;
        this.pos = p + 2;
        continue;
      }
      if (ch === '$' && nx === '$') return this.dollarQuoted(p);
      if (cls(code) & WORD_START) return this.word(p);
      if (ch === '\\') {
        // MySQL's \N is NULL.
        if (nx === 'N') {
          this.pos = p + 2;
          return tok('1', '\\n');
        }
        this.pos = p + 1;
        return tok('\\', '\\');
      }
      if (ch === '(' || ch === ')' || ch === ',' || ch === ';') {
        this.pos = p + 1;
        return tok(ch, ch);
      }
      const ops = OPERATORS[ch];
      if (ops) {
        for (const op of ops) {
          if (s.startsWith(op, p)) {
            this.pos = p + op.length;
            return tok(op === '||' || op === '&&' ? '&' : 'o', op);
          }
        }
      }
      this.pos = p + 1;
      return tok(ch === ':' ? ':' : '?', ch);
    }
  }

  /** A string literal whose opening quote is just before `start`; \ escapes and doubled quotes. */
  private quoted(start: number, q: string): SqlToken {
    const s = this.s;
    let i = start;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') {
        i += 2;
      } else if (c === q) {
        if (s[i + 1] === q) {
          i += 2;
          continue;
        }
        this.pos = i + 1;
        return { type: 's', text: s.slice(start, i), word: false, open: false };
      } else {
        i++;
      }
    }
    this.pos = s.length;
    return { type: 's', text: s.slice(start), word: false, open: true };
  }

  /** `identifier` or [identifier]: an identifier whatever its contents. */
  private delimited(start: number, close: string, type: TokenType): SqlToken {
    const end = this.s.indexOf(close, start);
    const stop = end < 0 ? this.s.length : end;
    this.pos = end < 0 ? this.s.length : end + 1;
    return { type, text: this.s.slice(start, stop).toLowerCase(), word: false, open: end < 0 };
  }

  /** PostgreSQL $$…$$ string. */
  private dollarQuoted(p: number): SqlToken {
    const end = this.s.indexOf('$$', p + 2);
    this.pos = end < 0 ? this.s.length : end + 2;
    return { type: 's', text: this.s.slice(p + 2, end < 0 ? this.s.length : end), word: false, open: end < 0 };
  }

  private lineComment(p: number): SqlToken {
    const nl = this.s.indexOf('\n', p);
    this.pos = nl < 0 ? this.s.length : nl + 1;
    return { type: 'c', text: this.s.slice(p, nl < 0 ? this.s.length : nl), word: false, open: nl < 0 };
  }

  private blockComment(p: number): SqlToken {
    const end = this.s.indexOf('*/', p + 2);
    this.pos = end < 0 ? this.s.length : end + 2;
    return { type: 'c', text: this.s.slice(p, this.pos), word: false, open: end < 0 };
  }

  private variable(p: number): SqlToken {
    const s = this.s;
    let i = p + 1;
    if (s[i] === '@') i++;
    const q = s[i];
    if (q === "'" || q === '"' || q === '`') {
      const end = s.indexOf(q, i + 1);
      this.pos = end < 0 ? s.length : end + 1;
      return tok('v', s.slice(p, this.pos).toLowerCase());
    }
    while (i < s.length && cls(s.charCodeAt(i)) & WORD) i++;
    this.pos = i;
    return tok('v', s.slice(p, i).toLowerCase());
  }

  private number(p: number): SqlToken {
    const s = this.s;
    let i = p;
    const x = s[p + 1];
    if (s[p] === '0' && (x === 'x' || x === 'X' || x === 'b' || x === 'B')) {
      // 0x… hex and 0b… binary literals.
      const digit = x === 'x' || x === 'X' ? HEX : DIGIT;
      let j = p + 2;
      while (j < s.length && cls(s.charCodeAt(j)) & digit) j++;
      if (j > p + 2 && !(cls(s.charCodeAt(j)) & WORD_START && j < s.length)) {
        this.pos = j;
        return tok('1', s.slice(p, j).toLowerCase());
      }
    }
    while (i < s.length && cls(s.charCodeAt(i)) & DIGIT) i++;
    let plain = true;
    if (s[i] === '.') {
      plain = false;
      i++;
      while (i < s.length && cls(s.charCodeAt(i)) & DIGIT) i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      const sign = s[i + 1] === '+' || s[i + 1] === '-' ? 1 : 0;
      if (i + 1 + sign < s.length && cls(s.charCodeAt(i + 1 + sign)) & DIGIT) {
        plain = false;
        i += 1 + sign;
        while (i < s.length && cls(s.charCodeAt(i)) & DIGIT) i++;
      }
    }
    // MySQL: an unquoted identifier may begin with digits (e.g. 1abc) as long as it is not all digits.
    if (plain && i < s.length && cls(s.charCodeAt(i)) & WORD_START) return this.word(p);
    this.pos = i;
    return tok('1', s.slice(p, i));
  }

  private word(p: number): SqlToken {
    const s = this.s;
    let i = p;
    while (i < s.length && cls(s.charCodeAt(i)) & WORD) i++;
    // N'…', X'…', B'…', E'…' prefixed string literals.
    if (i === p + 1 && (s[i] === "'" || s[i] === '"')) {
      const c = (s[p] as string).toLowerCase();
      if (c === 'n' || c === 'x' || c === 'b' || c === 'e') return this.quoted(i + 1, s[i] as string);
    }
    this.pos = i;
    const text = s.slice(p, i).toLowerCase();
    let j = i;
    while (j < s.length && cls(s.charCodeAt(j)) & WS) j++;
    const call = s[j] === '(';
    // Only known functions are 'f': an unknown word before '(' is as likely prose ("item(3)").
    const type: TokenType = call && FUNCTIONS.has(text) ? 'f' : (KEYWORDS.get(text) ?? 'n');
    return { type, text, word: true, open: false };
  }
}

function tok(type: TokenType, text: string): SqlToken {
  return { type, text, word: false, open: false };
}
