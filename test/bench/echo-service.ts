import type * as grpc from '@grpc/grpc-js';

const identity = (b: Buffer): Buffer => b;

/** A raw-bytes unary method: no protobuf work on either side, the cheapest possible call. */
export const ECHO_SERVICE: grpc.ServiceDefinition = {
  Echo: {
    path: '/bench.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};
