import type { Builtin } from './types.js';
import { NUMBER_BUILTINS } from './numbers.js';
import { STRING_BUILTINS } from './strings.js';
import { COLLECTION_BUILTINS } from './collections.js';
import { TEXT_BUILTINS } from './text.js';
import { TIME_BUILTINS } from './time.js';
import { GRAPH_BUILTINS } from './walk.js';
import { UNIT_BUILTINS } from './units.js';
import { NET_BUILTINS } from './net.js';
import { GLOB_BUILTINS } from './glob.js';
import { JSON_BUILTINS } from './json.js';
import { SEMVER_BUILTINS } from './semver.js';

/** `print` is evaluated by the evaluator itself (variadic, prints undefined arguments too); listed so it resolves. */
const PRINT: Builtin = { kind: 'function', name: 'print', arity: 1, impl: () => true };

/** Every builtin the evaluator knows, by its full Rego name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  [PRINT, ...NUMBER_BUILTINS, ...STRING_BUILTINS, ...COLLECTION_BUILTINS, ...TEXT_BUILTINS, ...TIME_BUILTINS, ...GRAPH_BUILTINS, ...UNIT_BUILTINS, ...NET_BUILTINS, ...GLOB_BUILTINS, ...JSON_BUILTINS, ...SEMVER_BUILTINS].map((b) => [b.name, b]),
);

export { BuiltinError } from './types.js';
export type { Builtin, BuiltinContext, BuiltinErrorCode } from './types.js';
