// One-line Rego text for terms and expressions, and the facts the formatter's layout is decided
// from: which terms span several lines, which need parentheses, which source rows a subtree covers.
import type { Body, Expr, Term } from './ast.js';
import { INFIX_BUILTINS } from './ast.js';

/** A collection whose one-line form is longer than this is written one item per line. */
export const MAX_INLINE = 100;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const INFIX_OPS: Record<string, string> = { 'internal.member_2': 'in' };
for (const [op, name] of Object.entries(INFIX_BUILTINS)) INFIX_OPS[name] = op;

export const isInfixCall = (t: Term): boolean =>
  t.type === 'call' &&
  ((t.name in INFIX_OPS && t.args.length === 2 && !before(t.operator, t.args[0] as Term)) ||
    (t.name === 'internal.member_3' && t.args.length === 3));

/** a starts before b. */
function before(a: { loc: { row: number; col: number } }, b: { loc: { row: number; col: number } }): boolean {
  return a.loc.row < b.loc.row || (a.loc.row === b.loc.row && a.loc.col < b.loc.col);
}

/** Text, layout facts and source rows of terms, memoized per term (one instance per module). */
export class TermText {
  private readonly inlineMemo = new Map<Term, string>();
  private readonly breakMemo = new Map<Term, boolean>();
  private readonly rowMemo = new Map<object, [number, number]>();
  private readonly lineStarts: number[] | null;

  constructor(private readonly source?: string) {
    if (source === undefined) this.lineStarts = null;
    else {
      this.lineStarts = [0, 0];
      for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Does the term's layout span several lines? */
  breaks(t: Term): boolean {
    let b = this.breakMemo.get(t);
    if (b !== undefined) return b;
    switch (t.type) {
      case 'array':
      case 'set':
        b =
          t.items.some((x) => this.breaks(x)) ||
          new Set(t.items.map((x) => x.loc.row)).size >= 2 ||
          (t.items.length >= 2 && this.inl(t).length > MAX_INLINE);
        break;
      case 'object':
        b =
          t.items.some(([k, v]) => this.breaks(k) || this.breaks(v)) ||
          new Set(t.items.map(([k]) => k.loc.row)).size >= 2 ||
          (t.items.length >= 2 && this.inl(t).length > MAX_INLINE);
        break;
      case 'arraycomp':
      case 'setcomp':
        b = this.breaks(t.term) || !this.bodyInline(t.term.loc.row, t.body);
        break;
      case 'objectcomp':
        b = this.breaks(t.key) || this.breaks(t.value) || !this.bodyInline(t.key.loc.row, t.body);
        break;
      case 'call':
        b = t.args.some((x) => this.breaks(x));
        break;
      case 'ref':
        b = this.breaks(t.head) || t.path.some((x) => this.breaks(x));
        break;
      default:
        b = false;
    }
    this.breakMemo.set(t, b);
    return b;
  }

  bodyInline(row: number, body: Body): boolean {
    return body.length > 0 && body.every((e) => e.loc.row === row && !this.exprBreaks(e));
  }

  everyInline(e: Expr & { kind: 'every' }): boolean {
    return !this.breaks(e.domain) && this.bodyInline(e.loc.row, e.body);
  }

  exprBreaks(e: Expr): boolean {
    if (e.with.some((w) => this.breaks(w.target) || this.breaks(w.value))) return true;
    switch (e.kind) {
      case 'term':
        return this.breaks(e.term);
      case 'unify':
      case 'assign':
        return this.breaks(e.left) || this.breaks(e.right);
      case 'some':
        return false;
      case 'somein':
        return this.breaks(e.collection);
      case 'every':
        return !this.everyInline(e);
    }
  }

  // ---- one-line text ----

  inl(t: Term): string {
    let s = this.inlineMemo.get(t);
    if (s === undefined) {
      s = this.inlRaw(t);
      this.inlineMemo.set(t, s);
    }
    return s;
  }

  inlAt(t: Term, pos: Pos): string {
    return needsParens(t, pos) ? `(${this.inl(t)})` : this.inl(t);
  }

  private inlRaw(t: Term): string {
    switch (t.type) {
      case 'null':
        return 'null';
      case 'boolean':
        return t.value ? 'true' : 'false';
      case 'number':
        return t.raw;
      case 'string':
        return this.stringText(t.value, t.loc);
      case 'var':
        return t.name.startsWith('$') ? '_' : t.name;
      case 'ref':
        return (
          (t.head.type === 'var' ? this.inl(t.head) : this.inlAt(t.head, 'refhead')) +
          t.path.map((p) => (isDotted(p) ? `.${(p as { value: string }).value}` : `[${this.inl(p)}]`)).join('')
        );
      case 'array':
        return `[${t.items.map((x) => this.inlAt(x, 'item')).join(', ')}]`;
      case 'set':
        return t.items.length === 0 ? 'set()' : `{${t.items.map((x) => this.inlAt(x, 'item')).join(', ')}}`;
      case 'object':
        return `{${t.items.map(([k, v]) => `${this.inlAt(k, 'item')}: ${this.inlAt(v, 'item')}`).join(', ')}}`;
      case 'arraycomp':
        return `[${this.inlAt(t.term, 'item')} | ${this.inlBody(t.body)}]`;
      case 'setcomp':
        return `{${this.inlAt(t.term, 'item')} | ${this.inlBody(t.body)}}`;
      case 'objectcomp':
        return `{${this.inlAt(t.key, 'item')}: ${this.inlAt(t.value, 'item')} | ${this.inlBody(t.body)}}`;
      case 'call': {
        if (isInfixCall(t)) {
          if (t.name === 'internal.member_3') {
            const [k, v, c] = t.args as [Term, Term, Term];
            return `${this.inlAt(k, 'operand')}, ${this.inlAt(v, 'operand')} in ${this.inlAt(c, 'operand')}`;
          }
          const [a, b] = t.args as [Term, Term];
          return `${this.inlAt(a, 'operand')} ${INFIX_OPS[t.name]} ${this.inlAt(b, 'operand')}`;
        }
        return `${this.operatorText(t)}(${t.args.map((x) => this.inlAt(x, 'arg')).join(', ')})`;
      }
      case 'template':
        return this.templateText(t);
    }
  }

  inlBody(body: Body): string {
    return body.map((e) => this.inlExpr(e)).join('; ');
  }

  inlExpr(e: Expr): string {
    let s = e.negated ? 'not ' : '';
    switch (e.kind) {
      case 'term':
        s += this.inlAt(e.term, 'top');
        break;
      case 'unify':
      case 'assign':
        s += `${this.inlAt(e.left, 'side')} ${e.kind === 'assign' ? ':=' : '='} ${this.inlAt(e.right, 'side')}`;
        break;
      case 'some':
        s += `some ${e.vars.map((v) => this.inl(v)).join(', ')}`;
        break;
      case 'somein':
        s += `some ${e.key ? `${this.inl(e.key)}, ` : ''}${this.inl(e.value)} in ${this.inlAt(e.collection, 'operand')}`;
        break;
      case 'every':
        s += `every ${e.key ? `${this.inl(e.key)}, ` : ''}${this.inl(e.value)} in ${this.inlAt(e.domain, 'operand')} { ${this.inlBody(e.body)} }`;
        break;
    }
    for (const w of e.with) s += ` with ${this.inlAt(w.target, 'operand')} as ${this.inlAt(w.value, 'operand')}`;
    return s;
  }

  operatorText(t: Term & { type: 'call' }): string {
    const op = t.operator;
    return op.type === 'var' || op.type === 'ref' ? this.inl(op) : t.name;
  }

  refHead(ref: Term[]): string {
    const [h, ...rest] = ref;
    let s = h ? this.inl(h) : '';
    for (const p of rest) s += isDotted(p) ? `.${(p as { value: string }).value}` : `[${this.inl(p)}]`;
    return s;
  }

  pathText(path: string[]): string {
    return path.map((p, i) => (IDENT.test(p) ? (i ? `.${p}` : p) : `[${JSON.stringify(p)}]`)).join('');
  }

  /** Was the literal at `loc` written as a raw (backtick) string? Needs the source. */
  private rawAt(loc: { row: number; col: number }, offset = 0): boolean {
    if (!this.source || !this.lineStarts) return false;
    let i = this.lineStarts[loc.row];
    if (i === undefined) return false;
    for (let c = 1; c < loc.col && i < this.source.length; c++) i += (this.source.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    return this.source.charCodeAt(i + offset) === 96;
  }

  private stringText(value: string, loc: { row: number; col: number }): string {
    if (!value.includes('`') && this.rawAt(loc)) return `\`${value}\``;
    return JSON.stringify(value);
  }

  private templateText(t: Term & { type: 'template' }): string {
    const raw = this.rawAt(t.loc, 1) && t.parts.every((p) => typeof p !== 'string' || !p.includes('`'));
    let s = raw ? '$`' : '$"';
    for (const p of t.parts) {
      // The parser keeps an expression with `with` modifiers as an Expr part.
      if (typeof p !== 'string') s += `{${isExpr(p) ? this.inlExpr(p) : this.inl(p)}}`;
      else s += (raw ? p : JSON.stringify(p).slice(1, -1)).replaceAll('{', '\\{');
    }
    return s + (raw ? '`' : '"');
  }

  // ---- source rows of subtrees ----

  rows(t: Term): [number, number] {
    let r = this.rowMemo.get(t);
    if (r) return r;
    let lo = t.loc.row;
    let hi = t.loc.row;
    const add = ([a, b]: [number, number]) => {
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    };
    switch (t.type) {
      case 'ref':
        add(this.rows(t.head));
        for (const p of t.path) add(this.rows(p));
        break;
      case 'array':
      case 'set':
        for (const x of t.items) add(this.rows(x));
        break;
      case 'object':
        for (const [k, v] of t.items) {
          add(this.rows(k));
          add(this.rows(v));
        }
        break;
      case 'arraycomp':
      case 'setcomp':
        add(this.rows(t.term));
        for (const e of t.body) add(this.rowsExpr(e));
        break;
      case 'objectcomp':
        add(this.rows(t.key));
        add(this.rows(t.value));
        for (const e of t.body) add(this.rowsExpr(e));
        break;
      case 'call':
        add(this.rows(t.operator));
        for (const x of t.args) add(this.rows(x));
        break;
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') add(isExpr(p) ? this.rowsExpr(p) : this.rows(p));
        break;
    }
    r = [lo, hi];
    this.rowMemo.set(t, r);
    return r;
  }

  rowsExpr(e: Expr): [number, number] {
    let r = this.rowMemo.get(e);
    if (r) return r;
    const terms: Term[] = [];
    switch (e.kind) {
      case 'term':
        terms.push(e.term);
        break;
      case 'unify':
      case 'assign':
        terms.push(e.left, e.right);
        break;
      case 'some':
        terms.push(...e.vars);
        break;
      case 'somein':
        if (e.key) terms.push(e.key);
        terms.push(e.value, e.collection);
        break;
      case 'every':
        if (e.key) terms.push(e.key);
        terms.push(e.value, e.domain);
        break;
    }
    for (const w of e.with) terms.push(w.target, w.value);
    let lo = e.loc.row;
    let hi = e.loc.row;
    for (const t of terms) {
      const [a, b] = this.rows(t);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    if (e.kind === 'every') for (const x of e.body) hi = Math.max(hi, this.rowsExpr(x)[1]);
    r = [lo, hi];
    this.rowMemo.set(e, r);
    return r;
  }
}

/** Where a term stands, for deciding whether it needs parentheses. */
export type Pos = 'top' | 'side' | 'operand' | 'item' | 'arg' | 'refhead';

export function needsParens(t: Term, pos: Pos): boolean {
  if (!isInfixCall(t) || pos === 'top') return false;
  if (t.type !== 'call') return false;
  const member3 = t.name === 'internal.member_3';
  switch (pos) {
    case 'side':
    case 'arg':
      return member3;
    case 'item':
      // `[a | b]` and `{k: a | b}` would read as comprehensions; `[k, v in xs]` as two items.
      return member3 || t.name === 'or';
    default:
      // Nested operators are always parenthesized, as opa fmt does.
      return true;
  }
}

/** Template parts are terms, or expressions when they carry `with` modifiers. */
export function isExpr(p: Term | Expr): p is Expr {
  return 'kind' in p;
}

/** A ref path element written as `.name` (keywords too: `input.in` is a ref). */
export function isDotted(p: Term): boolean {
  return p.type === 'string' && IDENT.test(p.value);
}
