// Where a shape finding points: the statement that last shaped what it is about, and the part of
// that statement that did it.
import type * as ast from '../../../sql/src/ast';
import type { Origin } from './model';

/**
 * The span, in `at`'s statement, of the first candidate that came from `at` (a name, a column,
 * an index); the whole statement when none did (e.g. a later ALTER changed the object).
 */
export function spanAt(at: Origin, ...candidates: [Origin | undefined, ast.Span | undefined][]): ast.Span {
  for (const [origin, span] of candidates) if (origin === at && span) return span;
  return { start: at.parsed.start, end: at.parsed.end };
}
