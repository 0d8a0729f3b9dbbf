import { isArray, isObject, isSet, RegoSet, type RegoValue } from '../value.js';
import { obj, typeError } from './args.js';
import type { Builtin } from './types.js';

/** Every [path, value] pair of a document, the document itself first. */
function* walk(v: RegoValue, path: RegoValue[] = []): Generator<RegoValue> {
  yield Object.freeze([Object.freeze([...path]), v]);
  if (isArray(v)) for (let i = 0; i < v.length; i++) yield* walk(v[i]!, [...path, i]);
  else if (isObject(v)) for (const [k, x] of v.sortedEntries()) yield* walk(x, [...path, k]);
  else if (isSet(v)) for (const x of v.sortedValues()) yield* walk(x, [...path, x]);
}

/** The initial vertices: an array or a set, anything else is a type error. */
function vertices(name: string, initial: RegoValue): readonly RegoValue[] {
  if (isArray(initial)) return initial;
  if (isSet(initial)) return initial.sortedValues();
  return typeError(name, 2, initial, ['array', 'set']);
}

function neighbours(graph: ReturnType<typeof obj>, node: RegoValue): RegoValue[] {
  const edges = graph.get(node);
  if (edges === undefined || edges === null) return [];
  if (isArray(edges)) return [...edges];
  if (isSet(edges)) return [...edges.sortedValues()];
  return [];
}

export const GRAPH_BUILTINS: Builtin[] = [
  { kind: 'relation', name: 'walk', arity: 1, impl: ([v]) => walk(v!) },
  {
    kind: 'function',
    name: 'graph.reachable',
    arity: 2,
    impl: ([g, initial]) => {
      const name = 'graph.reachable';
      const graph = obj(name, 1, g!);
      const start = vertices(name, initial!);
      const seen = new RegoSet();
      const queue = [...start];
      while (queue.length > 0) {
        const n = queue.shift()!;
        if (seen.has(n) || !graph.has(n)) continue;
        seen.add(n);
        queue.push(...neighbours(graph, n));
      }
      return seen;
    },
  },
  {
    kind: 'function',
    name: 'graph.reachable_paths',
    arity: 2,
    impl: ([g, initial]) => {
      const name = 'graph.reachable_paths';
      const graph = obj(name, 1, g!);
      const start = vertices(name, initial!);
      const out = new RegoSet();
      const visit = (n: RegoValue, path: RegoValue[]): void => {
        if (!graph.has(n)) {
          if (path.length > 0) out.add(Object.freeze(path));
          return;
        }
        const next = [...path, n];
        const ns = neighbours(graph, n).filter((x) => !path.some((p) => p === x));
        if (ns.length === 0 || ns.every((x) => next.includes(x))) {
          out.add(Object.freeze(next));
          return;
        }
        for (const x of ns) if (!next.includes(x)) visit(x, next);
      };
      for (const s of start) visit(s, []);
      return out;
    },
  },
];

