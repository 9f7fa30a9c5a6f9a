// The statement and token at a document offset (re-lexing just that statement).
import type { DocumentStatement } from '../analysis/statements';
import { lex, type Token } from '../../../sql/src/lexer';

export interface TokenContext {
  statement?: DocumentStatement;
  /** Tokens of the statement, offsets made absolute. */
  tokens: Token[];
  /** The token under or just before the offset. */
  token?: Token;
  /** Tokens before the offset, the word being typed excluded. */
  before: Token[];
}

export function tokenContext(statements: readonly DocumentStatement[], offset: number): TokenContext {
  const statement = statements.find((s) => s.offset <= offset && offset <= s.offset + s.text.length);
  if (!statement) return { tokens: [], before: [] };
  const tokens = lex(statement.text).tokens.map((t) => ({ ...t, start: t.start + statement.offset, end: t.end + statement.offset }));
  const token = tokens.find((t) => t.start <= offset && offset <= t.end);
  // The word being typed is not context; a '.' or ',' just typed is.
  const typing = token && (token.kind === 'ident' || token.kind === 'qident') ? token : undefined;
  const before = tokens.filter((t) => t.end <= offset && t !== typing);
  return { statement, tokens, ...(token ? { token } : {}), before };
}
