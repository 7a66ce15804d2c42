// A compact, unambiguous rendering of the AST for tests and debugging (not Rego source: refs, calls
// and comprehensions are spelled out so their structure is visible).
import type { Body, Expr, Rule, Term } from './ast.js';

export function renderTerm(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.raw;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return t.name;
    case 'ref':
      return `ref(${[t.head, ...t.path].map(renderTerm).join(', ')})`;
    case 'array':
      return `[${t.items.map(renderTerm).join(', ')}]`;
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(renderTerm).join(', ')}}`;
    case 'object':
      return `{${t.items.map(([k, v]) => `${renderTerm(k)}: ${renderTerm(v)}`).join(', ')}}`;
    case 'arraycomp':
      return `[${renderTerm(t.term)} | ${renderBody(t.body)}]`;
    case 'setcomp':
      return `{${renderTerm(t.term)} | ${renderBody(t.body)}}`;
    case 'objectcomp':
      return `{${renderTerm(t.key)}: ${renderTerm(t.value)} | ${renderBody(t.body)}}`;
    case 'call':
      return `${t.name}(${t.args.map(renderTerm).join(', ')})`;
    case 'template':
      return `$(${t.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : 'kind' in p ? `{${renderExpr(p)}}` : renderTerm(p))).join(', ')})`;
  }
}

export function renderExpr(e: Expr): string {
  let s: string;
  switch (e.kind) {
    case 'term':
      s = renderTerm(e.term);
      break;
    case 'unify':
      s = `${renderTerm(e.left)} = ${renderTerm(e.right)}`;
      break;
    case 'assign':
      s = `${renderTerm(e.left)} := ${renderTerm(e.right)}`;
      break;
    case 'some':
      s = `some ${e.vars.map(renderTerm).join(', ')}`;
      break;
    case 'somein':
      s = `some ${e.key ? `${renderTerm(e.key)}, ` : ''}${renderTerm(e.value)} in ${renderTerm(e.collection)}`;
      break;
    case 'every':
      s = `every ${e.key ? `${renderTerm(e.key)}, ` : ''}${renderTerm(e.value)} in ${renderTerm(e.domain)} { ${renderBody(e.body)} }`;
      break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${renderTerm(w.target)} as ${renderTerm(w.value)}`;
  return s;
}

export function renderBody(b: Body): string {
  return b.map(renderExpr).join('; ');
}

/** `kind[ default] ref[(args)][ contains key][ := value] { body }[ else[ := value] { body }]...` */
export function renderRule(r: Rule): string {
  const h = r.head;
  let s = `${r.kind}${r.default ? ' default' : ''} ${h.ref.map(renderTerm).join('.')}`;
  if (h.args) s += `(${h.args.map(renderTerm).join(', ')})`;
  if (h.key) s += ` contains ${renderTerm(h.key)}`;
  return s + renderTail(r);
}

function renderTail(r: Rule): string {
  let s = r.head.value ? ` ${r.head.assign ? ':=' : '='} ${renderTerm(r.head.value)}` : '';
  s += ` { ${renderBody(r.body)} }`;
  return r.else ? `${s} else${renderTail(r.else)}` : s;
}
