import { describe, expect, it } from 'vitest';
import { peerCertificateOf } from '../../../gateway/src/lib/index.js';

/**
 * Stand-ins for grpc-js server calls, shaped as grpc-js 1.x builds them (`call.call.stream.session`):
 * what is under test is which reads happen. That real calls have this shape is shown by the
 * lifecycle test, where closeConnectionOf, through the same path, closes a real connection.
 */
function fakeCall(session: object | undefined, der: Buffer | undefined, reads: { n: number }) {
  return {
    ...(session !== undefined ? { call: { stream: { session } } } : {}),
    getAuthContext() {
      reads.n++;
      return der === undefined ? {} : { transportSecurityType: 'ssl', sslPeerCertificate: { raw: der } as never };
    },
  };
}

describe('peerCertificateOf', () => {
  it('reads the client certificate once per connection, and again for another connection', () => {
    const reads = { n: 0 };
    const one = { closed: false, close: () => undefined };
    const two = { closed: false, close: () => undefined };
    const a = Buffer.from('cert of a');
    const b = Buffer.from('cert of b');
    for (let i = 0; i < 3; i++) expect(peerCertificateOf(fakeCall(one, a, reads))).toBe(a);
    expect(reads.n).toBe(1);
    expect(peerCertificateOf(fakeCall(two, b, reads))).toBe(b);
    expect(peerCertificateOf(fakeCall(one, b, reads))).toBe(a); // a connection keeps its certificate
    expect(reads.n).toBe(2);
  });

  it('keeps nothing for a connection without a certificate, and reads per call when the connection is not visible', () => {
    const reads = { n: 0 };
    const bare = { closed: false, close: () => undefined };
    expect(peerCertificateOf(fakeCall(bare, undefined, reads))).toBeUndefined();
    expect(peerCertificateOf(fakeCall(bare, undefined, reads))).toBeUndefined();
    expect(reads.n).toBe(2);
    const der = Buffer.from('cert');
    peerCertificateOf(fakeCall(undefined, der, reads));
    expect(peerCertificateOf(fakeCall(undefined, der, reads))).toBe(der);
    expect(reads.n).toBe(4);
  });
});
