// Original file: proto/entente/control/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface Statement {
  /**
   * request, result or ack.
   */
  'kind'?: (string);
  'signer_org'?: (string);
  'kid'?: (string);
  /**
   * sha256: + base64url of SHA-256 over the compact JWS text.
   */
  'digest'?: (string);
  /**
   * The signed payload as JSON text (digests and metadata only, never task data).
   */
  'payload_json'?: (string);
  'jws'?: (string);
  /**
   * The statement's position in this gateway's audit log (its Merkle leaf index): an audit
   * export proves it is there with an inclusion proof.
   */
  'log_index'?: (number | string | Long);
}

export interface Statement__Output {
  /**
   * request, result or ack.
   */
  'kind': (string);
  'signer_org': (string);
  'kid': (string);
  /**
   * sha256: + base64url of SHA-256 over the compact JWS text.
   */
  'digest': (string);
  /**
   * The signed payload as JSON text (digests and metadata only, never task data).
   */
  'payload_json': (string);
  'jws': (string);
  /**
   * The statement's position in this gateway's audit log (its Merkle leaf index): an audit
   * export proves it is there with an inclusion proof.
   */
  'log_index': (string);
}
