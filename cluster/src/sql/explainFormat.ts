// CockroachDB's EXPLAIN text: a header of `key: value` lines, an empty line, then the plan as a
// tree of `•` operators drawn with box characters, each operator followed by its fields. Only the
// drawing lives here; which operators and fields a statement gets is decided in explain.ts.

/** One `key: value` line of an operator; a field with an empty value prints its key alone. */
export interface PlanField {
  key: string;
  value: string;
}

/** An operator of a CockroachDB plan, as EXPLAIN shows it. */
export interface PlanNode {
  /** The operator's name after `•`: `scan`, `lookup join`, `group (hash)`, … */
  name: string;
  /** Fields in the order CockroachDB prints them (execution statistics first, then estimates, then the operator's own). */
  fields: PlanField[];
  children: PlanNode[];
}

export function field(key: string, value: string | number = ''): PlanField {
  return { key, value: String(value) };
}

/** The plan's lines below the header, as CockroachDB draws them. */
export function drawPlan(root: PlanNode): string[] {
  const lines: string[] = [];
  drawNode(root, '', '', lines);
  return lines;
}

/**
 * `first` prefixes the operator's own line (`├── `, `└── ` or nothing at the root); `rest` prefixes
 * every following line of its block. Fields sit under a `│` rail when children follow, and a
 * bare rail line separates the fields from the children and one child from the next.
 */
function drawNode(node: PlanNode, first: string, rest: string, lines: string[]): void {
  lines.push(`${first}• ${node.name}`);
  const hasChildren = node.children.length > 0;
  const fieldPrefix = hasChildren ? `${rest}│ ` : `${rest}  `;
  for (const f of node.fields) lines.push(`${fieldPrefix}${f.value === '' ? f.key : `${f.key}: ${f.value}`}`);
  node.children.forEach((child, i) => {
    lines.push(`${rest}│`);
    const last = i === node.children.length - 1;
    drawNode(child, `${rest}${last ? '└── ' : '├── '}`, `${rest}${last ? '    ' : '│   '}`, lines);
  });
}

/** A count as CockroachDB prints it: digits grouped by commas (1,000). */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration as CockroachDB's humanized durations read: µs below a millisecond, ms below a second, then seconds. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((Math.round(ms / 100) / 10).toFixed(1))}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** A byte size in binary units as CockroachDB prints memory and KV bytes (0 B, 87 KiB, 2.4 KiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 10) return `${Math.round(bytes)} B`;
  const exponent = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), units.length - 1);
  const value = Math.round((bytes / 1024 ** exponent) * 10) / 10;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ${units[exponent] ?? 'B'}`;
}
