// Original file: proto/entente/control/v1/control.proto

import type { CapabilityStatus as _entente_control_v1_CapabilityStatus, CapabilityStatus__Output as _entente_control_v1_CapabilityStatus__Output } from '../../../entente/control/v1/CapabilityStatus.js';
import type { PartnerStatus as _entente_control_v1_PartnerStatus, PartnerStatus__Output as _entente_control_v1_PartnerStatus__Output } from '../../../entente/control/v1/PartnerStatus.js';
import type { AuditLogStatus as _entente_control_v1_AuditLogStatus, AuditLogStatus__Output as _entente_control_v1_AuditLogStatus__Output } from '../../../entente/control/v1/AuditLogStatus.js';
import type { ProcessStatus as _entente_control_v1_ProcessStatus, ProcessStatus__Output as _entente_control_v1_ProcessStatus__Output } from '../../../entente/control/v1/ProcessStatus.js';

export interface Status {
  'org'?: (string);
  'version'?: (string);
  /**
   * The policy revision: a hash over the loaded policy files and data.
   */
  'policy_revision'?: (string);
  'federation_address'?: (string);
  'capabilities'?: (_entente_control_v1_CapabilityStatus)[];
  'partners'?: (_entente_control_v1_PartnerStatus)[];
  /**
   * RFC 3339 expiry of this gateway's own TLS certificate.
   */
  'certificate_expires_at'?: (string);
  'started_at'?: (string);
  'audit_log'?: (_entente_control_v1_AuditLogStatus | null);
  'process'?: (_entente_control_v1_ProcessStatus | null);
}

export interface Status__Output {
  'org': (string);
  'version': (string);
  /**
   * The policy revision: a hash over the loaded policy files and data.
   */
  'policy_revision': (string);
  'federation_address': (string);
  'capabilities': (_entente_control_v1_CapabilityStatus__Output)[];
  'partners': (_entente_control_v1_PartnerStatus__Output)[];
  /**
   * RFC 3339 expiry of this gateway's own TLS certificate.
   */
  'certificate_expires_at': (string);
  'started_at': (string);
  'audit_log': (_entente_control_v1_AuditLogStatus__Output | null);
  'process': (_entente_control_v1_ProcessStatus__Output | null);
}
