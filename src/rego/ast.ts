// The Rego abstract syntax tree, as the parser produces it and the compiler consumes it.
// Shapes follow OPA's ast package: terms, expressions, bodies, rules, modules.
import type { Location } from './errors.js';

export type { Location };

export type Term =
  | { type: 'null'; loc: Location }
  | { type: 'boolean'; value: boolean; loc: Location }
  /** `raw` keeps the literal text (OPA keeps numbers arbitrary-precision; we evaluate doubles). */
  | { type: 'number'; value: number; raw: string; loc: Location }
  | { type: 'string'; value: string; loc: Location }
  /** Wildcards `_` are given unique names `$N` by the parser. */
  | { type: 'var'; name: string; loc: Location }
  /** head is a var (input, data, x) or a non-ref term (e.g. `[1,2][0]`, `f(x).y`); path items are
   *  terms (`.x` becomes a string term, `[e]` the term e). */
  | { type: 'ref'; head: Term; path: Term[]; loc: Location }
  | { type: 'array'; items: Term[]; loc: Location }
  | { type: 'object'; items: [Term, Term][]; loc: Location }
  | { type: 'set'; items: Term[]; loc: Location }
  | { type: 'arraycomp'; term: Term; body: Body; loc: Location }
  | { type: 'setcomp'; term: Term; body: Body; loc: Location }
  | { type: 'objectcomp'; key: Term; value: Term; body: Body; loc: Location }
  /** A call: `f(x)`, `a.b.c(x)`, and every operator (`x + 1` is plus(x, 1), `x == y` is equal(x, y),
   *  `x in xs` is internal.member_2(x, xs), `k, v in xs` is internal.member_3(k, v, xs)).
   *  `name` is the dotted operator name as written ("count", "data.lib.f", "plus"). */
  | { type: 'call'; name: string; operator: Term; args: Term[]; loc: Location }
  /** `$"...{expr}..."`: string parts are literal text, term parts are interpolated expressions.
   *  An interpolated expression with `with` modifiers (`{a with input as 1}`) is kept as an Expr. */
  | { type: 'template'; parts: (string | Term | Expr)[]; loc: Location };

/** Operators → builtin names, as OPA names them. */
export const INFIX_BUILTINS: Record<string, string> = {
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '&': 'and',
  '|': 'or',
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
};

export interface With {
  /** `input...`, `data...` or a function/builtin ref. */
  target: Term;
  value: Term;
  loc: Location;
}

export type ExprBody =
  /** A term on its own: `input.admin`, `count(x) > 1` (a call term), `f(x)`. */
  | { kind: 'term'; term: Term }
  | { kind: 'unify'; left: Term; right: Term } // `=`
  | { kind: 'assign'; left: Term; right: Term } // `:=`
  /** `some x, y` */
  | { kind: 'some'; vars: Term[] }
  /** `some v in xs` / `some k, v in xs` */
  | { kind: 'somein'; key: Term | null; value: Term; collection: Term }
  /** `every v in xs { ... }` / `every k, v in xs { ... }` */
  | { kind: 'every'; key: Term | null; value: Term; domain: Term; body: Body };

export type Expr = ExprBody & { negated: boolean; with: With[]; loc: Location };

export type Body = Expr[];

export type RuleKind = 'complete' | 'partial_set' | 'partial_object' | 'function';

export interface RuleHead {
  /** The rule's name path: `p`, `a.b.c`, `a.b[x]` (a ref head). First term is a var. */
  ref: Term[];
  /** Function arguments (kind 'function'). */
  args: Term[] | null;
  /** Partial set member (`p contains x`). */
  key: Term | null;
  /** Value (`p := 1`, `p = 1`, `p[k] := v`, `f(x) := y`); null means `true`. */
  value: Term | null;
  assign: boolean;
  loc: Location;
}

export interface Rule {
  kind: RuleKind;
  default: boolean;
  head: RuleHead;
  /** An empty body is `true`. */
  body: Body;
  /** The next rule in an `else` chain (shares the head ref; its own value and body). */
  else: Rule | null;
  annotations: Annotations | null;
  loc: Location;
}

export interface Import {
  /** `data.x.y`, `input.z`, `rego.v1`, `future.keywords.in` */
  path: Term;
  alias: string | null;
  loc: Location;
}

/** A `# METADATA` comment block, parsed from YAML. */
export interface Annotations {
  scope: 'package' | 'subpackages' | 'rule' | 'document';
  /** Every field as written (title, description, custom, authors, ...). */
  fields: Record<string, unknown>;
  loc: Location;
}

export interface Comment {
  text: string;
  loc: Location;
}

export interface Module {
  file: string;
  /** Path below `data`: `package a.b` → ["a", "b"]. */
  package: string[];
  packageLoc: Location;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  annotations: Annotations[];
}
