import * as grpc from '@grpc/grpc-js';

type CaListener = grpc.experimental.CaCertificateUpdateListener;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;

/**
 * The federation server's TLS material, swappable without rebinding: a reload that adds a
 * partner must add its CA to the roots client certificates are checked against, or the new
 * partner is refused at the handshake until a restart. grpc-js takes this through its
 * (experimental) certificate-provider credentials; existing connections keep their context,
 * and every call is still checked against the current TrustStore.
 */
export class ReloadableTls implements grpc.experimental.CertificateProvider {
  private ca: Buffer;
  private readonly identity: { certificate: Buffer; privateKey: Buffer };
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(rootsPem: string, certPem: string, keyPem: string) {
    this.ca = Buffer.from(rootsPem);
    this.identity = { certificate: Buffer.from(certPem), privateKey: Buffer.from(keyPem) };
  }

  /** Server credentials that require a client certificate chaining to the current roots. */
  credentials(): grpc.ServerCredentials {
    // One provider for both roles: the factory's parameter order has differed between releases.
    return grpc.experimental.createCertificateProviderServerCredentials(this, this, true);
  }

  /** New client-certificate roots, for connections accepted from now on. */
  setRoots(rootsPem: string): void {
    this.ca = Buffer.from(rootsPem);
    for (const listener of this.caListeners) listener({ caCertificate: this.ca });
  }

  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    // Later, not now: grpc-js registers the server's watcher only after adding this listener.
    queueMicrotask(() => listener({ caCertificate: this.ca }));
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    queueMicrotask(() => listener(this.identity));
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}
