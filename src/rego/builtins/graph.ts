// Graph builtins: graph.reachable and graph.reachable_paths. A graph is an object from node to its
// neighbours (an array or set); initial nodes are an array or set. Nodes that are not keys of the
// graph are never reached.
import { BuiltinError, HaltError } from '../errors.js';
import { type RObject, RSet, type Value, typeName } from '../value.js';
import { obj } from './args.js';
import { registerBuiltin } from './registry.js';

/** A bound on reachable_paths' work (neighbours examined plus path elements emitted); past it the
 *  query stops rather than running for minutes. */
export const MAX_PATH_STEPS = 1_000_000;

function vertices(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return [];
}

function initialNodes(name: string, v: Value): Value[] {
  if (Array.isArray(v) || v instanceof RSet) return vertices(v);
  // OPA words this operand's type as the literal "{array, set}".
  throw new BuiltinError(`${name}: operand 2 must be {array, set} but got ${typeName(v)}`, 'eval_type_error');
}

registerBuiltin({
  name: 'graph.reachable',
  decl: { args: ['object', ['array', 'set']], result: 'set' },
  fn: (args) => {
    const graph = obj(args, 0, 'graph.reachable');
    const queue = initialNodes('graph.reachable', args[1] as Value);
    const seen = RSet.from(queue);
    const reached = new RSet();
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i] as Value;
      const edges = graph.get(node);
      if (edges === undefined) continue;
      reached.add(node);
      for (const next of vertices(edges)) if (seen.add(next)) queue.push(next);
    }
    return reached;
  },
});

function edgeCount(v: Value): number {
  if (Array.isArray(v)) return v.length;
  if (v instanceof RSet) return v.size;
  return 0;
}

registerBuiltin({
  name: 'graph.reachable_paths',
  decl: { args: ['object', ['array', 'set']], result: 'set' },
  fn: (args) => {
    const graph: RObject = obj(args, 0, 'graph.reachable_paths');
    const initial = initialNodes('graph.reachable_paths', args[1] as Value);
    const out = new RSet();
    let steps = 0;

    // From each initial node, each of its neighbours starts a depth-first walk that shares one
    // `reached` set (seeded with the initial node), as OPA's conformance cases expect: a node is
    // marked reached when the walk descends from it, and meeting a reached neighbour ends the path
    // there. A path also ends at a node with no edges, or just before a node that is not in the
    // graph. Iterative, since graphs may be deep.
    const path: Value[] = [];
    const commit = () => {
      tick(path.length);
      out.add(path.slice());
    };
    type Frame = { node: Value; next: Value[]; i: number; committed: boolean };
    const stack: Frame[] = [];
    let reached = new RSet();
    const tick = (cost = 1) => {
      steps += cost;
      if (steps > MAX_PATH_STEPS) {
        throw new HaltError('eval_limit_error', `graph.reachable_paths: more than ${MAX_PATH_STEPS} steps`);
      }
    };
    const enter = (node: Value) => {
      tick();
      const edges = graph.get(node);
      if (edges === undefined) {
        commit();
        return;
      }
      path.push(node);
      if (edgeCount(edges) === 0) {
        commit();
        path.pop();
        return;
      }
      stack.push({ node, next: vertices(edges), i: 0, committed: false });
    };

    for (const root of initial) {
      const edges = graph.get(root);
      if (edges === undefined) continue;
      if (edgeCount(edges) === 0) {
        out.add([root]);
        continue;
      }
      for (const first of vertices(edges)) {
        reached = RSet.from([root]);
        path.length = 0;
        path.push(root);
        enter(first);
        while (stack.length > 0) {
          const top = stack[stack.length - 1] as Frame;
          if (top.i >= top.next.length) {
            stack.pop();
            path.pop();
            continue;
          }
          const next = top.next[top.i++] as Value;
          tick();
          if (reached.has(next)) {
            // Every reached neighbour ends the same path; record it once.
            if (!top.committed) commit();
            top.committed = true;
          } else {
            reached.add(top.node);
            enter(next);
          }
        }
      }
    }
    return out;
  },
});
