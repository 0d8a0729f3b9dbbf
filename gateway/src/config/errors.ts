import { EntenteError } from '../lib/index.js';

/** The one way a configuration fails; `problems` says where. */
export const CONFIG_ERROR_CODES = {
  CONFIG_INVALID: 'the configuration file cannot be read, does not parse, or breaks the schema; every problem names its path',
} as const;

export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;

/** The configuration is wrong; `problems` lists every one, each naming its path. */
export class ConfigError extends EntenteError<ConfigErrorCode> {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super('CONFIG_INVALID', `${source}: invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
