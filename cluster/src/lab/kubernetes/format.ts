// How kubectl prints: its tables (a tab writer padding every column but the last by three spaces,
// no column narrower than six) and its ages (Kubernetes' "human duration": seconds up to two
// minutes, then minutes and seconds, minutes, hours and minutes, days…).

const PADDING = 3;
const MIN_WIDTH = 6;

/** Rows of cells as kubectl's printers lay them out: the header first, columns left-aligned. */
export function kubectlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(MIN_WIDTH, ...all.map((row) => (row[column] ?? '').length + PADDING)));
  return `${all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? MIN_WIDTH)))
        .join('')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** An age as kubectl prints it in its AGE columns, from a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
