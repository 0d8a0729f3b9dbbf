import { createServer } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import { splitHostPort } from './address.js';
import { EntenteError } from './errors.js';

export const LISTEN_ERROR_CODES = {
  LISTEN_FAILED: 'a listener (listen, control.listen or control.socket) could not be bound',
} as const;

/** A listener could not be bound; `field` is the config field that named its address. */
export class ListenError extends EntenteError<keyof typeof LISTEN_ERROR_CODES> {
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('LISTEN_FAILED', message, options);
  }
}

const WHY: Record<string, string> = {
  EADDRINUSE: 'is already in use: stop the process listening there, or choose another port',
  EACCES: 'may not be bound by this user: choose a port above 1023, or grant the capability to bind it',
  EADDRNOTAVAIL: 'is not an address of this machine: use one of its addresses, or 0.0.0.0',
};

/**
 * Binds `server` to `address`; resolves with the bound port (useful with port 0). A TCP address
 * is tried with a plain socket first, so that a port in use is reported naming the config field
 * and the fix, not as grpc-js's "No address added out of total 1 resolved".
 */
export async function bindServer(server: grpc.Server, address: string, creds: grpc.ServerCredentials, field: string): Promise<number> {
  if (!address.startsWith('unix:')) await probe(address, field);
  return new Promise((resolve, reject) =>
    server.bindAsync(address, creds, (err, port) =>
      err ? reject(new ListenError(field, `${field}: cannot listen on ${address}: ${err.message}`, { cause: err })) : resolve(port),
    ),
  );
}

async function probe(address: string, field: string): Promise<void> {
  const { host, port } = splitHostPort(address);
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const why = WHY[err.code ?? ''] ?? `failed (${err.code ?? err.message})`;
      reject(new ListenError(field, `${field}: ${address} ${why}`, { cause: err }));
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Stops accepting calls, lets in-flight ones finish for `graceMs`, then cuts the rest. */
export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Closes, gracefully, the connection a call came on: answers already sent still arrive, and the
 * client's next call opens a new connection.
 *
 * A server calls it for a call that arrives after it stopped. grpc-js serves a connection whose
 * TLS handshake finished after the server was shut down (its session handler does not check),
 * with the stopped server's handlers, and the client keeps using it rather than reconnecting to
 * whatever listens on the port now. grpc-js gives a call no handle on its connection, so this
 * reaches into its internals (`call.call.stream.session`) and does nothing if they change.
 */
export function closeConnectionOf(call: object): void {
  const session = sessionOf(call);
  if (session !== undefined && !session.closed) session.close();
}

/** The HTTP/2 connection a grpc-js server call came on, when its internals show it. */
function sessionOf(call: object): { closed: boolean; close(): void } | undefined {
  return (call as { call?: { stream?: { session?: { closed: boolean; close(): void } } } }).call?.stream?.session;
}

/** Each connection's client certificate (DER), read once per connection (see peerCertificateOf). */
const certificates = new WeakMap<object, Buffer>();

/**
 * The DER of the client certificate TLS verified on the connection a call came on, read from
 * the TLS socket once per connection instead of once per call: grpc-js's getAuthContext() calls
 * getPeerCertificate(), which builds an object with three fingerprints each time (~30 µs).
 *
 * Sound because a connection's peer certificate cannot change: node refuses TLS renegotiation
 * on HTTP/2 connections (ERR_HTTP2_SOCKET_TLS_RENEGOTIATION_FORBIDDEN, as RFC 9113 §9.2.1
 * requires) and TLS 1.3 has none. Only the bytes are kept: whom they identify is decided on
 * every call against the trust in force then. Without the connection (grpc-js internals
 * changed), it reads the certificate per call, as before.
 */
export function peerCertificateOf(call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>): Buffer | undefined {
  const session = sessionOf(call);
  if (session === undefined) return call.getAuthContext().sslPeerCertificate?.raw;
  let der = certificates.get(session);
  if (der === undefined) {
    der = call.getAuthContext().sslPeerCertificate?.raw;
    if (der !== undefined) certificates.set(session, der);
  }
  return der;
}
