import type Database from 'better-sqlite3';

/**
 * A prepared statement written with `@name` parameters and given them as an object, but bound
 * by position: better-sqlite3 binds named parameters by making a string of each name and
 * looking it up on the object at every call, ~25% of a twelve-column insert (issue 11). The
 * SQL must not contain `@` but in parameter names (no string literal with one).
 */
export class NamedStatement {
  private readonly statement: Database.Statement;
  private readonly names: readonly string[];

  constructor(db: Database.Database, sql: string) {
    const names: string[] = [];
    this.statement = db.prepare(sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => (names.push(name), '?')));
    this.names = names;
  }

  run(params: object): Database.RunResult {
    return this.statement.run(this.values(params));
  }

  get(params: object): unknown {
    return this.statement.get(this.values(params));
  }

  private values(params: object): unknown[] {
    const values = new Array<unknown>(this.names.length);
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      const value = (params as Record<string, unknown>)[name];
      // As better-sqlite3 does for a named parameter: undefined binds NULL, a missing one is refused.
      if (value === undefined && !(name in params)) throw new RangeError(`Missing named parameter "${name}"`);
      values[i] = value;
    }
    return values;
  }
}
