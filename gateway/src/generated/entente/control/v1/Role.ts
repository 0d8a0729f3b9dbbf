// Original file: proto/entente/control/v1/control.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_REQUESTER: 'ROLE_REQUESTER',
  ROLE_RESPONDER: 'ROLE_RESPONDER',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_REQUESTER'
  | 1
  | 'ROLE_RESPONDER'
  | 2

export type Role__Output = typeof Role[keyof typeof Role]
