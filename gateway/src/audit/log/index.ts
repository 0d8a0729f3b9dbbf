export { AuditLog, logOrigin } from './log.js';
export { Witness, WitnessConflictError } from './witness.js';
export type { ProofSource, WitnessDeps } from './witness.js';
export { checkpointText, cosign, cosignatureTime, cosignedMessage, openCheckpoint, openCheckpointWithAny, readCheckpoint, signCheckpoint } from './checkpoint.js';
export type { Checkpoint } from './checkpoint.js';
export { NoteKey, SIG_TYPE, formatNote, formatVkey, keyIdOf, parseNote, parseVkey, signatureBy, signatureLine, verifyEd25519, vkeyAs, withSignatures } from './note.js';
export type { Note, NoteSignature, SigType, Vkey } from './note.js';
