/**
 * The leaf hashes this connection appended to the log, kept so that the audit log can follow
 * the store without reading each commit's statements back (a query per commit, ~3% of a
 * gateway's CPU under load). Only what committed is served, as one contiguous run of log
 * positions, and only while no other connection has committed since (SQLite's data_version):
 * otherwise the caller reads the table, as it always may.
 */
export class AppendedLeaves {
  /** The run of committed leaves held: positions start, start + 1, … */
  private start = 0;
  private hashes: Buffer[] = [];
  /** Appended in the open transaction, by position. */
  private pending: [number, Buffer][] = [];
  /** How many of `pending` were there when the current write began (its savepoint). */
  private mark = 0;
  /** The connection's data_version after its last commit: another connection's commit changes it. */
  private version: number | undefined;
  /** data_version read inside the open transaction, just before its COMMIT. */
  private committingVersion: number | undefined;

  /** Most leaves held: a run the log does not read (it is not following) is dropped, not grown. */
  constructor(private readonly max = 100_000) {}

  appended(index: number, hash: Buffer): void {
    this.pending.push([index, hash]);
  }

  writeStarted(): void {
    this.mark = this.pending.length;
  }

  writeRolledBack(): void {
    this.pending.length = this.mark;
  }

  rolledBack(): void {
    this.pending = [];
    this.committingVersion = undefined;
  }

  /** The transaction is about to commit; `version` is the connection's data_version, read inside it. */
  committing(version: number): void {
    this.committingVersion = version;
  }

  /** The transaction committed: what it appended joins the run, as of the version read before. */
  committed(): void {
    for (const [index, hash] of this.pending) {
      if (index !== this.start + this.hashes.length || this.hashes.length >= this.max) {
        this.start = index;
        this.hashes = [];
      }
      this.hashes.push(hash);
    }
    this.pending = [];
    // Without a version read before the COMMIT, none matches: reads go to the table.
    this.version = this.committingVersion;
    this.committingVersion = undefined;
  }

  /**
   * Up to `limit` leaves from position `from`, if this run holds that position and nothing was
   * committed by another connection since ours (`version` is data_version now); else undefined.
   * What lies before `from` is dropped: the log reads forward.
   */
  read(from: number, limit: number, version: number): Buffer[] | undefined {
    if (this.version !== version || from < this.start || from > this.start + this.hashes.length) return undefined;
    this.hashes = this.hashes.slice(from - this.start);
    this.start = from;
    return this.hashes.slice(0, limit);
  }
}
