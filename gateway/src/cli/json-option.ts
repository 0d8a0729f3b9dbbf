import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './args.js';

/**
 * The value of an option that takes JSON: the text itself, or `@` and a file holding it
 * (`--input @cohort.json`; a bare path that is not JSON but names a file works too). A usage
 * error names the option, and the file when it is one.
 */
export function jsonOption(flag: string, text: string): unknown {
  if (!text.startsWith('@')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      if (!existsSync(text)) throw new UsageError(`${flag} is not valid JSON: ${(err as Error).message} (to read a file, write ${flag} @file.json)`);
    }
  }
  const file = text.startsWith('@') ? text.slice(1) : text;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${text}: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(content);
  } catch (err) {
    throw new UsageError(`${flag} ${text}: ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
