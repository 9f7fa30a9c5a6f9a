// Where in the editor a server error points. PostgreSQL (and CockroachDB) report a 1-based
// position in characters, i.e. code points, of the statement as sent; editors count UTF-16
// units, so an emoji before the error would otherwise shift the mark.

export interface SourceLocation {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count. */
  column: number;
}

/**
 * `statement` is the text sent, which may begin with `prefixLength` characters the source does not
 * have (the `EXPLAIN ` the EXPLAIN command puts before the statement at the cursor): the server's
 * position counts them, the source's columns do not.
 */
export function errorLocation(
  sourceText: string,
  statementStart: number,
  statement: string,
  position?: number,
  prefixLength = 0,
): SourceLocation {
  const sent =
    position !== undefined && position >= 1
      ? unitsBefore(statement, position - 1)
      : prefixLength + firstNonSpace(statement.slice(prefixLength));
  const within = Math.max(0, sent - prefixLength);
  return lineAndColumn(sourceText, Math.min(sourceText.length, statementStart + within));
}

/** UTF-16 offset of the code point at index `codePoints` (clamped to the statement's end). */
function unitsBefore(statement: string, codePoints: number): number {
  let units = 0;
  let seen = 0;
  while (seen < codePoints && units < statement.length) {
    const code = statement.charCodeAt(units);
    const next = statement.charCodeAt(units + 1);
    units += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    seen++;
  }
  return units;
}

function firstNonSpace(statement: string): number {
  const match = /\S/.exec(statement);
  return match ? match.index : 0;
}

function lineAndColumn(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
