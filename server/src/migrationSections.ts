// The rollback ("down") SQL of a migration, which is not part of the schema going forward: the
// Down sections of a file in sql-migrate's (`-- +migrate Down`), goose's (`-- +goose Down`) or
// dbmate's (`-- migrate:down`) format, and a whole `NAME.down.sql` file (golang-migrate, Ory's
// popx, sqlx). Applying a rollback right after its migration would undo the schema the next files
// build on, and its DROPs are its purpose, not a hazard: the linter reads forward SQL only, and
// reads the rollback SQL for syntax alone (it must still run when needed).
//
// The markers are found as the tools find them: a line that starts with the comment (leading
// space allowed), read line by line, without reading the SQL around it. A section runs from its
// marker to the next Up or Down marker, or to the end of the file.

/** A file whose whole content is a rollback, by the `.down.sql` naming the migration tools share. */
export function isDownMigrationFile(uri: string): boolean {
  return uri.toLowerCase().endsWith('.down.sql');
}

type Marker = 'up' | 'down';

/** The section a line starts, when it is one of the tools' markers (options after the word allowed). */
function markerOf(line: string): Marker | undefined {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith('--')) return undefined;
  const comment = trimmed.slice(2).trimStart();
  // dbmate: `-- migrate:up`, `-- migrate:down transaction:false`.
  if (comment.startsWith('migrate:')) return sectionWord(comment.slice('migrate:'.length));
  // sql-migrate and goose: `-- +migrate Up`, `-- +goose Down`, `-- +migrate Up notransaction`.
  for (const tool of ['+migrate', '+goose'])
    if (comment.startsWith(tool)) {
      const rest = comment.slice(tool.length);
      // The tool's word must be followed by space (`+migrated` is no marker).
      if (rest.length > 0 && rest.trimStart() !== rest) return sectionWord(rest.trimStart());
    }
  return undefined;
}

/** `up` or `down` (in any case: goose reads `+goose up` too) as the first word of `text`, followed by its end or by space. */
function sectionWord(text: string): Marker | undefined {
  for (const word of ['up', 'down'] as const) {
    if (text.slice(0, word.length).toLowerCase() !== word) continue;
    const after = text.charAt(word.length);
    if (after === '' || after.trim() === '') return word;
  }
  return undefined;
}

export interface MigrationText {
  /** The text with its Down sections blanked (line breaks kept, so offsets and lines stay). */
  forward: string;
  /** The text with all but its Down sections blanked; undefined when it has none. */
  rollback: string | undefined;
}

/** Every marker holds one of these: a text with neither has no section (a quick test before reading lines). */
export const MIGRATION_MARKS: readonly string[] = ['+migrate', '+goose', 'migrate:'];

function mayHoldMarkers(text: string): boolean {
  return MIGRATION_MARKS.some((mark) => text.includes(mark));
}

/** The text with everything outside `kept` (ascending, apart) blanked; line breaks always stay. */
function blankedExcept(text: string, kept: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const { start, end } of kept) {
    out += blank(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  return out + blank(text.slice(at));
}

function blank(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 10 && code !== 13) continue;
    out += ' '.repeat(i - from) + text.charAt(i);
    from = i + 1;
  }
  return out + ' '.repeat(text.length - from);
}

/** A migration's forward SQL and its rollback SQL, by its Up and Down markers. */
export function splitMigration(text: string): MigrationText {
  if (!mayHoldMarkers(text)) return { forward: text, rollback: undefined };
  const down: { start: number; end: number }[] = [];
  const up: { start: number; end: number }[] = [];
  let section: Marker | undefined;
  let sectionStart = 0;
  const close = (at: number): void => {
    if (section === 'down') down.push({ start: sectionStart, end: at });
    else up.push({ start: sectionStart, end: at });
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const marker = markerOf(text.slice(lineStart, lineEnd));
    if (marker) {
      close(lineStart);
      section = marker;
      sectionStart = lineStart;
    }
    lineStart = lineEnd + 1;
  }
  close(text.length);
  if (down.length === 0) return { forward: text, rollback: undefined };
  return { forward: blankedExcept(text, up), rollback: blankedExcept(text, down) };
}
