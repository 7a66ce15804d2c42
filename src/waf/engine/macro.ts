// Macro expansion: `%{tx.score}`, `%{MATCHED_VAR}`, `%{REQUEST_HEADERS.host}`, `%{rule.id}`.
// A template is compiled once into literal text and references; expansion asks a resolver for each
// reference's first value. Unknown or empty references expand to '' (as ModSecurity v3 does).

export interface MacroRef {
  /** Upper-case variable name. */
  name: string;
  /** Key within the collection ('' for none), as written. */
  key: string;
}

/** A compiled template: a plain string when it holds no macro, else alternating parts. */
export type Template = string | (string | MacroRef)[];

export type MacroResolver = (name: string, key: string) => string | undefined;

export function compileTemplate(text: string): Template {
  let at = text.indexOf('%{');
  if (at < 0) return text;
  const parts: (string | MacroRef)[] = [];
  let lit = '';
  let i = 0;
  while (at >= 0) {
    const end = text.indexOf('}', at + 2);
    if (end < 0) break;
    const inner = text.slice(at + 2, end).trim();
    lit += text.slice(i, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*(?:[.:].*)?$/.test(inner)) {
      // Not a reference (e.g. `%{}`): keep it as text.
      lit += text.slice(at, end + 1);
    } else {
      const sep = inner.search(/[.:]/);
      if (lit !== '') parts.push(lit);
      lit = '';
      parts.push(
        sep < 0 ? { name: inner.toUpperCase(), key: '' } : { name: inner.slice(0, sep).toUpperCase(), key: inner.slice(sep + 1) },
      );
    }
    i = end + 1;
    at = text.indexOf('%{', i);
  }
  lit += text.slice(i);
  if (lit !== '') parts.push(lit);
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  return parts;
}

export function expandTemplate(t: Template, resolve: MacroResolver): string {
  if (typeof t === 'string') return t;
  let out = '';
  for (const p of t) out += typeof p === 'string' ? p : (resolve(p.name, p.key) ?? '');
  return out;
}

/** Compiles on first use; templates are cached by text (bounded, operator parameters repeat). */
export class TemplateCache {
  private readonly map = new Map<string, Template>();
  get(text: string): Template {
    let t = this.map.get(text);
    if (t === undefined) {
      t = compileTemplate(text);
      if (this.map.size > 10_000) this.map.clear();
      this.map.set(text, t);
    }
    return t;
  }
}
