// Facts about columns and expressions that several rules share.
import type { TableInfo } from '../schema/model';
import type * as ast from '../../../sql/src/ast';

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);
const NOW_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'clock_timestamp',
  'localtimestamp',
  'current_date',
]);
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'date', 'time', 'timetz']);

/** Why a column's values grow with time, or undefined when they do not. */
export function sequentialReason(column: ast.Column): string | undefined {
  if (column.type && SERIAL_TYPES.has(column.type.name))
    return `SERIAL (with the default serial_normalization it becomes INT8 DEFAULT unique_rowid(), ordered by time)`;
  if (column.identity) return 'an IDENTITY column (backed by a sequence)';
  const call = column.default?.call;
  if (call === 'unique_rowid') return 'unique_rowid() (roughly ordered by insertion time)';
  if (call === 'nextval') {
    const sequence = column.default?.firstStringArgument;
    return `a sequence${sequence ? ` (${sequence})` : ''}`;
  }
  const word = column.default?.word;
  const type = column.type?.name ?? '';
  if (TIME_TYPES.has(type) && ((call && NOW_FUNCTIONS.has(call)) || (word && NOW_FUNCTIONS.has(word)))) {
    return `a ${type.toUpperCase()} defaulting to ${call ? `${call}()` : (word ?? '')}`;
  }
  return undefined;
}

export function isRegionType(type: string | undefined): boolean {
  return type === 'crdb_internal_region' || type?.endsWith('.crdb_internal_region') === true;
}

export function tableColumn(table: TableInfo | undefined, name: string): ast.Column | undefined {
  return table?.columns.get(name)?.definition;
}

/** The table and the locality a statement gives it: CREATE TABLE … LOCALITY, or ALTER TABLE … SET LOCALITY. */
export function localityOf(statement: ast.Statement): { table: ast.QualifiedName; locality?: ast.Locality } | undefined {
  if (statement.type === 'create-table')
    return statement.locality ? { table: statement.name, locality: statement.locality } : { table: statement.name };
  if (statement.type !== 'alter-table') return undefined;
  let locality: ast.Locality | undefined;
  for (const command of statement.commands) if (command.kind === 'set-locality') locality = command.locality;
  return locality ? { table: statement.name, locality } : { table: statement.name };
}
