// Original file: proto/entente/control/v1/control.proto

import type { WitnessedLog as _entente_control_v1_WitnessedLog, WitnessedLog__Output as _entente_control_v1_WitnessedLog__Output } from '../../../entente/control/v1/WitnessedLog.js';
import type { LogAlarm as _entente_control_v1_LogAlarm, LogAlarm__Output as _entente_control_v1_LogAlarm__Output } from '../../../entente/control/v1/LogAlarm.js';
import type { Long } from '@grpc/proto-loader';

/**
 * This gateway's audit log and what it witnessed of its partners' logs.
 */
export interface AuditLogStatus {
  /**
   * The log's origin and verifier key (C2SP vkey); its latest checkpoint (a signed note).
   */
  'origin'?: (string);
  'log_key'?: (string);
  'size'?: (number | string | Long);
  'checkpoint'?: (string);
  /**
   * The largest of our checkpoints each partner cosigned.
   */
  'cosigned_by'?: ({[key: string]: number | string | Long});
  'witnessed'?: (_entente_control_v1_WitnessedLog)[];
  /**
   * Alarms: a partner's log contradicted what we witnessed. Any is a reason to investigate.
   */
  'alarm_count'?: (number);
  'alarms'?: (_entente_control_v1_LogAlarm)[];
}

/**
 * This gateway's audit log and what it witnessed of its partners' logs.
 */
export interface AuditLogStatus__Output {
  /**
   * The log's origin and verifier key (C2SP vkey); its latest checkpoint (a signed note).
   */
  'origin': (string);
  'log_key': (string);
  'size': (string);
  'checkpoint': (string);
  /**
   * The largest of our checkpoints each partner cosigned.
   */
  'cosigned_by': ({[key: string]: string});
  'witnessed': (_entente_control_v1_WitnessedLog__Output)[];
  /**
   * Alarms: a partner's log contradicted what we witnessed. Any is a reason to investigate.
   */
  'alarm_count': (number);
  'alarms': (_entente_control_v1_LogAlarm__Output)[];
}
