// Original file: proto/entente/federation/v1/federation.proto


export interface AcknowledgeResponse {
}

export interface AcknowledgeResponse__Output {
}
