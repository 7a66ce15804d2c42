// SQL injection detector in the manner of libinjection (which ModSecurity's @detectSQLi uses): the
// input is tokenized as SQL in each place it could have been pasted into (as-is, inside '…', inside
// "…"), the tokens are folded so that equivalent spellings look alike, and the types of the first five
// folded tokens form a fingerprint that is looked up in a set of fingerprints known to be SQL
// injection. The set (sqli-fingerprints.ts) is derived by sqli-corpus.ts from attack forms minus the
// fingerprints of benign text; nothing here is specific to one payload.

import { SQLI_FINGERPRINTS } from './sqli-fingerprints.js';
import { type SqlContext, type SqlToken, SqlTokenizer, type TokenType } from './sqli-tokenizer.js';
import { PHRASE_HEADS, PHRASES } from './sqli-keywords.js';

/** Tokens in a fingerprint. */
export const FINGERPRINT_TOKENS = 5;

export interface SqliResult {
  match: boolean;
  /** Fingerprint of the matching context; of the as-is context when nothing matched. */
  fingerprint: string;
}

/** Operators that, in front of a value, are unary and do not change the shape of the statement. */
const UNARY = new Set(['-', '+', '~', '!', 'not']);
const VALUE_START = new Set<TokenType>(['s', 'n', '1', 'v', 'f', '(']);
const VALUE_END = new Set<TokenType>(['s', 'n', '1', 'v', ')']);

/** Adds a raw token to the folded list, merging it with the tail where SQL would read them as one. */
function push(out: SqlToken[], t: SqlToken): void {
  const last = out[out.length - 1];
  if (last) {
    // 'a' 'b' is one string in MySQL; runs of parentheses are folded to one.
    if (t.type === 's' && last.type === 's') {
      last.open = t.open;
      return;
    }
    if ((t.type === '(' || t.type === ')') && last.type === t.type) return;
    // Multi-word keywords: ORDER BY, UNION ALL, NOT LIKE, LEFT OUTER JOIN, ...
    if (t.word && last.word && PHRASE_HEADS.has(last.text)) {
      const text = `${last.text} ${t.text}`;
      const type = PHRASES.get(text);
      if (type) {
        out[out.length - 1] = { type, text, word: true, open: false };
        return;
      }
    }
    // -1, !x, NOT EXISTS(…): a unary operator after a non-value is dropped.
    if (VALUE_START.has(t.type) && last.type === 'o' && UNARY.has(last.text)) {
      const before = out[out.length - 2];
      if (!before || !VALUE_END.has(before.type)) out.pop();
    }
  }
  out.push(t);
}

/** The folded tokens of `input` read in context `ctx` (at most FINGERPRINT_TOKENS of them). */
export function foldTokens(input: string, ctx: SqlContext): SqlToken[] {
  const tz = new SqlTokenizer(input, ctx);
  const out: SqlToken[] = [];
  let comment: SqlToken | null = null;
  // Read until a sixth token is settled: merges only ever touch the tail, so the first five are final.
  while (out.length <= FINGERPRINT_TOKENS) {
    const t = tz.next();
    if (t === null) break;
    if (t.type === 'c') {
      // A comment followed by more SQL is whitespace (UNION/**/SELECT); one that ends the input
      // (cutting off the rest of the statement) is kept.
      comment ??= t;
      continue;
    }
    comment = null;
    push(out, t);
  }
  if (comment && out.length < FINGERPRINT_TOKENS) out.push(comment);
  return out.slice(0, FINGERPRINT_TOKENS);
}

/** The fingerprint (token-type letters) of `input` read in context `ctx`. */
export function fingerprint(input: string, ctx: SqlContext): string {
  let fp = '';
  for (const t of foldTokens(input, ctx)) fp += t.type;
  return fp;
}

/** Contexts worth trying for an input: as-is always, a quote context only if that quote occurs. */
export function contextsFor(input: string): SqlContext[] {
  const ctxs: SqlContext[] = [''];
  if (input.includes("'")) ctxs.push("'");
  if (input.includes('"')) ctxs.push('"');
  return ctxs;
}

export function isSqliFingerprint(fp: string): boolean {
  return SQLI_FINGERPRINTS.has(fp);
}

/** Detects SQL injection in a byte string. */
export function detect(input: string): SqliResult {
  let first = '';
  for (const ctx of contextsFor(input)) {
    const fp = fingerprint(input, ctx);
    if (ctx === '') first = fp;
    if (isSqliFingerprint(fp)) return { match: true, fingerprint: fp };
  }
  return { match: false, fingerprint: first };
}
