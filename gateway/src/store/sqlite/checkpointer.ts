import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The passive WAL checkpoint, on a worker thread with a connection of its own. A checkpoint
 * copies the WAL's frames into the database file and fsyncs both: tens of milliseconds with
 * a busy log, which on the gateway's own thread stood every call still (issue 11 measured
 * 25-65 ms stalls every 5 s). PASSIVE never blocks the writer: it copies what no reader
 * still needs and leaves the rest for the next round.
 *
 * The next writer starts the WAL over from its beginning only after a checkpoint that caught
 * up with every frame. Beside a steady stream of commits PASSIVE never quite does, and the
 * WAL grew without bound (37 MB for 30 MB written). Once it holds `restartFrames` frames, a
 * RESTART follows the PASSIVE: it copies the few frames left, holding the writer off for
 * that long (the gateway's next commit waits for it, a few milliseconds), so that the log
 * starts over.
 *
 * The worker's code is JavaScript in a string (evaluated by the worker), so that it runs the
 * same from the TypeScript sources (tests) and the compiled package.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try {
    const [done] = db.pragma('wal_checkpoint(PASSIVE)');
    if (done.log >= workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the timer and closes the worker's connection; resolves once the worker has exited. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` passively every `everyMs` on a worker thread, restarting the WAL
 * once it holds `restartFrames` frames.
 */
export function startCheckpointer(file: string, everyMs: number, restartFrames: number, onError: (message: string) => void): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { module, file, everyMs, restartFrames } });
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) onError(m.error);
  });
  worker.on('error', (err) => onError(err.message));
  // After the listeners: adding a 'message' listener references the worker again.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Unreferenced, the worker would not keep a stopping process alive until it has exited.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
