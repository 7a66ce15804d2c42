// Generic traversal of IR bodies (including closures, `every` bodies and `with` values).
import type { E, T } from './ir.js';

export function walkTerm(t: T, visit: (t: T) => void): void {
  visit(t);
  switch (t.t) {
    case 'ref':
      walkTerm(t.head, visit);
      for (const p of t.path) walkTerm(p, visit);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) walkTerm(x, visit);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        walkTerm(k, visit);
        walkTerm(v, visit);
      }
      return;
    case 'call':
      for (const a of t.args) walkTerm(a, visit);
      return;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') walkTerm(p, visit);
      return;
    case 'comp':
      if (t.key) walkTerm(t.key, visit);
      walkTerm(t.term, visit);
      walkBody(t.body, visit);
      return;
    default:
      return;
  }
}

export function walkBody(body: E[], visit: (t: T) => void): void {
  for (const e of body) {
    switch (e.k) {
      case 'term':
        walkTerm(e.term, visit);
        break;
      case 'unify':
        walkTerm(e.a, visit);
        walkTerm(e.b, visit);
        break;
      case 'somein':
        if (e.key) walkTerm(e.key, visit);
        walkTerm(e.value, visit);
        walkTerm(e.coll, visit);
        break;
      case 'every':
        if (e.key) walkTerm(e.key, visit);
        walkTerm(e.value, visit);
        walkTerm(e.domain, visit);
        walkBody(e.body, visit);
        break;
      default:
        break;
    }
    for (const w of e.with) if (w.value) walkTerm(w.value, visit);
  }
}

/** Rewrites terms bottom-up: `f` returns a replacement or null to keep the (rebuilt) term. */
export function mapTerm(t: T, f: (t: T) => T | null): T {
  let n: T;
  switch (t.t) {
    case 'ref':
      n = { ...t, head: mapTerm(t.head, f), path: t.path.map((p) => mapTerm(p, f)) };
      break;
    case 'array':
    case 'set':
      n = { ...t, items: t.items.map((x) => mapTerm(x, f)) };
      break;
    case 'object':
      n = { ...t, items: t.items.map(([k, v]) => [mapTerm(k, f), mapTerm(v, f)] as [T, T]) };
      break;
    case 'call':
      n = { ...t, args: t.args.map((a) => mapTerm(a, f)) };
      break;
    case 'template':
      n = { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : mapTerm(p, f))) };
      break;
    case 'comp':
      n = { ...t, key: t.key ? mapTerm(t.key, f) : null, term: mapTerm(t.term, f), body: mapBody(t.body, f) };
      break;
    default:
      n = t;
  }
  return f(n) ?? n;
}

export function mapBody(body: E[], f: (t: T) => T | null): E[] {
  return body.map((e): E => {
    const withs = e.with.map((w) => (w.value ? { ...w, value: mapTerm(w.value, f) } : w));
    switch (e.k) {
      case 'term':
        return { ...e, term: mapTerm(e.term, f), with: withs };
      case 'unify':
        return { ...e, a: mapTerm(e.a, f), b: mapTerm(e.b, f), with: withs };
      case 'somein':
        return {
          ...e,
          key: e.key ? mapTerm(e.key, f) : null,
          value: mapTerm(e.value, f),
          coll: mapTerm(e.coll, f),
          with: withs,
        };
      case 'every':
        return {
          ...e,
          key: e.key ? mapTerm(e.key, f) : null,
          value: mapTerm(e.value, f),
          domain: mapTerm(e.domain, f),
          body: mapBody(e.body, f),
          with: withs,
        };
      default:
        return { ...e, with: withs };
    }
  });
}
