// Whether a statement the parser classifies as a query writes data all the same: a WITH clause
// that inserts, updates, deletes or upserts (`WITH x AS (DELETE … RETURNING …) SELECT …`,
// `WITH x AS (…) INSERT INTO t …`). Read from the lexer's tokens until the parser's AST names a
// statement's write targets.
import type { Token } from '../../../sql/src/lexer';
import { isWord } from './rewrite';

export function queryWrites(tokens: readonly Token[]): boolean {
  return tokens.some((token, i) => {
    if (isWord(token, 'insert', 'delete', 'upsert')) return true;
    // UPDATE, but not a row lock (FOR UPDATE, FOR NO KEY UPDATE).
    return isWord(token, 'update') && !isWord(tokens[i - 1], 'for', 'key');
  });
}
