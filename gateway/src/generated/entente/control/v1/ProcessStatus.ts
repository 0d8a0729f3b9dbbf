// Original file: proto/entente/control/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What the gateway's process has spent since it started: counters, to be read twice and
 * compared (the benchmark does; so can a monitoring scrape).
 */
export interface ProcessStatus {
  /**
   * CPU time of the process (all threads), microseconds.
   */
  'cpu_user_us'?: (number | string | Long);
  'cpu_system_us'?: (number | string | Long);
  /**
   * Event-loop time spent working and waiting, milliseconds: their ratio over an interval is
   * the event-loop utilisation.
   */
  'event_loop_active_ms'?: (number | string);
  'event_loop_idle_ms'?: (number | string);
  /**
   * Durable store transactions committed (each one fsync) and the writes they carried.
   */
  'store_commits'?: (number | string | Long);
  'store_writes'?: (number | string | Long);
  /**
   * Receipt signatures made: one per statement, or one per batch of statements signed together
   * under load (docs/protocol.md §5.9).
   */
  'signatures'?: (number | string | Long);
  /**
   * Receipt statements those signatures cover.
   */
  'statements_signed'?: (number | string | Long);
  /**
   * The fdatasyncs that made those commits durable (one covers every commit made before it
   * began) and the time they took, milliseconds: store_sync_ms / store_syncs is how long this
   * disk keeps a writer waiting.
   */
  'store_syncs'?: (number | string | Long);
  'store_sync_ms'?: (number | string);
}

/**
 * What the gateway's process has spent since it started: counters, to be read twice and
 * compared (the benchmark does; so can a monitoring scrape).
 */
export interface ProcessStatus__Output {
  /**
   * CPU time of the process (all threads), microseconds.
   */
  'cpu_user_us': (string);
  'cpu_system_us': (string);
  /**
   * Event-loop time spent working and waiting, milliseconds: their ratio over an interval is
   * the event-loop utilisation.
   */
  'event_loop_active_ms': (number);
  'event_loop_idle_ms': (number);
  /**
   * Durable store transactions committed (each one fsync) and the writes they carried.
   */
  'store_commits': (string);
  'store_writes': (string);
  /**
   * Receipt signatures made: one per statement, or one per batch of statements signed together
   * under load (docs/protocol.md §5.9).
   */
  'signatures': (string);
  /**
   * Receipt statements those signatures cover.
   */
  'statements_signed': (string);
  /**
   * The fdatasyncs that made those commits durable (one covers every commit made before it
   * began) and the time they took, milliseconds: store_sync_ms / store_syncs is how long this
   * disk keeps a writer waiting.
   */
  'store_syncs': (string);
  'store_sync_ms': (number);
}
