// The VARIABLES part of a SecRule: `ARGS|!ARGS:foo|REQUEST_HEADERS:/^x-/|&TX:x|XML:/*`.
// Selectors are separated by `|` (SecRuleUpdateTarget* also take `,`). A key follows `:` and is
// either a regex between slashes (a `|` or `,` inside it does not split), a single-quoted literal,
// or literal text up to the next separator. XML keys are XPath expressions, never regexes.
// Regex keys compile case-insensitively with dot-all, as ModSecurity compiles them.

import type { VariableSelector } from '../rule.js';
import { ArgSyntaxError } from './errors.js';
import { VARIABLES } from './names.js';

export interface ParseVariablesOptions {
  /** Also accept `,` between selectors (SecRuleUpdateTargetById & co). */
  allowComma?: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Compiles a regex from the configuration; PCRE's leading `(?i)` becomes the `i` flag. */
export function compileConfigRegex(source: string, flags = ''): RegExp {
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    if (!flags.includes('i')) flags += 'i';
  }
  return new RegExp(source, flags);
}

/** Compiles a `/regex/` key: case-insensitive and dot-all, as ModSecurity compiles them. */
export function compileKeyRegex(source: string): RegExp {
  return compileConfigRegex(source, 'is');
}

export function parseVariables(text: string, opts: ParseVariablesOptions = {}): VariableSelector[] {
  const n = text.length;
  const isSep = (c: string | undefined) => c === '|' || (opts.allowComma === true && c === ',');
  const out: VariableSelector[] = [];
  let i = 0;
  const skipBlanks = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };

  for (;;) {
    skipBlanks();
    if (i >= n) {
      throw new ArgSyntaxError(out.length === 0 ? 'no variables given' : 'empty variable after separator', i);
    }
    const start = i;
    let exclude = false;
    let count = false;
    if (text[i] === '!') {
      exclude = true;
      i++;
    }
    if (text[i] === '&') {
      count = true;
      i++;
    }
    if (text[i] === '!' || (exclude && count)) throw new ArgSyntaxError('`!` and `&` cannot be combined', start);
    if (!NAME_START.test(text[i] ?? '')) throw new ArgSyntaxError('expected a variable name', i);
    const nameStart = i;
    while (i < n && NAME_CHAR.test(text[i] as string)) i++;
    const written = text.slice(nameStart, i);
    const name = written.toUpperCase();
    if (!VARIABLES.has(name)) throw new ArgSyntaxError(`unknown variable ${written}`, nameStart);

    const sel: VariableSelector = { name, count, exclude };
    if (text[i] === ':') {
      i++;
      sel.key = parseKey(name);
    }
    out.push(sel);
    skipBlanks();
    if (i >= n) break;
    if (isSep(text[i])) {
      i++;
      continue;
    }
    throw new ArgSyntaxError(`unexpected '${text[i]}' after variable ${written}`, i);
  }
  return out;

  function parseKey(name: string): VariableSelector['key'] {
    const keyStart = i;
    if (text[i] === '/' && name !== 'XML') {
      let j = i + 1;
      let inClass = false;
      for (;;) {
        const c = text[j];
        if (c === undefined) throw new ArgSyntaxError('unterminated /regex/ key', keyStart);
        if (c === '\\') j += 2;
        else if (inClass) {
          if (c === ']') inClass = false;
          j++;
        } else if (c === '[') {
          inClass = true;
          j++;
        } else if (c === '/') break;
        else j++;
      }
      const source = text.slice(i + 1, j);
      i = j + 1;
      let re: RegExp;
      try {
        re = compileKeyRegex(source);
      } catch (e) {
        throw new ArgSyntaxError(`invalid regex key /${source}/: ${(e as Error).message}`, keyStart);
      }
      return { kind: 'regex', source, re };
    }
    if (text[i] === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ArgSyntaxError('unterminated quoted key', keyStart);
      const value = text.slice(i + 1, end);
      i = end + 1;
      if (value === '') throw new ArgSyntaxError('empty key', keyStart);
      return { kind: 'exact', value };
    }
    let j = i;
    while (j < n && !isSep(text[j])) j++;
    const value = text.slice(i, j).trimEnd();
    i = j;
    if (value === '') throw new ArgSyntaxError('empty key', keyStart);
    return { kind: 'exact', value };
  }
}

/** Renders a selector back to SecLang text (for messages and introspection). */
export function formatVariable(sel: VariableSelector): string {
  const prefix = (sel.exclude ? '!' : '') + (sel.count ? '&' : '');
  if (!sel.key) return prefix + sel.name;
  return `${prefix}${sel.name}:${sel.key.kind === 'regex' ? `/${sel.key.source}/` : sel.key.value}`;
}

/** Same selector (name, key, flags)? Keys compare case-insensitively like most collections. */
export function sameVariable(a: VariableSelector, b: VariableSelector): boolean {
  if (a.name !== b.name || a.count !== b.count || a.exclude !== b.exclude) return false;
  if (!a.key || !b.key) return !a.key && !b.key;
  if (a.key.kind !== b.key.kind) return false;
  if (a.key.kind === 'regex') return a.key.source === (b.key as { source: string }).source;
  return a.key.value.toLowerCase() === (b.key as { value: string }).value.toLowerCase();
}
