// Compile checks after resolution: call arity (builtins and user functions), deprecated builtins,
// recursion between rules, and operand types known at compile time.
import { type Location, RegoError } from '../errors.js';
import type { TypeDecl } from '../builtins/registry.js';
import type { Node } from '../eval/tree.js';
import { typeName, type Value } from '../value.js';
import type { E, T } from './ir.js';
import type { Resolver } from './resolve.js';
import type { RRule } from './rules.js';
import { walkBody } from './walk.js';

/** Builtins Rego v1 no longer allows (OPA reports them as deprecated). */
const DEPRECATED = new Set([
  'any',
  'all',
  're_match',
  'net.cidr_overlap',
  'set_diff',
  'cast_array',
  'cast_set',
  'cast_string',
  'cast_boolean',
  'cast_null',
  'cast_object',
]);

function typeOfArg(t: T): string {
  if (t.t === 'const') return typeName(t.v);
  if (t.t === 'array' || t.t === 'set' || t.t === 'object') return t.t;
  if (t.t === 'comp') return t.kind;
  if (t.t === 'template') return 'string';
  return 'any';
}

export function checkArity(
  unit: { res: Resolver; body: E[] },
  errs: RegoError[],
  funcArity: (p: string[]) => number | null,
): void {
  walkBody(unit.body, (t) => {
    if (t.t !== 'call') return;
    const n = t.args.length;
    if (t.fn.kind === 'builtin') {
      const d = t.fn.def.decl;
      if (DEPRECATED.has(t.fn.name)) {
        errs.push(new RegoError('rego_type_error', `deprecated built-in function calls in expression: ${t.fn.name}`, t.loc));
        return;
      }
      if (d.variadic) return;
      if (n !== d.args.length && n !== d.args.length + 1) {
        const have = t.args.map(typeOfArg).join(', ');
        const want = d.args.map((a) => (Array.isArray(a) ? `any<${a.join(', ')}>` : a)).join(', ');
        errs.push(new RegoError('rego_type_error', `${t.fn.name}: arity mismatch\n\thave: (${have})\n\twant: (${want})`, t.loc));
      }
      return;
    }
    const a = funcArity(t.fn.path) ?? 0;
    if (n !== a && n !== a + 1) {
      errs.push(
        new RegoError('rego_type_error', `function ${t.fn.name} has arity ${a}, got ${n} argument${n === 1 ? '' : 's'}`, t.loc),
      );
    }
  });
}

/** Nodes a rule depends on: the nodes every data ref it makes may read (dynamic path items match
 *  any child, as OPA's rule graph does) and the functions it calls. */
function dependencies(r: RRule, root: Node, funcNode: (p: string[]) => Node | undefined): Set<Node> {
  const deps = new Set<Node>();
  const addSubtree = (n: Node): void => {
    deps.add(n);
    for (const c of n.children.values()) addSubtree(c);
  };
  const visitRef = (path: (Value | typeof ANY)[]): void => {
    let cur: Node[] = [root];
    deps.add(root);
    for (const k of path) {
      const next: Node[] = [];
      for (const n of cur) {
        if (k === ANY) next.push(...n.children.values());
        else {
          const c = n.child(k);
          if (c) next.push(c);
        }
      }
      for (const n of next) deps.add(n);
      cur = next;
      if (cur.length === 0) return;
    }
    for (const n of cur) addSubtree(n);
  };
  for (let c: RRule | null = r; c; c = c.else) {
    const body = c.body;
    const visit = (t: T): void => {
      if (t.t === 'ref' && t.head.t === 'root' && t.head.root === 'data') {
        visitRef(t.path.map((p) => (p.t === 'const' ? p.v : ANY)));
      } else if (t.t === 'call' && t.fn.kind === 'func') {
        const n = funcNode(t.fn.path);
        if (n) deps.add(n);
      }
    };
    walkBody(body, visit);
    for (const e of body) {
      for (const w of e.with) {
        if (w.fn?.kind === 'func') {
          const n = funcNode(w.fn.path);
          if (n) deps.add(n);
        }
      }
    }
    for (const t of [...c.parts, c.value, ...(c.member ? [c.member] : [])]) walkBody([termExpr(t)], visit);
  }
  return deps;
}

const ANY: unique symbol = Symbol('any');

function termExpr(t: T): E {
  return { k: 'term', term: t, negated: false, with: [], loc: t.loc };
}

export interface RecursionProgram {
  root: Node;
  rules: RRule[];
  node(path: Value[], create: boolean): Node | undefined;
  funcNode(path: string[]): Node | undefined;
}

const nodeName = (n: Node): string => `data.${n.path.map(String).join('.')}`;

export function checkRecursion(p: RecursionProgram, errs: RegoError[]): void {
  const graph = new Map<Node, Node[]>();
  const firstLoc = new Map<Node, Location>();
  for (const r of p.rules) {
    const n = p.node(r.nodePath, false) as Node;
    const deps = dependencies(r, p.root, (path) => p.funcNode(path));
    const cur = graph.get(n) ?? [];
    for (const d of deps) cur.push(d);
    graph.set(n, cur);
    if (!firstLoc.has(n)) firstLoc.set(n, r.loc);
  }
  for (const [n, deps] of graph)
    graph.set(
      n,
      [...new Set(deps)].filter((d) => graph.has(d)),
    );
  // Strongly connected components (iterative Tarjan); only nodes on a cycle can be recursive.
  const index = new Map<Node, number>();
  const low = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const comp = new Map<Node, number>();
  let counter = 0;
  let ncomp = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [Node, number][] = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as [Node, number];
      const [v, i] = top;
      const out = graph.get(v) as Node[];
      if (i < out.length) {
        top[1] = i + 1;
        const w = out[i] as Node;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = (work[work.length - 1] as [Node, number])[0];
        low.set(u, Math.min(low.get(u) as number, low.get(v) as number));
      }
      if (low.get(v) === index.get(v)) {
        for (;;) {
          const w = stack.pop() as Node;
          onStack.delete(w);
          comp.set(w, ncomp);
          if (w === v) break;
        }
        ncomp++;
      }
    }
  }
  const size = new Map<number, number>();
  for (const c of comp.values()) size.set(c, (size.get(c) ?? 0) + 1);
  for (const [start, deps] of graph) {
    const c = comp.get(start) as number;
    if ((size.get(c) ?? 0) < 2 && !deps.includes(start)) continue;
    // Shortest cycle through start, within its component.
    const prev = new Map<Node, Node>();
    const queue: Node[] = [start];
    let found: Node | null = null;
    for (let qi = 0; qi < queue.length && !found; qi++) {
      const n = queue[qi] as Node;
      for (const d of graph.get(n) ?? []) {
        if (comp.get(d) !== c) continue;
        if (d === start) {
          found = n;
          break;
        }
        if (!prev.has(d)) {
          prev.set(d, n);
          queue.push(d);
        }
      }
    }
    if (!found) continue;
    const chain: Node[] = [start];
    for (let n: Node | undefined = found; n && n !== start; n = prev.get(n)) chain.splice(1, 0, n);
    chain.push(start);
    errs.push(
      new RegoError(
        'rego_recursion_error',
        `rule ${nodeName(start)} is recursive: ${chain.map(nodeName).join(' -> ')}`,
        firstLoc.get(start),
      ),
    );
  }
}

/** The type of a literal operand (constants, collection literals, comprehensions), else null. */
function literalType(t: T): string | null {
  switch (t.t) {
    case 'const':
      return typeName(t.v);
    case 'array':
    case 'set':
    case 'object':
      return t.t;
    case 'comp':
      return t.kind;
    case 'template':
      return 'string';
    default:
      return null;
  }
}

function declText(d: TypeDecl): string {
  return Array.isArray(d) ? `any<${[...d].sort().join(', ')}>` : d;
}

/** Operands whose type is known at compile time (literals) are checked against the builtin's
 *  declaration, as OPA's type checker does: a literal of the wrong type is a rego_type_error. */
export function checkTypes(unit: { res: Resolver; body: E[] }, errs: RegoError[]): void {
  walkBody(unit.body, (t) => {
    if (t.t !== 'call' || t.fn.kind !== 'builtin') return;
    const d = t.fn.def.decl;
    const n = d.args.length;
    let bad = false;
    for (let i = 0; i < t.args.length && i < n; i++) {
      const want = d.args[i] as TypeDecl;
      if (want === 'any') continue;
      const have = literalType(t.args[i] as T);
      if (have === null) continue;
      const ok = Array.isArray(want) ? (want as string[]).includes(have) : want === have;
      if (!ok) bad = true;
    }
    if (!bad) return;
    const have = t.args.slice(0, n).map((a) => literalType(a) ?? 'any');
    errs.push(
      new RegoError(
        'rego_type_error',
        `${t.fn.name}: invalid argument(s)\n\thave: (${have.join(', ')})\n\twant: (${d.args.map(declText).join(', ')})`,
        t.loc,
      ),
    );
  });
}
