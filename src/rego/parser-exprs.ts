// Rego expressions, literals and bodies, following OPA 1.x's grammar and precedence:
// `in` < relations (== != < > <= >=) < `|` < `&` < `+ -` < `* / %`, all left-associative.
import { type Body, type Expr, INFIX_BUILTINS, type Term, type With } from './ast.js';
import type { Location } from './errors.js';
import type { TokType } from './lexer.js';
import { ParseFail } from './parser-base.js';
import { TermParser } from './parser-terms.js';

const RELATION_OPS = new Set<TokType>(['==', '!=', '<', '>', '<=', '>=']);
const ARITH_OPS = new Set<TokType>(['+', '-']);
const FACTOR_OPS = new Set<TokType>(['*', '/', '%']);
const OR_OPS = new Set<TokType>(['|']);
const AND_OPS = new Set<TokType>(['&']);

export class ExprParser extends TermParser {
  /** Literals up to `end` (the cursor is left on `end`). */
  protected parseBody(end: TokType): Body {
    this.enter();
    try {
      return this.parseQuery(false, end);
    } finally {
      this.leave();
    }
  }

  protected parseQuery(requireSemi: boolean, end: TokType): Body {
    if (this.tok.t === end) this.fail('found empty body');
    const body: Body = [];
    for (;;) {
      body.push(this.parseLiteral());
      if (this.tok.t === ';') {
        this.next();
        continue;
      }
      if (this.tok.t === end || requireSemi) return body;
      if (!this.tok.nl) this.illegal(`expected \\n or ; or ${end}`);
    }
  }

  protected parseLiteral(): Expr {
    this.enter();
    try {
      const loc = this.loc();
      let negated = false;
      if (this.tok.t === 'not') {
        this.next();
        negated = true;
      }
      if (this.tok.t === 'some') {
        if (negated) this.illegal("illegal negation of 'some'");
        return this.parseSome(loc);
      }
      if (this.tok.t === 'every') {
        if (negated) this.illegal("illegal negation of 'every'");
        return this.parseEvery(loc);
      }
      const expr = this.parseExpr(negated, loc);
      if (this.tok.t === 'with') expr.with = this.parseWith();
      return expr;
    } finally {
      this.leave();
    }
  }

  private parseExpr(negated: boolean, loc: Location): Expr {
    const lhs = this.parseTermInfixCall();
    const op = this.tok.t;
    if (op === ':=' || op === '=') {
      this.next();
      const rhs = this.parseTermInfixCall();
      return { kind: op === ':=' ? 'assign' : 'unify', left: lhs, right: rhs, negated, with: [], loc };
    }
    return { kind: 'term', term: lhs, negated, with: [], loc };
  }

  private parseWith(): With[] {
    const withs: With[] = [];
    for (;;) {
      const loc = this.loc();
      this.next();
      if (this.tok.t !== 'ident') this.illegal('expected ident');
      const target = this.parseTerm();
      if (target.type !== 'ref' && target.type !== 'var') this.illegal('expected with target path');
      if ((this.tok.t as string) !== 'as') this.illegal('expected as keyword');
      this.next();
      const value = this.parseTermInfixCall();
      withs.push({ target, value, loc });
      if (this.tok.t !== 'with') return withs;
    }
  }

  private parseSome(loc: Location): Expr {
    const s = this.save();
    this.next();
    let term: Term | null = null;
    try {
      term = this.parseTermInfixCall();
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
    }
    if (term?.type === 'call') {
      const m = memberParts(term);
      if (m === 'domain') this.illegal('illegal domain');
      if (m === null) this.illegal('expected `x in xs` or `x, y in xs` expression');
      const expr: Expr = { kind: 'somein', key: m.key, value: m.value, collection: m.domain, negated: false, with: [], loc };
      if (this.tok.t === 'with') expr.with = this.parseWith();
      return expr;
    }
    // `some x, y`: a list of variables.
    this.restore(s);
    const vars: Term[] = [];
    for (;;) {
      this.next();
      if (this.tok.t !== 'ident') this.illegal('expected var');
      vars.push(this.parseVar());
      this.next();
      if ((this.tok.t as string) !== ',') break;
    }
    return { kind: 'some', vars, negated: false, with: [], loc };
  }

  private parseEvery(loc: Location): Expr {
    this.next();
    const term = this.parseTermInfixCall();
    const m = term.type === 'call' ? memberParts(term) : null;
    if (m === 'domain') this.illegal('illegal domain');
    if (m === null) this.illegal('expected `x[, y] in xs { ... }` expression');
    if (m.key && m.key.type !== 'var') this.illegal('expected key to be a variable');
    if (m.value.type !== 'var') this.illegal('expected value to be a variable');
    if (this.tok.t !== '{') this.illegal('missing body');
    this.next();
    const body = this.parseBody('}');
    this.next();
    const expr: Expr = { kind: 'every', key: m.key, value: m.value, domain: m.domain, body, negated: false, with: [], loc };
    if (this.tok.t === 'with') expr.with = this.parseWith();
    return expr;
  }

  // ---- infix expressions ----

  /** A term with infix operators, including `x in xs` and `k, v in xs`. */
  protected parseTermInfixCall(): Term {
    this.enter();
    try {
      return this.parseTermIn(null, true);
    } finally {
      this.leave();
    }
  }

  /** Same, inside a comma-separated list (no `k, v in xs`). */
  protected parseTermInfixCallInList(): Term {
    this.enter();
    try {
      return this.parseTermIn(null, false);
    } finally {
      this.leave();
    }
  }

  private parseTermIn(lhs: Term | null, keyVal: boolean): Term {
    for (;;) {
      const left: Term = lhs ?? this.parseBinary(0);
      let call: Term | null = null;
      if (keyVal && this.tok.t === ',') {
        // Maybe `k, v in xs`; otherwise the comma belongs to someone else.
        const s = this.save();
        try {
          this.next();
          const mhs = this.parseBinary(0);
          if (this.tok.t === 'in') {
            const opLoc = this.loc();
            this.next();
            call = memberCall('member_3', [left, mhs, this.parseBinary(0)], opLoc, left.loc);
          }
        } catch (e) {
          if (!(e instanceof ParseFail)) throw e;
        }
        if (!call) this.restore(s);
      }
      if (!call && this.tok.t === 'in') {
        const opLoc = this.loc();
        this.next();
        call = memberCall('member_2', [left, this.parseBinary(0)], opLoc, left.loc);
      }
      if (!call) return left;
      if (this.tok.t !== 'in') return call;
      lhs = call;
    }
  }

  /** Binary operator levels, loosest first (left-associative). */
  private parseBinary(level: number): Term {
    const ops = BINARY_LEVELS[level];
    if (!ops) return this.parseTerm();
    let lhs = this.parseBinary(level + 1);
    while (ops.has(this.tok.t as TokType)) {
      const opTok = this.tok;
      this.next();
      const rhs = this.parseBinary(level + 1);
      lhs = infixCall(opTok.t as TokType, [lhs, rhs], this.loc(opTok), lhs.loc);
    }
    return lhs;
  }
}

const BINARY_LEVELS: ReadonlySet<TokType>[] = [RELATION_OPS, OR_OPS, AND_OPS, ARITH_OPS, FACTOR_OPS];

function infixCall(op: TokType, args: Term[], opLoc: Location, loc: Location): Term {
  const name = INFIX_BUILTINS[op]!;
  return {
    type: 'call',
    name,
    operator: { type: 'ref', head: { type: 'var', name, loc: opLoc }, path: [], loc: opLoc },
    args,
    loc,
  };
}

function memberCall(fn: 'member_2' | 'member_3', args: Term[], opLoc: Location, loc: Location): Term {
  return {
    type: 'call',
    name: `internal.${fn}`,
    operator: {
      type: 'ref',
      head: { type: 'var', name: 'internal', loc: opLoc },
      path: [{ type: 'string', value: fn, loc: opLoc }],
      loc: opLoc,
    },
    args,
    loc,
  };
}

/** The parts of an `x in xs` / `k, v in xs` call; 'domain' for a member call of the wrong arity. */
function memberParts(t: Term): { key: Term | null; value: Term; domain: Term } | 'domain' | null {
  if (t.type !== 'call') return null;
  if (t.name === 'internal.member_2') {
    return t.args.length === 2 ? { key: null, value: t.args[0]!, domain: t.args[1]! } : 'domain';
  }
  if (t.name === 'internal.member_3') {
    return t.args.length === 3 ? { key: t.args[0]!, value: t.args[1]!, domain: t.args[2]! } : 'domain';
  }
  return null;
}
