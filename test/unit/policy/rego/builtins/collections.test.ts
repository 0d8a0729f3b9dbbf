import { describe, expect, it } from 'vitest';
import { queryValue } from './helpers.js';

describe('json.patch on sets', () => {
  it('adds a member only under the key it equals', () => {
    expect(queryValue('x := json.patch({"s": {"a"}}, [{"op": "add", "path": "/s/b", "value": "b"}])')).toEqual({ s: ['a', 'b'] });
    expect(queryValue('x := json.patch({"s": {"a"}}, [{"op": "add", "path": "/s/b", "value": "c"}])')).toBeUndefined();
  });

  it('edits inside a composite member named by an array path', () => {
    expect(queryValue('x := json.patch({[1]}, [{"op": "add", "path": [[1], 1], "value": 2}])')).toEqual([[1, 2]]);
  });
});
