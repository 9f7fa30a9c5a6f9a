// Splits a token stream into statements: at top-level `;`, and around shell \commands, which
// end at their line. Strings, dollar quotes and comments are single tokens already, so a `;`
// inside them never splits.
import type { Token } from './lexer';

export interface StatementTokens {
  /** Index of the first token in the token array. */
  from: number;
  /** Index after the last token, excluding the `;`. */
  to: number;
  /** The terminating `;`, when there is one. */
  semicolon?: Token;
}

export function splitStatements(tokens: readonly Token[]): StatementTokens[] {
  const statements: StatementTokens[] = [];
  let from = 0;
  // Inside `BEGIN ATOMIC … END` (a SQL function or procedure body) a `;` separates the body's
  // statements, not ours. As CockroachDB's scanner does, BEGIN ATOMIC opens a level and any
  // END closes one.
  let bodies = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (token.kind === 'ident') {
      if (token.value === 'atomic' && i > from && tokens[i - 1]?.kind === 'ident' && tokens[i - 1]?.value === 'begin') bodies++;
      else if (token.value === 'end' && bodies > 0) bodies--;
      continue;
    }
    if (token.kind === 'punct' && token.value === ';') {
      if (bodies > 0) continue;
      if (i > from) statements.push({ from, to: i, semicolon: token });
      from = i + 1;
    } else if (token.kind === 'command') {
      bodies = 0;
      if (i > from) statements.push({ from, to: i });
      statements.push({ from: i, to: i + 1 });
      from = i + 1;
    }
  }
  if (from < tokens.length) statements.push({ from, to: tokens.length });
  return statements;
}
