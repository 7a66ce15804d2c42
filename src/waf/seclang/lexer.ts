// SecLang configuration lexer. The syntax is Apache httpd's configuration syntax:
// - one directive per logical line; a backslash at the end of a physical line joins the next one
//   (the backslash and the newline are dropped, the next line's leading whitespace is kept);
// - a line whose first non-blank character is `#` is a comment (a continuation extends it too);
// - arguments are separated by whitespace; an argument that starts with `"` or `'` runs to the
//   matching unescaped quote, where `\<quote>` stands for the quote and `\\` for one backslash;
//   every other backslash is kept as written (so `\d` reaches the regex engine intact). Outside
//   quotes `\\` also stands for one backslash.
// Unlike Apache, a quote left open at the end of the logical line is an error, and a backslash
// followed only by blanks before the newline still continues the line.

import type { SecLangIssue } from './errors.js';

export interface DirectiveArg {
  value: string;
  /** Physical line the argument starts on. */
  line: number;
  /** Offsets in `value` at which the text continues on the next physical line (ascending). */
  breaks: number[];
}

export interface Directive {
  /** The directive name as written (directive names are case-insensitive). */
  name: string;
  args: DirectiveArg[];
  file: string;
  /** Physical line the directive starts on. */
  line: number;
}

/** The physical line that character `offset` of an argument came from. */
export function lineOf(arg: DirectiveArg, offset: number): number {
  let line = arg.line;
  for (const b of arg.breaks) {
    if (b <= offset) line++;
    else break;
  }
  return line;
}

const BLANK = new Set([' ', '\t', '\r', '\f', '\v']);
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const SPECIAL_DQ = /["\\\n]/g;
const SPECIAL_SQ = /['\\\n]/g;
const SPECIAL_BARE = /[ \t\r\f\v\n\\]/g;

class UnterminatedQuote extends Error {}

export function lexSecLang(text: string, file: string): { directives: Directive[]; issues: SecLangIssue[] } {
  const n = text.length;
  const directives: Directive[] = [];
  const issues: SecLangIssue[] = [];
  // A byte-order mark (UTF-8 bytes read as latin1, or an already decoded one) is not text.
  let i = text.startsWith('\u00ef\u00bb\u00bf') ? 3 : text.startsWith('\ufeff') ? 1 : 0;
  let line = 1;

  /** If a line continuation starts at `at` (a backslash), the index just past its newline. */
  const continuationEnd = (at: number): number => {
    let j = at + 1;
    while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
    if (j >= n) return n;
    return text[j] === '\n' ? j + 1 : -1;
  };

  const readWord = (): DirectiveArg => {
    const arg: DirectiveArg = { value: '', line, breaks: [] };
    let out = '';
    const q = text.charCodeAt(i);
    const quoted = q === DQUOTE || q === SQUOTE;
    if (quoted) i++;
    // Jumps from one special character to the next with a native regex search and copies the
    // plain runs in between with one slice each (character-wise work is slow on cold code).
    const special = q === DQUOTE ? SPECIAL_DQ : q === SQUOTE ? SPECIAL_SQ : SPECIAL_BARE;
    let run = i;
    for (;;) {
      special.lastIndex = i;
      const m = special.exec(text);
      if (!m) {
        i = n;
        if (quoted) throw new UnterminatedQuote();
        break;
      }
      i = m.index;
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        const k = continuationEnd(i);
        if (k >= 0) {
          out += text.slice(run, i);
          i = k;
          run = i;
          line++;
          arg.breaks.push(out.length);
          continue;
        }
        const d = text.charCodeAt(i + 1);
        if (d === BACKSLASH || (quoted && d === q)) {
          out += text.slice(run, i);
          i++; // drop the escaping backslash, keep the escaped character in the next run
          run = i;
        }
        i++;
        continue;
      }
      if (quoted) {
        if (c === NEWLINE) throw new UnterminatedQuote();
        out += text.slice(run, i); // the closing quote
        i++;
        break;
      }
      out += text.slice(run, i); // a blank or newline ends a bare word
      break;
    }
    if (!quoted && i >= n) out += text.slice(run, n);
    arg.value = out;
    return arg;
  };

  while (i < n) {
    while (i < n && BLANK.has(text[i] as string)) i++;
    if (i >= n) break;
    if (text[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (text[i] === '#') {
      // A comment, extended by continuations like any other line.
      for (;;) {
        const eol = text.indexOf('\n', i);
        const end = eol < 0 ? n : eol;
        let j = end;
        while (j > i && (text[j - 1] === ' ' || text[j - 1] === '\t' || text[j - 1] === '\r')) j--;
        const continued = eol >= 0 && j > i && text[j - 1] === '\\';
        i = eol < 0 ? n : eol + 1;
        if (eol >= 0) line++;
        if (!continued) break;
      }
      continue;
    }

    const startLine = line;
    const words: DirectiveArg[] = [];
    let failed = false;
    for (;;) {
      // Blanks and continuations between words.
      while (i < n) {
        const c = text[i] as string;
        if (BLANK.has(c)) i++;
        else if (c === '\\' && continuationEnd(i) >= 0) {
          i = continuationEnd(i);
          line++;
        } else break;
      }
      if (i >= n) break;
      if (text[i] === '\n') {
        i++;
        line++;
        break;
      }
      const wordLine = line;
      try {
        words.push(readWord());
      } catch (e) {
        if (!(e instanceof UnterminatedQuote)) throw e;
        issues.push({ file, line: wordLine, message: 'unterminated quoted argument' });
        failed = true;
        if (i < n && text[i] === '\n') {
          i++;
          line++;
        }
        break;
      }
    }
    if (!failed && words.length > 0) {
      const [name, ...args] = words as [DirectiveArg, ...DirectiveArg[]];
      directives.push({ name: name.value, args, file, line: startLine });
    }
  }
  return { directives, issues };
}
