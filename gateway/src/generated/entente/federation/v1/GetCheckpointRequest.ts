// Original file: proto/entente/federation/v1/federation.proto


export interface GetCheckpointRequest {
}

export interface GetCheckpointRequest__Output {
}
