// Rego terms: scalars, strings and template strings, arrays, sets, objects, comprehensions, refs
// and calls. Comprehension bodies and bracketed expressions come from the expression layer
// (parser-exprs.ts) through the abstract methods. A cache keyed by token position makes re-parsing a
// term after backtracking (comprehension vs. `|`, set vs. object) free, keeping parsing linear.
import type { Body, Expr, Term } from './ast.js';
import type { Location } from './errors.js';
import { KEYWORDS, type TokType } from './lexer.js';
import { Cursor, ParseFail, refString, type SavedState, valueName } from './parser-base.js';

export abstract class TermParser extends Cursor {
  protected abstract parseBody(end: TokType): Body;
  protected abstract parseLiteral(): Expr;
  protected abstract parseTermInfixCall(): Term;
  protected abstract parseTermInfixCallInList(): Term;

  /** One term with its ref/call suffixes; leaves the cursor on the token after it. */
  protected parseTerm(): Term {
    const start = this.i;
    const hit = this.cache.get(start);
    if (hit) {
      if (hit.fail) throw hit.fail;
      this.i = hit.i;
      this.wildcard = Math.max(this.wildcard, hit.w);
      return hit.term!;
    }
    this.enter();
    try {
      const term = this.parseTermFinish(this.parseTermHead());
      this.cache.set(start, { term, i: this.i, w: this.wildcard });
      return term;
    } catch (e) {
      if (e instanceof ParseFail) this.cache.set(start, { fail: e, i: start, w: 0 });
      throw e;
    } finally {
      this.leave();
    }
  }

  /** The term starting at the cursor; leaves the cursor on the term's last token. */
  private parseTermHead(): Term {
    const t = this.tok;
    const loc = this.loc();
    switch (t.t) {
      case 'null':
        return { type: 'null', loc };
      case 'true':
      case 'false':
        return { type: 'boolean', value: t.t === 'true', loc };
      case '-':
      case '.':
      case 'number':
        return this.parseNumber();
      case 'string':
        return { type: 'string', value: t.lit, loc };
      case 'tmpl':
        return this.parseTemplate();
      case 'ident':
      case 'contains':
        return this.parseVar();
      case '[':
        return this.parseArray();
      case '{':
        return this.parseSetOrObject();
      case '(': {
        this.next();
        const inner = this.parseTermInfixCall();
        if (this.tok.t !== ')') this.fail('non-terminated expression');
        return inner;
      }
      default:
        return this.illegal('');
    }
  }

  private parseTermFinish(head: Term): Term {
    this.next();
    const t = this.tok;
    if (!t.ws && (t.t === '(' || t.t === '.' || t.t === '[')) return this.parseRef(head, false);
    return rootRef(head);
  }

  /** Ref and call suffixes after `head`; the cursor is on the first `.`, `[` or `(`. */
  protected parseRef(head: Term, allowLeadingWs: boolean): Term {
    if (!REF_HEADS.has(head.type)) this.fail(`illegal ref (head cannot be ${valueName(head)})`, head.loc);
    const path: Term[] = [];
    const loc = head.loc;
    const ref = (): Term => (path.length === 0 ? rootRef(head) : { type: 'ref', head, path, loc });
    for (let first = true; ; first = false) {
      const t = this.tok;
      if (t.ws && !(first && allowLeadingWs)) return ref();
      switch (t.t) {
        case '.': {
          this.next();
          const f = this.tok;
          if (f.ws) this.fail('unexpected whitespace token: expected ident', { file: this.file, row: t.row, col: t.col + 1 });
          if (f.t !== 'ident' && !KEYWORDS.has(f.t)) this.illegal('expected ident');
          path.push({ type: 'string', value: f.lit, loc: this.loc(f) });
          this.next();
          break;
        }
        case '[': {
          this.next();
          const key = this.parseTermInfixCall();
          if (this.tok.t !== ']') this.illegal('expected ]');
          path.push(key);
          this.next();
          break;
        }
        case '(': {
          const operator: Term = { type: 'ref', head, path, loc };
          const call = this.parseCall(operator);
          const n = this.tok;
          if (!n.ws && (n.t === '.' || n.t === '[')) return this.parseRef(call, false);
          return call;
        }
        default:
          return ref();
      }
    }
  }

  /** Call arguments; the cursor is on `(` and ends after `)`. */
  private parseCall(operator: Term & { type: 'ref' }): Term {
    {
      this.next();
      let args: Term[] = [];
      if (this.tok.t !== ')') args = this.parseTermList(')');
      this.next();
      if (args.length === 0 && operator.path.length === 0 && operator.head.type === 'var' && operator.head.name === 'set') {
        return { type: 'set', items: [], loc: operator.loc };
      }
      return { type: 'call', name: refString(operator), operator, args, loc: operator.loc };
    }
  }

  private parseNumber(): Term {
    const loc = this.loc();
    let prefix = '';
    if (this.tok.t === '-') {
      prefix = '-';
      this.next();
      if (this.tok.t !== 'number' && this.tok.t !== '.') this.illegal('expected number');
    }
    if (this.tok.t === '.') {
      prefix += '.';
      this.next();
      if (this.tok.t !== 'number') this.illegal('expected number');
    }
    const lit = this.tok.lit;
    if (!prefix.endsWith('.') && lit.length > 1 && lit[0] === '0') {
      const decimal = lit[1] === '.';
      const scientific = lit.length > 2 && (lit[1] === 'e' || lit[1] === 'E');
      if (!decimal && !scientific) this.illegal('expected number without leading zero');
    }
    const raw = prefix + lit;
    if (!NUMBER_RE.test(raw)) this.illegal('invalid float');
    if (Math.abs(decimalExponent(raw)) > MAX_DECIMAL_EXPONENT) this.fail('number too big');
    return { type: 'number', value: Number(raw), raw, loc };
  }

  private parseTemplate(): Term {
    const loc = this.loc();
    const parts: (string | Term | Expr)[] = [];
    for (;;) {
      const t = this.tok;
      if (t.lit !== '') parts.push(t.lit);
      if (t.end) break;
      this.next();
      const expr = this.parseLiteral();
      const bad = templateExprError(expr);
      if (bad) this.fail(bad, expr.loc);
      parts.push(expr.kind === 'term' && expr.with.length === 0 ? expr.term : expr);
      if (this.tok.t !== '}') this.fail('expected } to end template string expression');
      this.next();
      if (this.tok.t !== 'tmpl') this.illegal('expected template-string part');
    }
    return { type: 'template', parts, loc };
  }

  private parseArray(): Term {
    {
      const loc = this.loc();
      this.next();
      if (this.tok.t === ']') return { type: 'array', items: [], loc };
      let potentialComprehension = true;
      // A leading comma (`[, x]`) is tolerated, as in OPA.
      if (this.tok.t === ',') {
        potentialComprehension = false;
        this.next();
      }
      const s = this.save();
      // A plain term first: `[x | ...]` is a comprehension, not a binary `or`.
      const head = this.parseTerm();
      switch (this.tok.t) {
        case ']':
          return { type: 'array', items: [head], loc };
        case ',':
          this.next();
          return { type: 'array', items: [head, ...this.parseTermList(']')], loc };
        case '|':
          if (potentialComprehension) {
            const body = this.tryComprehensionBody(']');
            if (body) return { type: 'arraycomp', term: head, body, loc };
          }
      }
      this.restore(s);
      return { type: 'array', items: this.parseTermList(']'), loc };
    }
  }

  /** After `head |`: the comprehension body, or null when it fails at a comma (then it is a list). */
  private tryComprehensionBody(end: TokType): Body | null {
    this.next();
    try {
      return this.parseBody(end);
    } catch (e) {
      if (e instanceof ParseFail && this.tok.t === ',') return null;
      throw e;
    }
  }

  private parseSetOrObject(): Term {
    {
      const loc = this.loc();
      this.next();
      if (this.tok.t === '}') return { type: 'object', items: [], loc };
      let potentialComprehension = true;
      if (this.tok.t === ',') {
        potentialComprehension = false;
        this.next();
      }
      const s = this.save();
      let head = this.parseTerm();
      switch (this.tok.t) {
        case '|':
          if (potentialComprehension) return this.parseSet(s, head, true, loc);
          break;
        case '}':
        case ',':
          return this.parseSet(s, head, potentialComprehension, loc);
        case ':':
          return this.parseObject(head, potentialComprehension, loc);
      }
      this.restore(s);
      head = this.parseTermInfixCallInList();
      switch (this.tok.t) {
        case '}':
        case ',':
          return this.parseSet(s, head, false, loc);
        case ':':
          return this.parseObject(head, potentialComprehension, loc);
      }
      return this.illegal('non-terminated set');
    }
  }

  private parseSet(s: SavedState, head: Term, potentialComprehension: boolean, loc: Location): Term {
    switch (this.tok.t) {
      case '}':
        return { type: 'set', items: [head], loc };
      case ',':
        this.next();
        return { type: 'set', items: [head, ...this.parseTermList('}')], loc };
      default: {
        if (potentialComprehension) {
          const body = this.tryComprehensionBody('}');
          if (body) return { type: 'setcomp', term: head, body, loc };
        }
        this.restore(s);
        return { type: 'set', items: this.parseTermList('}'), loc };
      }
    }
  }

  /** The cursor is on the `:` after the first key. */
  private parseObject(key: Term, potentialComprehension: boolean, loc: Location): Term {
    this.next();
    const s = this.save();
    const value = this.parseTerm();
    let compFail: unknown = null;
    if (potentialComprehension) {
      const t = this.tok.t;
      if (t === '}' || t === ',') return this.objectFinish(key, value, loc);
      if (t === '|') {
        this.next();
        try {
          return { type: 'objectcomp', key, value, body: this.parseBody('}'), loc };
        } catch (e) {
          if (!(e instanceof ParseFail)) throw e;
          compFail = e;
        }
      }
    }
    this.restore(s);
    try {
      const v = this.parseTermInfixCallInList();
      if (this.tok.t === '}' || this.tok.t === ',') return this.objectFinish(key, v, loc);
      return this.illegal('non-terminated object');
    } catch (e) {
      // When `{k: v | ...}` was a broken comprehension, its error is the more useful one.
      throw compFail ?? e;
    }
  }

  private objectFinish(key: Term, value: Term, loc: Location): Term {
    if (this.tok.t === '}') return { type: 'object', items: [[key, value]], loc };
    this.next();
    return { type: 'object', items: [[key, value], ...this.parseTermPairList('}')], loc };
  }

  /** Comma-separated terms up to `end` (trailing comma allowed); the cursor ends on `end`. */
  private parseTermList(end: TokType): Term[] {
    const out: Term[] = [];
    if (this.tok.t === end) return out;
    for (;;) {
      out.push(this.parseTermInfixCallInList());
      if (this.tok.t === end) return out;
      if (this.tok.t !== ',') this.illegal(`expected "," or "${end}"`);
      this.next();
      if (this.tok.t === end) return out;
    }
  }

  private parseTermPairList(end: TokType): [Term, Term][] {
    const out: [Term, Term][] = [];
    if (this.tok.t === end) return out;
    for (;;) {
      const k = this.parseTermInfixCallInList();
      if (this.tok.t !== ':') this.illegal('expected ":"');
      this.next();
      out.push([k, this.parseTermInfixCallInList()]);
      if (this.tok.t === end) return out;
      if (this.tok.t !== ',') this.illegal(`expected "," or "${end}"`);
      this.next();
      if (this.tok.t === end) return out;
    }
  }
}

const REF_HEADS = new Set<Term['type']>(['var', 'array', 'object', 'set', 'arraycomp', 'setcomp', 'objectcomp', 'call']);

const NUMBER_RE = /^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;

/** OPA rejects numbers whose binary exponent exceeds 1e5 (about 30103 decimal digits). */
const MAX_DECIMAL_EXPONENT = 30103;

function decimalExponent(raw: string): number {
  const m = /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return 0;
  const int = m[1] ?? '';
  const frac = m[2] ?? '';
  const exp = m[3] ? Number(m[3]) : 0;
  const digits = int + frac;
  const k = digits.search(/[1-9]/);
  if (k < 0) return 0;
  return int.length - 1 - k + exp;
}

/** `input` and `data` on their own are refs. */
function rootRef(t: Term): Term {
  if (t.type === 'var' && (t.name === 'input' || t.name === 'data')) return { type: 'ref', head: t, path: [], loc: t.loc };
  return t;
}

function templateExprError(e: Expr): string | null {
  if (e.negated) return "unexpected negation ('not') in template-string expression";
  switch (e.kind) {
    case 'unify':
      return "unexpected unification ('=') in template-string expression";
    case 'assign':
      return "unexpected assignment (':=') in template-string expression";
    case 'every':
      return "unexpected 'every' in template-string expression";
    case 'some':
    case 'somein':
      return "unexpected 'some' in template-string expression";
    default:
      return null;
  }
}
