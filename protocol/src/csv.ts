// Text for the clipboard. Rows follow PostgreSQL's COPY … CSV conventions, so a NULL (an unquoted
// empty field) stays distinguishable from an empty string (a quoted one) after a paste.

export type Cell = string | null;

/** One field of a CSV line. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  // Leading or trailing blanks are quoted too: spreadsheets trim unquoted fields.
  if (value === '' || /[",\r\n]/.test(value) || value.trim() !== value) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One CSV line (no line break at the end). */
export function csvRow(values: readonly Cell[]): string {
  return values.map(csvField).join(',');
}

/** A single cell as the view shows it: NULL as the word, which is what a query would want pasted. */
export function cellText(value: Cell): string {
  return value ?? 'NULL';
}
