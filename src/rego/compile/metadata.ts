// rego.metadata.chain() and rego.metadata.rule() are answered at compile time, as OPA does: the
// calls are replaced by the annotations that apply to the calling rule.
import type * as ast from '../ast.js';
import { annotationsObject } from '../annotations.js';
import { fromJSON, type Value } from '../value.js';
import type { T } from './ir.js';
import type { RRule } from './rules.js';
import { mapBody, walkBody } from './walk.js';

function rulePath(r: RRule): Value[] {
  return r.nodePath;
}

function chainFor(r: RRule, modules: ast.Module[]): unknown[] {
  const path = rulePath(r);
  const same = (a: Value[], b: Value[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const out: unknown[] = [];
  const own = r.src.annotations;
  const first: Record<string, unknown> = { path };
  if (own && own.scope === 'rule') first.annotations = annotationsObject(own);
  out.push(first);
  for (const m of modules) {
    for (const rule of m.rules) {
      const a = rule.annotations;
      if (a?.scope !== 'document') continue;
      const first0 = rule.head.ref[0];
      const p: Value[] = [...m.package, first0?.type === 'var' ? first0.name : ''];
      for (const t of rule.head.ref.slice(1)) if (t.type === 'string') p.push(t.value);
      if (same(p, path)) out.push({ path, annotations: annotationsObject(a) });
    }
  }
  const pkg = r.module.package;
  for (const m of modules) {
    if (!same(m.package, pkg)) continue;
    for (const a of m.annotations) if (a.scope === 'package') out.push({ path: pkg, annotations: annotationsObject(a) });
  }
  for (let i = pkg.length; i >= 0; i--) {
    const prefix = pkg.slice(0, i);
    for (const m of modules) {
      if (!same(m.package, prefix)) continue;
      for (const a of m.annotations) {
        if (a.scope === 'subpackages') out.push({ path: prefix, annotations: annotationsObject(a) });
      }
    }
  }
  return out;
}

function ruleFor(r: RRule, modules: ast.Module[]): unknown {
  const own = r.src.annotations;
  if (own && own.scope === 'rule') return annotationsObject(own);
  for (const e of chainFor(r, modules).slice(1)) {
    const x = e as { path: Value[]; annotations?: { scope: string } };
    if (x.annotations?.scope === 'document') return x.annotations;
  }
  return {};
}

export function rewriteMetadataCalls(r: RRule, modules: ast.Module[]): void {
  let used = false;
  walkBody(r.body, (t) => {
    if (t.t === 'call' && t.fn.kind === 'builtin' && t.fn.name.startsWith('rego.metadata.')) used = true;
  });
  if (!used) return;
  let chain: Value | undefined;
  let rule: Value | undefined;
  const f = (t: T): T | null => {
    if (t.t !== 'call' || t.fn.kind !== 'builtin') return null;
    if (t.fn.name === 'rego.metadata.chain') {
      chain ??= fromJSON(chainFor(r, modules));
      return { t: 'const', v: chain, loc: t.loc };
    }
    if (t.fn.name === 'rego.metadata.rule') {
      rule ??= fromJSON(ruleFor(r, modules));
      return { t: 'const', v: rule, loc: t.loc };
    }
    return null;
  };
  r.body = mapBody(r.body, f);
}
