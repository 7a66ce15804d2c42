// Transformation chains as a trie: every distinct chain prefix (`lowercase`, `lowercase,urlDecodeUni`,
// ...) is one node with a small integer id, shared by all rules. A value's result for a node is cached
// on the value itself (VarValue.tc), so CRS's many rules with common prefixes transform each value
// once per prefix per transaction.

import { getTransformation, type Transformation } from '../transformations/registry.js';
import type { VarValue } from './collection.js';

export class TransformNode {
  /** Nodes from the first transformation down to this one (excludes the root). */
  readonly path: TransformNode[];
  constructor(
    readonly id: number,
    readonly name: string,
    readonly fn: Transformation | undefined,
    readonly parent: TransformNode | undefined,
  ) {
    this.path = parent ? [...parent.path, this] : [];
  }
}

export class TransformTrie {
  readonly root = new TransformNode(0, '', undefined, undefined);
  private readonly byKey = new Map<string, TransformNode>([['', this.root]]);
  private nextId = 1;

  /** The node for a chain; throws Error for an unknown transformation name. */
  intern(names: readonly string[]): TransformNode {
    let node = this.root;
    let key = '';
    for (const raw of names) {
      const def = getTransformation(raw);
      if (def === undefined) throw new Error(`unknown transformation t:${raw}`);
      if (def.name.toLowerCase() === 'none') continue;
      key = key === '' ? def.name.toLowerCase() : `${key},${def.name.toLowerCase()}`;
      let next = this.byKey.get(key);
      if (next === undefined) {
        next = new TransformNode(this.nextId++, def.name, def.fn, node);
        this.byKey.set(key, next);
      }
      node = next;
    }
    return node;
  }

  get size(): number {
    return this.nextId;
  }
}

/** The value inspected for `v` before any transformation (bounded to `maxLen` bytes). */
export function baseValue(v: VarValue, maxLen: number): string {
  return v.value.length > maxLen ? v.value.slice(0, maxLen) : v.value;
}

/** `v` transformed by the chain ending at `node`, computed from the longest cached prefix. */
export function transformed(v: VarValue, node: TransformNode, maxLen: number): string {
  if (node.fn === undefined) return baseValue(v, maxLen);
  let cache = v.tc;
  if (cache === undefined) {
    cache = new Map();
    v.tc = cache;
  } else {
    const hit = cache.get(node.id);
    if (hit !== undefined) return hit;
  }
  const path = node.path;
  let k = path.length - 1;
  let cur: string | undefined;
  // Walk up to the deepest cached ancestor.
  while (k > 0) {
    cur = cache.get((path[k - 1] as TransformNode).id);
    if (cur !== undefined) break;
    k--;
  }
  if (cur === undefined) {
    cur = baseValue(v, maxLen);
    k = 0;
  }
  for (; k < path.length; k++) {
    const step = path[k] as TransformNode;
    cur = (step.fn as Transformation)(cur);
    cache.set(step.id, cur);
  }
  return cur;
}

/**
 * For multiMatch: the value before transformations and after each step that changed it, in order.
 */
export function transformedStages(v: VarValue, node: TransformNode, maxLen: number): string[] {
  const out = [baseValue(v, maxLen)];
  for (const step of node.path) {
    const t = transformed(v, step, maxLen);
    if (t !== out[out.length - 1]) out.push(t);
  }
  return out;
}
