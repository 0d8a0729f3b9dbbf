// Original file: proto/entente/federation/v1/federation.proto


export interface GetCardRequest {
}

export interface GetCardRequest__Output {
}
