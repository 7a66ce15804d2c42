// Canonical Rego v1 formatting (what `opa fmt` does): package, imports (sorted within their groups),
// rules separated by blank lines, tabs for indentation, `if`/`contains` keywords, comments kept.
//
// The AST carries start locations only, so layout decisions that `opa fmt` takes from the source
// (is a collection written over several lines? is a body on the head's line?) are taken from the
// rows of the nodes. Every such decision is one the formatted output reproduces, which keeps
// formatting idempotent: fmt(fmt(x)) == fmt(x).
import type { Body, Comment, Expr, Import, Module, Rule, Term } from './ast.js';
import { INFIX_OPS, isDotted, isInfixCall, needsParens, type Pos, TermText } from './format-text.js';
import { parseModule } from './parser.js';

/** Parses and formats one module's text. Throws the parser's RegoErrors on bad input. */
export function formatSource(text: string, file = ''): string {
  return formatModule(parseModule(text, file), text);
}

/** One body expression as Rego text (several lines only for multi-line collections). */
export function formatExpr(e: Expr): string {
  const empty: Module = { file: '', package: [], packageLoc: e.loc, imports: [], rules: [], comments: [], annotations: [] };
  return new Formatter(empty).exprText(e);
}

/** Formats a parsed module. `source` (the module's text) lets raw strings stay raw. */
export function formatModule(module: Module, source?: string): string {
  return new Formatter(module, source).run();
}

interface Line {
  indent: number;
  text: string;
  /** Source rows of the nodes written on this line (lo > hi: none). */
  lo: number;
  hi: number;
  code: boolean;
  commented: boolean;
}

type Stmt = { imp: Import; row: number; col: number } | { rule: Rule; row: number; col: number };

class Formatter {
  private readonly lines: Line[] = [];
  private cur: Line | null = null;
  private readonly comments: Comment[];
  private ci = 0;
  private readonly tx: TermText;

  constructor(
    private readonly m: Module,
    source?: string,
  ) {
    this.comments = [...m.comments].sort((a, b) => a.loc.row - b.loc.row || a.loc.col - b.loc.col);
    this.tx = new TermText(source);
  }

  run(): string {
    const m = this.m;
    this.ownComments(m.packageLoc.row, 0, 1, true);
    this.start(0);
    this.w(`package ${this.tx.pathText(m.package)}`);
    this.mark(m.packageLoc.row, m.packageLoc.row);
    this.end();
    const stmts: Stmt[] = [
      ...m.imports.map((imp) => ({ imp, row: imp.loc.row, col: imp.loc.col })),
      ...m.rules.map((rule) => ({ rule, row: this.rowsRule(rule)[0], col: rule.loc.col })),
    ].sort((a, b) => a.row - b.row || a.col - b.col);
    for (let i = 0; i < stmts.length; ) {
      const s = stmts[i] as Stmt;
      const limit = (j: number) => stmts[j]?.row ?? Number.POSITIVE_INFINITY;
      this.statementStart(s.row);
      if ('rule' in s) {
        this.rule(s.rule, limit(i + 1));
        i++;
        continue;
      }
      // An import group: imports on consecutive rows, sorted within the group as opa fmt does.
      const group: Import[] = [s.imp];
      for (i++; i < stmts.length; i++) {
        const n = stmts[i] as Stmt;
        if (!('imp' in n) || n.row !== (group[group.length - 1] as Import).loc.row + 1) break;
        group.push(n.imp);
      }
      const trailing = new Map<Import, Comment>();
      for (const imp of group) {
        const c = this.comments[this.ci];
        if (c && c.loc.row === imp.loc.row) {
          trailing.set(imp, c);
          this.ci++;
        }
      }
      const text = (imp: Import) => `import ${this.tx.inl(imp.path)}${imp.alias ? ` as ${imp.alias}` : ''}`;
      for (const imp of [...group].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0))) {
        this.start(0);
        this.w(text(imp));
        const c = trailing.get(imp);
        if (c) this.w(` #${c.text.trimEnd()}`);
        (this.cur as Line).commented = c !== undefined;
        this.end();
      }
    }
    this.trail(Number.POSITIVE_INFINITY);
    if (this.ci < this.comments.length) {
      this.blank();
      this.ownComments(Number.POSITIVE_INFINITY, 0, 1, true);
    }
    while (this.lines.length > 0 && !(this.lines[this.lines.length - 1] as Line).text) this.lines.pop();
    return `${this.lines.map((l) => (l.text ? '\t'.repeat(l.indent) + l.text : '')).join('\n')}\n`;
  }

  exprText(e: Expr): string {
    this.start(0);
    this.expr(e, 0, Number.POSITIVE_INFINITY);
    this.end();
    return this.lines.map((l) => '\t'.repeat(l.indent) + l.text).join('\n');
  }

  // ---- lines and comments ----

  private start(indent: number): void {
    this.cur = { indent, text: '', lo: Number.POSITIVE_INFINITY, hi: -1, code: true, commented: false };
  }
  private w(s: string): void {
    (this.cur as Line).text += s;
  }
  private mark(lo: number, hi: number): void {
    const c = this.cur as Line;
    if (lo < c.lo) c.lo = lo;
    if (hi > c.hi) c.hi = hi;
  }
  private end(): void {
    this.lines.push(this.cur as Line);
    this.cur = null;
  }
  private blank(): void {
    const last = this.lines[this.lines.length - 1];
    if (last?.text) this.lines.push({ indent: 0, text: '', lo: 1, hi: 0, code: false, commented: false });
  }

  /** A comment on a row the last line covers is written at that line's end. */
  private trail(limit: number): void {
    const c = this.comments[this.ci];
    const last = this.lines[this.lines.length - 1];
    if (!c || c.loc.row >= limit || !last || !last.code || last.commented) return;
    if (c.loc.row < last.lo || c.loc.row > last.hi) return;
    last.text += ` #${c.text.trimEnd()}`;
    last.commented = true;
    this.ci++;
  }

  /** The row of the next pending comment above `limit` (and at or right of `minCol`). */
  private nextComment(limit: number, minCol = 1): number | undefined {
    const c = this.comments[this.ci];
    return c && c.loc.row < limit && c.loc.col >= minCol ? c.loc.row : undefined;
  }

  /** Writes pending comments above `limit` on their own lines; returns the last one's row. */
  private ownComments(limit: number, indent: number, minCol: number, blankBefore: boolean): number | undefined {
    let last: Comment | undefined;
    // A METADATA block is the comments on the rows right below it at column 1; a comment that was not
    // part of it (indented) stays apart, as indentation is not kept.
    let inBlock = false;
    while (this.nextComment(limit, minCol) !== undefined) {
      const c = this.comments[this.ci++] as Comment;
      const adjacent: boolean = last !== undefined && c.loc.row === last.loc.row + 1;
      const continues: boolean = inBlock && adjacent && c.loc.col === 1;
      if (last !== undefined && (!adjacent || (inBlock && !continues))) this.blank();
      this.lines.push({ indent, text: `#${c.text.trimEnd()}`, lo: 1, hi: 0, code: false, commented: true });
      inBlock = continues || c.text.trim().startsWith('METADATA');
      last = c;
    }
    if (blankBefore && last !== undefined && limit !== Number.POSITIVE_INFINITY && limit - last.loc.row > 1) this.blank();
    return last?.loc.row;
  }

  /** Before a top-level statement: trailing comment, blank line, leading comments. */
  private statementStart(row: number): void {
    this.trail(row);
    this.blank();
    this.ownComments(row, 0, 1, true);
  }

  // ---- rules ----

  private rule(r: Rule, limit: number): void {
    this.start(0);
    const n0 = this.lines.length;
    const h = r.head;
    if (r.default) this.w('default ');
    this.w(this.tx.refHead(h.ref));
    const hasBody = r.body[0] !== undefined && !generatedBody(r);
    const bodyRow = hasBody ? this.tx.rowsExpr(r.body[0] as Expr)[0] : r.else ? r.else.loc.row : limit;
    const headEnd = (ts: Term[]) => (hasBody ? this.headLimit(ts, bodyRow) : bodyRow);
    if (h.args) this.seq(h.args, 0, headEnd(h.args), '(', ')', 'arg');
    if (h.key) {
      this.w(' contains ');
      this.term(h.key, 0, headEnd([h.key]), 'arg');
    }
    if (h.value && !generatedValue(r)) {
      this.w(h.assign ? ' := ' : ' = ');
      this.term(h.value, 0, headEnd([h.value]), 'top');
    }
    this.mark(h.loc.row, h.loc.row);
    const oneLineHead = this.lines.length === n0;
    this.tail(r, limit, r.else !== null, oneLineHead);
  }

  /** From after a (primary or else) head to the end of the rule. */
  private tail(r: Rule, limit: number, chain: boolean, oneLineHead: boolean): void {
    const next = r.else ? r.else.loc.row : limit;
    if (r.body.length === 0 || generatedBody(r)) {
      if (!r.else) {
        this.end();
        return;
      }
      this.w(' ');
    } else if (!chain && oneLineHead && r.body.length === 1 && this.tx.rowsExpr(r.body[0] as Expr)[0] === r.head.loc.row) {
      // `p if expr` stays on one line when the body was written on the head's line.
      this.w(' if ');
      this.expr(r.body[0] as Expr, 0, next);
      this.end();
      return;
    } else {
      this.w(' if {');
      this.end();
      this.body(r.body, 1, next);
      this.start(0);
      this.w('}');
      if (!r.else) {
        this.end();
        return;
      }
      if (this.nextComment(next) !== undefined) {
        this.end();
        this.ownComments(next, 0, 1, false);
        this.start(0);
      } else this.w(' ');
    }
    const e = r.else as Rule;
    this.w('else');
    const hasBody = e.body[0] !== undefined && !generatedBody(e);
    const bodyRow = hasBody ? this.tx.rowsExpr(e.body[0] as Expr)[0] : e.else ? e.else.loc.row : limit;
    if (e.head.value) {
      this.w(e.head.assign ? ' := ' : ' = ');
      this.term(e.head.value, 0, hasBody ? this.headLimit([e.head.value], bodyRow) : bodyRow, 'top');
    }
    this.mark(e.loc.row, e.loc.row);
    this.tail(e, limit, true, false);
  }

  /** Where comments stop belonging to a head (rule head, every domain, comprehension term) that a
   *  body follows: after its last row they go to the body, which sits as deep as the head's items. */
  private headLimit(ts: Term[], bodyRow: number): number {
    return Math.min(bodyRow, ...ts.map((t) => this.tx.rows(t)[1] + 1));
  }

  /** Body expressions one per line; blank lines where the source had them or after a multi-line one. */
  private body(body: Body, indent: number, limit: number): void {
    const minCol = body[0]?.loc.col ?? 1;
    let prevMulti = false;
    let prevHi = -1;
    body.forEach((e, i) => {
      const [lo, hi] = this.tx.rowsExpr(e);
      const next = body[i + 1] ? this.tx.rowsExpr(body[i + 1] as Expr)[0] : limit;
      this.trail(lo);
      const first = this.nextComment(lo) ?? lo;
      if (i > 0 && (prevMulti || first - prevHi > 1)) this.blank();
      this.ownComments(lo, indent, 1, true);
      const n0 = this.lines.length;
      this.start(indent);
      this.expr(e, indent, next);
      this.end();
      prevMulti = this.lines.length - n0 > 1;
      prevHi = hi;
    });
    this.trail(limit);
    const firstIn = this.nextComment(limit, minCol);
    if (firstIn === undefined) return;
    if (body.length > 0 && (prevMulti || firstIn - prevHi > 1)) this.blank();
    this.ownComments(limit, indent, minCol, false);
  }

  private expr(e: Expr, indent: number, limit: number): void {
    this.mark(e.loc.row, e.loc.row);
    if (e.negated) this.w('not ');
    const withRow = e.with[0] ? e.with[0].loc.row : limit;
    switch (e.kind) {
      case 'term':
        this.term(e.term, indent, withRow, 'top');
        break;
      case 'unify':
      case 'assign':
        this.term(e.left, indent, this.tx.rows(e.right)[0], 'side');
        this.w(e.kind === 'assign' ? ' := ' : ' = ');
        this.term(e.right, indent, withRow, 'side');
        break;
      case 'some':
        this.w(`some ${e.vars.map((v) => this.tx.inl(v)).join(', ')}`);
        break;
      case 'somein':
        this.w('some ');
        if (e.key) this.w(`${this.tx.inl(e.key)}, `);
        this.w(`${this.tx.inl(e.value)} in `);
        this.term(e.collection, indent, withRow, 'operand');
        break;
      case 'every': {
        this.w('every ');
        if (e.key) this.w(`${this.tx.inl(e.key)}, `);
        this.w(`${this.tx.inl(e.value)} in `);
        const bodyRow = e.body[0] ? this.tx.rowsExpr(e.body[0])[0] : withRow;
        this.term(e.domain, indent, this.headLimit([e.domain], bodyRow), 'operand');
        if (this.tx.everyInline(e)) this.w(` { ${this.tx.inlBody(e.body)} }`);
        else {
          this.w(' {');
          this.end();
          this.body(e.body, indent + 1, withRow);
          this.start(indent);
          this.w('}');
        }
        break;
      }
    }
    e.with.forEach((wi, i) => {
      const next = e.with[i + 1]?.loc.row ?? limit;
      this.w(' with ');
      this.term(wi.target, indent, this.tx.rows(wi.value)[0], 'operand');
      this.w(' as ');
      this.term(wi.value, indent, next, 'operand');
    });
  }

  // ---- terms ----

  /** Writes a term, over several lines when its layout asks for it. */
  private term(t: Term, indent: number, limit: number, pos: Pos): void {
    const parens = needsParens(t, pos);
    if (parens) this.w('(');
    if (!this.tx.breaks(t)) {
      this.w(this.tx.inl(t));
      const [lo, hi] = this.tx.rows(t);
      this.mark(lo, hi);
    } else {
      this.termBroken(t, indent, limit);
    }
    if (parens) this.w(')');
  }

  private termBroken(t: Term, indent: number, limit: number): void {
    switch (t.type) {
      case 'array':
      case 'set':
      case 'object':
        this.collection(t, t.type === 'array' ? '[' : '{', t.type === 'array' ? ']' : '}', t.items, indent, limit);
        return;
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp': {
        const [open, close] = t.type === 'arraycomp' ? ['[', ']'] : ['{', '}'];
        this.w(open);
        const heads = t.type === 'objectcomp' ? [t.key, t.value] : [t.term];
        const bodyRow = this.headLimit(heads, t.body[0] ? this.tx.rowsExpr(t.body[0])[0] : limit);
        if (t.type === 'objectcomp') {
          this.term(t.key, indent, this.tx.rows(t.value)[0], 'item');
          this.w(': ');
          this.term(t.value, indent, bodyRow, 'item');
        } else this.term(t.term, indent, bodyRow, 'item');
        this.w(' |');
        this.mark(t.loc.row, t.loc.row);
        this.end();
        this.body(t.body, indent + 1, limit);
        this.start(indent);
        this.w(close);
        return;
      }
      case 'call':
        if (isInfixCall(t)) {
          const args = t.args;
          const op = t.name === 'internal.member_3' ? 'in' : (INFIX_OPS[t.name] as string);
          args.forEach((a, i) => {
            if (i > 0) this.w(t.name === 'internal.member_3' && i === 1 ? ', ' : ` ${op} `);
            const next = args[i + 1] ? this.tx.rows(args[i + 1] as Term)[0] : limit;
            this.term(a, indent, next, 'operand');
          });
          return;
        }
        this.w(this.tx.operatorText(t));
        this.seq(t.args, indent, limit, '(', ')', 'arg');
        return;
      case 'ref': {
        const first = t.path[0] ? this.tx.rows(t.path[0])[0] : limit;
        if (t.head.type === 'var') this.w(this.tx.inl(t.head));
        else this.term(t.head, indent, first, 'refhead');
        t.path.forEach((p, i) => {
          if (isDotted(p)) this.w(`.${(p as { value: string }).value}`);
          else {
            this.w('[');
            this.term(p, indent, t.path[i + 1] ? this.tx.rows(t.path[i + 1] as Term)[0] : limit, 'arg');
            this.w(']');
          }
        });
        return;
      }
      default:
        this.w(this.tx.inl(t));
    }
  }

  private seq(items: Term[], indent: number, limit: number, open: string, close: string, pos: Pos): void {
    this.w(open);
    items.forEach((a, i) => {
      if (i > 0) this.w(', ');
      this.term(a, indent, items[i + 1] ? this.tx.rows(items[i + 1] as Term)[0] : limit, pos);
    });
    this.w(close);
  }

  /** A collection over several lines: items grouped by their source row, a trailing comma on each line. */
  private collection(t: Term, open: string, close: string, items: (Term | [Term, Term])[], indent: number, limit: number): void {
    const first = (it: Term | [Term, Term]) => (Array.isArray(it) ? it[0] : it);
    const rowOf = (it: Term | [Term, Term]) => first(it).loc.row;
    const grouped = new Set(items.map(rowOf)).size >= 2;
    const minCol = items[0] ? first(items[0]).loc.col : 1;
    this.w(open);
    this.mark(t.loc.row, t.loc.row);
    this.end();
    let i = 0;
    while (i < items.length) {
      const lo = this.tx.rows(first(items[i] as Term))[0];
      this.trail(lo);
      this.ownComments(lo, indent + 1, 1, false);
      this.start(indent + 1);
      const row = rowOf(items[i] as Term);
      for (;;) {
        const it = items[i] as Term | [Term, Term];
        const next = items[i + 1] ? this.tx.rows(first(items[i + 1] as Term))[0] : limit;
        const n0 = this.lines.length;
        if (Array.isArray(it)) {
          this.term(it[0], indent + 1, this.tx.rows(it[1])[0], 'item');
          this.w(': ');
          this.term(it[1], indent + 1, next, 'item');
        } else this.term(it, indent + 1, next, 'item');
        this.w(',');
        i++;
        if (this.lines.length !== n0 || !grouped || i >= items.length || rowOf(items[i] as Term) !== row) break;
        this.w(' ');
      }
      this.end();
    }
    this.trail(limit);
    this.ownComments(limit, indent + 1, minCol, false);
    this.start(indent);
    this.w(close);
  }

  private rowsRule(r: Rule): [number, number] {
    const lo = Math.min(r.loc.row, r.head.loc.row, ...r.head.ref.map((t) => this.tx.rows(t)[0]));
    return [lo, lo];
  }
}

/** The parser gives body-less rules (`p := 1`, `default p := 1`, `else := 2`) the body `true`,
 *  located at the rule's own start; a `true` the author wrote stands further right. */
function generatedBody(r: Rule): boolean {
  const e = r.body[0];
  if (r.body.length !== 1 || !e || e.kind !== 'term' || e.negated || e.with.length > 0) return false;
  if (e.term.type !== 'boolean' || !e.term.value) return false;
  const at = (l: { row: number; col: number }) => l.row === e.loc.row && l.col === e.loc.col;
  return at(r.loc) || at(r.head.loc) || (r.head.value !== null && at(r.head.value.loc));
}

/** `f(1)` alone gets the value `true` located at the head itself. */
function generatedValue(r: Rule): boolean {
  const v = r.head.value;
  return v !== null && v.type === 'boolean' && v.value && v.loc.row === r.head.loc.row && v.loc.col === r.head.loc.col;
}
