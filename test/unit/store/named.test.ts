import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NamedStatement } from '../../../gateway/src/store/sqlite/named.js';

describe('NamedStatement', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (a, b, c)');

  it('binds @names by position as better-sqlite3 binds them by name: a name used twice, undefined as NULL, Buffers and numbers as they are', () => {
    const sql = 'INSERT INTO t (a, b, c) SELECT @x, @y, @z WHERE @x IS NOT NULL OR @y IS NULL RETURNING a, b, c';
    const byName = db.prepare(sql);
    const byPosition = new NamedStatement(db, sql);
    for (const params of [{ x: 1, y: 'two', z: Buffer.from([3]) }, { x: undefined, y: null, z: 2.5 }, { x: null, y: 'kept', z: 0 }, { x: 'é😀', y: 2n ** 40n, z: -1 }]) {
      expect(byPosition.get(params)).toEqual(byName.get(params));
    }
  });

  it('refuses a missing parameter, as binding by name does', () => {
    const st = new NamedStatement(db, 'INSERT INTO t (a, b) VALUES (@a, @b)');
    expect(() => st.run({ a: 1 })).toThrow('Missing named parameter "b"');
    expect(() => db.prepare('INSERT INTO t (a, b) VALUES (@a, @b)').run({ a: 1 })).toThrow('Missing named parameter "b"');
    expect(st.run({ a: 1, b: 2 }).changes).toBe(1);
  });
});
