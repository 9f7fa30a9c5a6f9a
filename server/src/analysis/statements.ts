// A document as a list of parsed statements, re-using the parse of every statement whose text
// did not change since the last analysis (one edit re-parses one statement).
import type { ParsedStatement } from '../sql/ast';
import type { Token } from '../sql/lexer';
import { parseDocument } from '../sql/parser';
import { statementRanges } from '../sql/statementRanges';

/** One statement of a document. Spans inside `parsed` and `comments` are relative to `offset`. */
export interface DocumentStatement {
  offset: number;
  /** The statement's source, from just after the previous statement to its `;`. */
  text: string;
  parsed: ParsedStatement;
  /** Comments inside `text`, including those just before the statement. */
  comments: Token[];
}

interface CachedParse {
  statements: ParsedStatement[];
  comments: Token[];
}

export class StatementCache {
  private entries = new Map<string, CachedParse>();
  private used = new Map<string, CachedParse>();

  get(text: string): CachedParse {
    let entry = this.used.get(text) ?? this.entries.get(text);
    if (!entry) {
      const document = parseDocument(text);
      entry = { statements: document.statements, comments: document.comments };
    }
    this.used.set(text, entry);
    return entry;
  }

  /** Forgets the statements the last analysis did not use, so memory follows the document. */
  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
  }

  get size(): number {
    return this.entries.size;
  }
}

export function documentStatements(text: string, cache = new StatementCache()): DocumentStatement[] {
  const result: DocumentStatement[] = [];
  for (const range of statementRanges(text)) {
    const source = text.slice(range.start, range.end);
    const { statements, comments } = cache.get(source);
    statements.forEach((parsed, index) => {
      // Comments go with the first statement of the slice (there is almost always one).
      result.push({ offset: range.start, text: source, parsed, comments: index === 0 ? comments : [] });
    });
  }
  cache.sweep();
  return result;
}
