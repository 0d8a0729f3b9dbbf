import { RegoCompileError } from './errors.js';

export type TokenType = 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Identifier name, punctuation text, decoded string, or number literal text. */
  readonly text: string;
  readonly line: number;
  readonly col: number;
  /** A newline separates this token from the previous one (Rego ends expressions there). */
  readonly nl: boolean;
  /** For strings: written as a raw (backtick) string. */
  readonly raw?: boolean;
}

const PUNCT3 = new Set<string>([]);
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '|', '&']);

/** Splits Rego source into tokens; errors carry file:line:col. */
export function tokenize(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let nl = true;
  const fail = (msg: string, at = i): never => {
    throw new RegoCompileError('rego_parse_error', msg, { file, line, col: at - lineStart + 1 });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      nl = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    const push = (type: TokenType, text: string, raw?: boolean) => {
      tokens.push(raw === undefined ? { type, text, line, col, nl } : { type, text, line, col, nl, raw });
      nl = false;
    };
    if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      push('ident', src.slice(start, i));
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400));
      if (m === null) fail('invalid number');
      const text = m![0];
      i += text.length;
      if (i < src.length && /[A-Za-z_0-9.]/.test(src[i]!)) fail(`invalid number literal ${text}${src[i]}`);
      push('number', text);
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= src.length || src[i] === '\n') fail('unterminated string', start);
        if (src[i] === '\\') {
          i += 2;
          continue;
        }
        if (src[i] === '"') break;
        i++;
      }
      i++;
      let value: string;
      try {
        value = JSON.parse(src.slice(start, i)) as string;
      } catch {
        return fail('invalid escape in string', start);
      }
      push('string', value);
      continue;
    }
    if (c === '`') {
      const start = i;
      const startLine = line;
      i++;
      while (i < src.length && src[i] !== '`') {
        if (src[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= src.length) fail('unterminated raw string', start);
      i++;
      tokens.push({ type: 'string', text: src.slice(start + 1, i - 1), line: startLine, col, nl, raw: true });
      nl = false;
      continue;
    }
    const three = src.slice(i, i + 3);
    if (PUNCT3.has(three)) {
      i += 3;
      push('punct', three);
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      push('punct', two);
      continue;
    }
    if (PUNCT1.has(c)) {
      i++;
      push('punct', c);
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ type: 'eof', text: '', line, col: i - lineStart + 1, nl: true });
  return tokens;
}
