// @pm: case-insensitive multi-phrase match (Aho–Corasick). The parameter is a space-separated list of
// phrases, read the way ModSecurity does: leading blanks skipped, one pair of surrounding double
// quotes removed, `|41 42|` hex segments decoded to bytes, and the escapes \: \; \\ \" honoured (any
// other escape makes the parameter be taken as written). With `capture`, TX:0 is the phrase found.
import { PhraseMatcher, phraseOperator } from './aho-corasick.js';
import { isCSpace, toBytes } from './operand.js';
import { registerOperator } from './registry.js';

const ESCAPABLE = ':;\\"';

function isHexDigit(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** Decodes hex segments and escapes; null when an unsupported escape is met. */
function decode(param: string): string | null {
  let s = param.replace(/^[ \t]+/, '');
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  let out = '';
  let hex = false;
  let esc = false;
  let pending = '';
  for (const ch of s) {
    if (ch === '|') {
      hex = !hex;
      pending = '';
    } else if (!esc && ch === '\\') {
      esc = true;
    } else if (hex) {
      if (isHexDigit(ch)) {
        pending += ch;
        if (pending.length === 2) {
          out += String.fromCharCode(Number.parseInt(pending, 16));
          pending = '';
        }
      } // other characters (the spaces between hex pairs) are ignored
    } else if (esc) {
      if (!ESCAPABLE.includes(ch)) return null;
      out += ch;
      esc = false;
    } else out += ch;
  }
  return out;
}

/** The phrases of an @pm parameter (split on C whitespace, like std::istream >> std::string). */
export function pmPhrases(param: string): string[] {
  const text = decode(toBytes(param)) ?? toBytes(param);
  const phrases: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (isCSpace(text.charCodeAt(i))) {
      if (cur !== '') phrases.push(cur);
      cur = '';
    } else cur += text[i];
  }
  if (cur !== '') phrases.push(cur);
  return phrases;
}

registerOperator({
  name: 'pm',
  create(param) {
    return phraseOperator(new PhraseMatcher(pmPhrases(param)));
  },
});
