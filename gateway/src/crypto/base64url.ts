const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes unpadded base64url, or returns undefined unless `text` is the one canonical
 * encoding of its bytes. Node's decoder skips stray characters and ignores trailing bits,
 * so several strings decode to the same bytes; accepting only the canonical one keeps a
 * third party from re-encoding a signature into a different JWS (and a different
 * statement digest) that still verifies.
 */
export function decodeCanonicalBase64url(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || !ALPHABET.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
