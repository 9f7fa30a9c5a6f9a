// The engine's syntax errors in CockroachDB's words. PostgreSQL says `syntax error at or near
// "PRIORITY"` / `syntax error at end of input`; CockroachDB's parser says `at or near "priority":
// syntax error` / `at or near "EOF": syntax error`, naming the token as its lexer read it
// (identifiers and keywords lower-cased, quoted identifiers as written, string literals unquoted).
// The engine's position is kept: the editor places the error with it.
import type { ErrorFields } from '../wire/messages';

const NEAR = 'syntax error at or near "';

export function cockroachSyntaxError(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '42601') return undefined;
  if (error.message === 'syntax error at end of input') return { ...error, message: 'at or near "EOF": syntax error' };
  if (!error.message.startsWith(NEAR) || !error.message.endsWith('"')) return undefined;
  const token = error.message.slice(NEAR.length, -1);
  return { ...error, message: `at or near "${lexedToken(token)}": syntax error` };
}

function lexedToken(token: string): string {
  if (token.length >= 2 && token.startsWith("'") && token.endsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  if (token.length >= 2 && token.startsWith('"') && token.endsWith('"')) return token.slice(1, -1).replace(/""/g, '"');
  return token.toLowerCase();
}
