// The Rego v1 parser: modules (package, imports, rules), queries and single terms, as OPA 1.x parses
// them. Terms and expressions are parsed in parser-terms.ts and parser-exprs.ts; this file adds the
// statements and the v1 checks (`if` before bodies, `contains` for partial sets). Every error is a
// RegoError with code rego_parse_error and a location, thrown together as RegoErrors.
import { attachAnnotations, parseAnnotationBlocks } from './annotations.js';
import type { Body, Expr, Import, Module, Rule, RuleHead, Term } from './ast.js';
import { type Location, RegoError, RegoErrors } from './errors.js';
import { KEYWORDS } from './lexer.js';
import { ParseFail, refString, valueName } from './parser-base.js';
import { ExprParser } from './parser-exprs.js';
import { checkV1, findVarRefCall, isGround, type RuleFlags, ruleFromBody, ruleKind, type Stmt } from './parser-rules.js';

export type { RuleFlags } from './parser-rules.js';

export { MAX_NESTING_DEPTH } from './parser-base.js';

const ROOTS = new Set(['data', 'input', 'future', 'rego']);
const FUTURE_KEYWORDS = ['contains', 'every', 'if', 'in'];
const OPERATOR_TOKENS = new Set(['+', '-', '*', '/', '%', '&', '|', '==', '!=', '<', '>', '<=', '>=']);

interface HeadInfo {
  head: RuleHead;
  contains: boolean;
  generatedValue: boolean;
}

class Parser extends ExprParser {
  readonly flags = new Map<Rule, RuleFlags>();

  statements(skipRules: boolean): Stmt[] {
    this.start();
    const out: Stmt[] = [];
    while (this.tok.t !== 'eof') {
      const s = this.save();
      const pkg = this.parsePackage();
      if (pkg) {
        out.push(pkg);
        continue;
      }
      const imp = this.parseImport();
      if (imp) {
        out.push({ kind: 'import', imp });
        continue;
      }
      if (!skipRules) {
        const rules = this.parseRules();
        if (rules) {
          for (const rule of rules) out.push({ kind: 'rule', rule });
          continue;
        }
        this.restore(s);
      }
      const body = this.parseQuery(true, 'eof');
      out.push({ kind: 'body', body });
    }
    return out;
  }

  where(): Location {
    return this.loc();
  }

  comments() {
    return this.lexComments.map((c) => ({ text: c.text, loc: { file: this.file, row: c.row, col: c.col } }));
  }

  private parsePackage(): Stmt | null {
    if (this.tok.t !== 'package') return null;
    const loc = this.loc();
    this.next();
    // Any keyword may name the first path element (`package not.foo`, `package in`).
    if (this.tok.t !== 'ident' && !KEYWORDS.has(this.tok.t)) this.illegal('');
    this.tok.t = 'ident';
    const term = this.parseTerm();
    const path: string[] = [];
    if (term.type === 'var') path.push(term.name);
    else if (term.type === 'ref') {
      if (term.head.type !== 'var') this.fail(`unexpected ${valueName(term.head)} token: expecting var`, term.head.loc);
      path.push(term.head.name);
      for (const p of term.path) {
        if (p.type !== 'string') this.fail(`unexpected ${valueName(p)} token: expecting string`, p.loc);
        path.push(p.value);
      }
    } else this.illegal('');
    return { kind: 'package', path, loc };
  }

  private parseImport(): Import | null {
    if (this.tok.t !== 'import') return null;
    const loc = this.loc();
    this.next();
    if (this.tok.t !== 'ident' && !KEYWORDS.has(this.tok.t)) this.illegal('');
    this.tok.t = 'ident';
    const term = this.parseTerm();
    let path: Term & { type: 'ref' };
    if (term.type === 'var') path = { type: 'ref', head: term, path: [], loc: term.loc };
    else if (term.type === 'ref' && term.head.type === 'var') {
      for (const p of term.path) {
        if (p.type !== 'string') this.fail(`unexpected ${valueName(p)} token: expecting string`, p.loc);
      }
      path = term;
    } else return this.fail('expected path');
    const root = (path.head as { name: string }).name;
    if (!ROOTS.has(root)) {
      this.fail(
        `unexpected import path, must begin with one of: {data, future, input, rego}, got: ${root} (hint: if this is unexpected, try updating OPA)`,
        path.loc,
      );
    }
    let alias: string | null = null;
    if (this.tok.t === 'as') {
      this.next();
      if (this.tok.t !== 'ident') this.illegal('expected var');
      const a = this.parseTerm();
      if (a.type !== 'var') this.illegal('expected var');
      alias = a.name;
    } else {
      const last = path.path[path.path.length - 1];
      const name = last ? (last as { value: string }).value : root;
      if ((!last || root !== 'future') && KEYWORDS.has(name)) {
        this.fail(
          `unexpected import path, must not end with a keyword, got: ${name} (hint: import a different path or use an alias)`,
          last?.loc ?? path.loc,
        );
      }
    }
    const names = path.path.map((p) => (p as { value: string }).value);
    if (root === 'rego' && (names.length !== 1 || names[0] !== 'v1')) {
      this.fail(`invalid import \`${refString(path)}\`, must be \`rego.v1\``, path.loc);
    }
    if (root === 'future') {
      if (names[0] !== 'keywords') this.fail('invalid import, must be `future.keywords`', path.loc);
      if (alias !== null) this.fail('`future` imports cannot be aliased', path.loc);
      if (names.length === 2 && !FUTURE_KEYWORDS.includes(names[1]!)) {
        this.fail(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(' ')}]`, path.loc);
      }
    }
    return { path, alias, loc };
  }

  /** Rules starting at the cursor, or null when this is not a rule (then it is tried as a body). */
  private parseRules(): Rule[] | null {
    const loc = this.loc();
    let isDefault = false;
    if (this.tok.t === 'default') {
      this.next();
      isDefault = true;
    }
    if (this.tok.t !== 'ident') return null;
    const h = this.parseHead();
    if (!h) return null;
    const { head } = h;
    if (isDefault) {
      this.validateDefault(head, loc);
      return [
        this.rule(head, [trueExpr(loc)], loc, true, {
          hasIf: false,
          hasContains: false,
          generatedBody: true,
          generatedValue: false,
        }),
      ];
    }
    const hasIf = this.tok.t === 'if';
    let generatedValue = h.generatedValue;
    if (!h.contains && head.ref.length === 2 && head.args === null) {
      if (hasIf) {
        // `p[x] if ...` is a single-value rule on the ref p[x].
        if (head.value === null) generatedValue = true;
      } else if (head.value === null) {
        // `p[x] { ... }`: the v0 partial set (rejected below by the v1 checks).
        head.key = head.ref.pop()!;
      }
    }
    const flags: RuleFlags = { hasIf, hasContains: h.contains, generatedBody: false, generatedValue };
    let body: Body;
    if (hasIf) {
      this.next();
      body = this.parseIfBody();
    } else if (this.tok.t === '{') {
      this.next();
      body = this.parseBody('}');
      this.next();
    } else if (h.contains) {
      flags.generatedBody = true;
      return [this.rule(head, [trueExpr(head.loc)], head.loc, false, flags)];
    } else {
      return null;
    }
    const rule = this.rule(head, body, loc, false, flags);
    if (this.tok.t === 'else') {
      if (head.ref.length > 1 && !head.ref.slice(1).every(isGround)) {
        this.fail('else keyword cannot be used on rules with variables in head');
      }
      if (head.key !== null) this.fail('else keyword cannot be used on multi-value rules');
      rule.else = this.parseElse(rule);
    }
    const rules = [rule];
    // More bodies for the same head: `p if { a } { b }`.
    while (this.tok.t === '{') {
      if (rule.else) this.fail('expected else keyword');
      const bloc = this.loc();
      this.next();
      const b = this.parseBody('}');
      this.next();
      const copy: RuleHead = { ...head, args: this.freshWildcards(head.args), loc: bloc };
      rules.push(this.rule(copy, b, bloc, false, { ...flags }));
    }
    return rules;
  }

  /** After `if`: one literal (`p if x > 1`), or a braced body; `{ x }` alone is a body, not a set. */
  private parseIfBody(): Body {
    const s = this.save();
    let literalError: unknown = null;
    try {
      const expr = this.parseLiteral();
      if (!(expr.kind === 'term' && expr.term.type === 'set')) return [expr];
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      literalError = e;
    }
    this.restore(s);
    if (this.tok.t !== '{') throw literalError ?? this.illegal('');
    this.next();
    const body = this.parseBody('}');
    this.next();
    return body;
  }

  private parseElse(parent: Rule): Rule {
    const loc = this.loc();
    const head: RuleHead = { ...parent.head, args: this.freshWildcards(parent.head.args), value: null, assign: false, loc };
    const flags: RuleFlags = { hasIf: false, hasContains: false, generatedBody: false, generatedValue: false };
    this.next();
    const t = this.tok.t;
    if (t === '{' || t === 'if') {
      flags.generatedValue = true;
    } else if (t === '=' || t === ':=') {
      head.assign = t === ':=';
      this.next();
      head.value = this.parseTermInfixCall();
    } else {
      this.illegal('expected else value term or rule body');
    }
    let body: Body;
    if (this.tok.t !== 'if' && this.tok.t !== '{') {
      flags.generatedBody = true;
      body = [trueExpr(loc)];
    } else {
      if (this.tok.t === 'if') {
        flags.hasIf = true;
        this.next();
      }
      if (this.tok.t === '{') {
        this.next();
        body = this.parseBody('}');
        this.next();
      } else if (this.tok.t !== 'eof') {
        body = [this.parseLiteral()];
      } else {
        this.illegal('rule body expected');
      }
    }
    const rule = this.rule(head, body, loc, false, flags);
    rule.kind = parent.kind;
    if (this.tok.t === 'else') rule.else = this.parseElse(parent);
    return rule;
  }

  private parseHead(): HeadInfo | null {
    const loc = this.loc();
    const name = this.parseVar();
    this.next();
    if (!this.tok.ws && OPERATOR_TOKENS.has(this.tok.t)) this.illegal('');
    let term: Term = name;
    const t = this.tok.t;
    // Unlike in terms, whitespace may precede the head's `[`, `.` or `(`.
    if (t === '(' || t === '.' || t === '[') term = this.parseRef(name, true);
    const head: RuleHead = { ref: [], args: null, key: null, value: null, assign: false, loc };
    if (term.type === 'var') head.ref = [term];
    else if (term.type === 'ref' && term.head.type === 'var') head.ref = [term.head, ...term.path];
    else if (term.type === 'call' && term.operator.type === 'ref' && term.operator.head.type === 'var') {
      head.ref = [term.operator.head, ...term.operator.path];
      head.args = term.args;
    } else if (term.type === 'ref' || term.type === 'call') {
      this.illegal(`rule head ref ${refString(term)} invalid`);
    } else {
      return null;
    }
    const ruleName = refString({ type: 'ref', head: head.ref[0]!, path: head.ref.slice(1), loc });
    switch (this.tok.t) {
      case 'contains':
        if (head.args) {
          this.illegal(
            `the contains keyword can only be used with multi-value rule definitions (e.g., ${ruleName} contains <VALUE> { ... })`,
          );
        }
        this.next();
        head.key = this.parseTermInfixCall();
        return { head, contains: true, generatedValue: false };
      case '=':
        this.next();
        head.value = this.parseTermInfixCall();
        break;
      case ':=':
        this.next();
        head.assign = true;
        head.value = this.parseTermInfixCall();
        break;
    }
    const generatedValue = head.value === null && (head.ref.length !== 2 || head.args !== null);
    return { head, contains: false, generatedValue };
  }

  private validateDefault(head: RuleHead, loc: Location): void {
    if (head.value === null) this.fail('illegal default rule (must have a value)', loc);
    const bad = findVarRefCall(head.value);
    if (bad) this.fail(`illegal default rule (value cannot contain ${bad})`, loc);
    const seen = new Set<string>();
    for (const arg of head.args ?? []) {
      if (arg.type !== 'var') this.fail(`illegal default rule (arguments cannot contain ${valueName(arg)})`, loc);
      if (seen.has(arg.name)) this.fail(`illegal default rule (arguments cannot be repeated ${arg.name})`, loc);
      seen.add(arg.name);
    }
  }

  /** Wildcard arguments get fresh names in every rule of a chain. */
  private freshWildcards(args: Term[] | null): Term[] | null {
    if (!args) return null;
    return args.map((a) => (a.type === 'var' && a.name.startsWith('$') ? { ...a, name: this.genWildcard() } : a));
  }

  rule(head: RuleHead, body: Body, loc: Location, isDefault: boolean, flags: RuleFlags): Rule {
    const rule: Rule = { kind: ruleKind(head), default: isDefault, head, body, else: null, annotations: null, loc };
    this.flags.set(rule, flags);
    return rule;
  }
}

function trueExpr(loc: Location): Expr {
  return { kind: 'term', term: { type: 'boolean', value: true, loc }, negated: false, with: [], loc };
}

function run<T>(text: string, file: string, fn: (p: Parser) => T): T {
  const p = new Parser(text, file);
  try {
    return fn(p);
  } catch (e) {
    if (e instanceof ParseFail) throw new RegoErrors([e.error]);
    // The nesting limit should trigger first; a deep caller stack may still overflow.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new RegoErrors([new RegoError('rego_parse_error', 'max parsing recursion depth exceeded', p.where())]);
    }
    throw e;
  }
}

/** Parses a Rego v1 module. Throws RegoErrors (code rego_parse_error). */
export function parseModule(text: string, file = ''): Module {
  return run(text, file, (p) => {
    const stmts = p.statements(false);
    const comments = p.comments();
    const blocks = parseAnnotationBlocks(comments, file);
    if (stmts.length === 0) throw new RegoErrors([new RegoError('rego_parse_error', 'empty module', { file, row: 1, col: 1 })]);
    const errs: RegoError[] = [];
    const first = stmts[0]!;
    if (first.kind !== 'package') errs.push(new RegoError('rego_parse_error', 'package expected', stmtLoc(first)));
    const module: Module = {
      file,
      package: first.kind === 'package' ? first.path : [],
      packageLoc: stmtLoc(first),
      imports: [],
      rules: [],
      comments,
      annotations: [],
    };
    const nodes: { row: number; kind: 'package' | 'import' | 'rule'; rule?: Rule }[] = [];
    if (first.kind === 'package') nodes.push({ row: first.loc.row, kind: 'package' });
    for (const stmt of stmts.slice(1)) {
      switch (stmt.kind) {
        case 'package':
          errs.push(new RegoError('rego_parse_error', 'unexpected package', stmt.loc));
          break;
        case 'import':
          module.imports.push(stmt.imp);
          nodes.push({ row: stmt.imp.loc.row, kind: 'import' });
          break;
        case 'rule':
          module.rules.push(stmt.rule);
          nodes.push({ row: stmt.rule.loc.row, kind: 'rule', rule: stmt.rule });
          break;
        case 'body': {
          const r = ruleFromBody(stmt.body);
          if (r instanceof RegoError) {
            errs.push(r);
            break;
          }
          const rule = p.rule(r.head, r.body, r.loc, false, r.flags);
          module.rules.push(rule);
          nodes.push({ row: rule.loc.row, kind: 'rule', rule });
        }
      }
    }
    for (const rule of module.rules) checkV1(rule, p.flags, errs);
    if (errs.length > 0) throw new RegoErrors(errs);
    module.annotations = blocks;
    attachAnnotations(blocks, nodes);
    return module;
  });
}

function stmtLoc(s: Stmt): Location {
  switch (s.kind) {
    case 'package':
      return s.loc;
    case 'import':
      return s.imp.loc;
    case 'rule':
      return s.rule.loc;
    case 'body':
      return s.body[0]!.loc;
  }
}

/** Parses a query: literals separated by `;` or newlines (`x := 1; y := x + 1`, `not p`, `with`). */
export function parseQuery(text: string, file = ''): Body {
  return run(text, file, (p) => {
    const out: Body = [];
    for (const stmt of p.statements(true)) {
      if (stmt.kind !== 'body') {
        throw new RegoErrors([new RegoError('rego_parse_error', `expected body but got ${stmt.kind}`, stmtLoc(stmt))]);
      }
      out.push(...stmt.body);
    }
    if (out.length === 0) throw new RegoErrors([new RegoError('rego_parse_error', 'empty query', { file, row: 1, col: 1 })]);
    return out;
  });
}

/** Alias of parseQuery, named after OPA's ParseBody. */
export const parseBody = parseQuery;

/** Parses exactly one term (`{"x": 1}`, `[1, 2]`, `data.a.b`). */
export function parseTerm(text: string, file = ''): Term {
  const body = parseQuery(text, file);
  const e = body[0]!;
  if (body.length !== 1 || e.kind !== 'term' || e.negated || e.with.length > 0 || e.term.type === 'call') {
    throw new RegoErrors([new RegoError('rego_parse_error', 'expected exactly one term', e.loc)]);
  }
  return e.term;
}
