import { positiveInteger } from './args.js';

const DEFAULT_LIMIT = 50;
/** The control API's largest page. */
const MAX_PAGE = 1000;

/** `--limit <n>` of a command that lists `things`. */
export function limitOption(things: string): { readonly type: 'string'; readonly arg: string; readonly help: string } {
  return { type: 'string', arg: '<n>', help: `at most this many ${things} (${DEFAULT_LIMIT} by default)` };
}

/** The --limit given (or the default), and the page size that fetches it in as few pages as may be. */
export function limitOf(value: string | undefined): { readonly limit: number; readonly pageSize: number } {
  const limit = positiveInteger(value, '--limit') ?? DEFAULT_LIMIT;
  return { limit, pageSize: Math.min(limit, MAX_PAGE) };
}

/** The first `limit` items of a paged listing, fetching no page past them. */
export async function take<T>(items: AsyncIterable<T>, limit: number): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) {
    found.push(item);
    if (found.length >= limit) break;
  }
  return found;
}
