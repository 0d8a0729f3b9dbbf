import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import { StoreSyncFailedError } from '../errors.js';

/** Makes what is committed so far durable; calls back once it is, or with the I/O error. */
export type SyncFn = (done: (err: Error | null) => void) => void;

/**
 * Durability of committed transactions, off the event loop. The connection runs WAL with
 * synchronous=NORMAL, so a COMMIT writes its frames to the WAL file (the page cache) and
 * returns without an fsync; this class then fdatasyncs the WAL file on libuv's thread pool and
 * only then lets the writers be answered. That is what synchronous=FULL does inside COMMIT
 * (an fsync of the WAL at every commit), minus the milliseconds the event loop stood still in
 * it. Checkpoints keep NORMAL's own rule: the WAL is synced before its frames are copied, so
 * a WAL restart never discards anything not yet on disk.
 *
 * Commits are numbered; `committed()` is called after each COMMIT, `durable(seq)` resolves once
 * an fdatasync that began after commit `seq` has returned. One sync runs at a time, and it
 * covers every commit before it began: under load, one fdatasync serves many commits.
 *
 * A failed fdatasync poisons the store for good (`failure`): after an fsync error Linux may
 * drop the dirty pages and report success next time, so retrying would lie. Every waiting and
 * later writer gets STORE_SYNC_FAILED, as PostgreSQL panics on a failed fsync.
 */
export class WalSync {
  private seq = 0;
  private synced = 0;
  private running = false;
  private waiters: { readonly seq: number; readonly resolve: () => void; readonly reject: (err: Error) => void }[] = [];
  /** Set once a sync failed: the store takes no more writes. */
  failure: StoreSyncFailedError | undefined;
  /** fdatasync calls made (for tests and status). */
  syncs = 0;
  /** Time those calls took, from the request to its completion, milliseconds. */
  syncMs = 0;

  constructor(private readonly sync: SyncFn) {}

  /** Records a COMMIT and returns its number. */
  committed(): number {
    return ++this.seq;
  }

  /** True when every commit so far is known durable. */
  get idle(): boolean {
    return this.synced === this.seq;
  }

  /** Resolves once commit `seq` (by default the latest) is durable. */
  durable(seq = this.seq): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (seq <= this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.start();
    });
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    const target = this.seq;
    this.syncs++;
    const began = performance.now();
    this.sync((err) => {
      this.syncMs += performance.now() - began;
      this.running = false;
      if (err !== null) return this.fail(err);
      this.synced = target;
      const ready = this.waiters.filter((w) => w.seq <= target);
      this.waiters = this.waiters.filter((w) => w.seq > target);
      for (const w of ready) w.resolve();
      if (this.waiters.length > 0) this.start();
    });
  }

  private fail(err: Error): void {
    this.failure = new StoreSyncFailedError(
      `the disk failed to make committed writes durable (fdatasync: ${err.message}); this gateway takes no more writes: check the disk, then restart it`,
      { cause: err },
    );
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}

/**
 * fdatasync of `<database>-wal` on the thread pool. The descriptor is opened once and checked
 * against the path's inode before each sync, so a WAL file replaced underneath (it should not
 * be while the connection is open) is reopened rather than synced in its stale copy.
 */
export function walFileSync(databaseFile: string): { readonly sync: SyncFn; readonly close: () => void } {
  const path = `${databaseFile}-wal`;
  let fd: number | undefined;
  let ino = -1;
  const descriptor = (): number => {
    const now = statSync(path).ino;
    if (fd !== undefined && now === ino) return fd;
    if (fd !== undefined) closeSync(fd);
    fd = openSync(path, 'r');
    ino = fstatSync(fd).ino;
    return fd;
  };
  return {
    sync: (done) => {
      let d: number;
      try {
        d = descriptor();
      } catch (err) {
        return queueMicrotask(() => done(err as Error));
      }
      fdatasync(d, (err) => done(err));
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
