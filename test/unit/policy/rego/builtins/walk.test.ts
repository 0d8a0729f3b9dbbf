import { describe, expect, it } from 'vitest';
import { errorCode, queryValue } from './helpers.js';

describe('graph.reachable and graph.reachable_paths', () => {
  it('refuse initial vertices that are neither an array nor a set with a type error', () => {
    expect(errorCode('x := graph.reachable({"a": ["b"]}, "a")')).toBe('eval_type_error');
    expect(errorCode('x := graph.reachable_paths({"a": ["b"]}, 1)')).toBe('eval_type_error');
  });

  it('refuse a graph that is not an object with a type error', () => {
    expect(errorCode('x := graph.reachable_paths(["a"], {"a"})')).toBe('eval_type_error');
  });

  it('treat edges that are not collections as no edges', () => {
    expect(queryValue('x := graph.reachable({"a": null, "b": "c"}, ["a", "b"])')).toEqual(['a', 'b']);
  });
});
