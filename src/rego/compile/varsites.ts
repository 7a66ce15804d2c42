// Where a var occurs in an expression (for error locations and messages).
import type { Location } from '../errors.js';
import type { E, T } from './ir.js';

/** True when var `v` occurs in the expression only inside template-string parts / print operands. */
export function onlyInCaptures(e: E, v: number): boolean {
  let outside = false;
  let inside = false;
  const t = (x: T, cap: boolean): void => {
    switch (x.t) {
      case 'var':
        if (x.id === v) {
          if (cap) inside = true;
          else outside = true;
        }
        return;
      case 'ref':
        t(x.head, cap);
        for (const p of x.path) t(p, cap);
        return;
      case 'array':
      case 'set':
        for (const y of x.items) t(y, cap);
        return;
      case 'object':
        for (const [k, y] of x.items) {
          t(k, cap);
          t(y, cap);
        }
        return;
      case 'call':
        for (const a of x.args) t(a, cap);
        return;
      case 'template':
        for (const p of x.parts) if (typeof p !== 'string') t(p, cap);
        return;
      case 'comp': {
        const c = cap || x.capture === true;
        if (x.key) t(x.key, c);
        t(x.term, c);
        for (const y of x.body) ex(y, c);
        return;
      }
      default:
        return;
    }
  };
  const ex = (y: E, cap: boolean): void => {
    switch (y.k) {
      case 'term':
        t(y.term, cap);
        break;
      case 'unify':
        t(y.a, cap);
        t(y.b, cap);
        break;
      case 'somein':
        if (y.key) t(y.key, cap);
        t(y.value, cap);
        t(y.coll, cap);
        break;
      case 'every':
        t(y.domain, cap);
        for (const z of y.body) ex(z, cap);
        break;
      default:
        break;
    }
    for (const w of y.with) if (w.value) t(w.value, cap);
  };
  ex(e, false);
  return inside && !outside;
}

/** Location of the first occurrence of var `v` in an expression. */
export function firstLoc(e: E, v: number): Location | null {
  let found: Location | null = null;
  const t = (x: T): void => {
    if (found) return;
    switch (x.t) {
      case 'var':
        if (x.id === v) found = x.loc;
        return;
      case 'ref':
        t(x.head);
        for (const p of x.path) t(p);
        return;
      case 'array':
      case 'set':
        for (const y of x.items) t(y);
        return;
      case 'object':
        for (const [k, y] of x.items) {
          t(k);
          t(y);
        }
        return;
      case 'call':
        for (const a of x.args) t(a);
        return;
      case 'template':
        for (const p of x.parts) if (typeof p !== 'string') t(p);
        return;
      case 'comp':
        if (x.key) t(x.key);
        t(x.term);
        for (const y of x.body) ex(y);
        return;
      default:
        return;
    }
  };
  const ex = (y: E): void => {
    switch (y.k) {
      case 'term':
        t(y.term);
        break;
      case 'unify':
        t(y.a);
        t(y.b);
        break;
      case 'somein':
        if (y.key) t(y.key);
        t(y.value);
        t(y.coll);
        break;
      case 'every':
        t(y.domain);
        for (const z of y.body) ex(z);
        break;
      default:
        break;
    }
    for (const w of y.with) if (w.value) t(w.value);
  };
  ex(e);
  return found;
}
