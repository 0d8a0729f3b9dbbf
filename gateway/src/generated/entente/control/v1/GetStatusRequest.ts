// Original file: proto/entente/control/v1/control.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
