// Flags an index whose columns are a prefix of another index, of the primary key or of a
// UNIQUE constraint: every query it serves, the longer one serves too, and each index costs
// a write on every insert.
//
//   INDEX a (account_id), INDEX b (account_id, posted_at)  -- a is redundant
import type { IndexInfo } from '../../schema/model';
import { keyColumns } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Rule, type RuleContext } from '../rule';

interface Candidate {
  name: string;
  columns: string[];
  unique: boolean;
}

function describe(index: Candidate): string {
  return `${index.name} (${index.columns.join(', ')})`;
}

function coveredBy(index: ast.IndexDef, others: Candidate[]): Candidate | undefined {
  if (index.partitionBy || index.where || index.inverted || index.vector || index.kind === 'primary') return undefined;
  const columns = keyColumns(index);
  if (columns.length === 0) return undefined;
  return others.find((other) => {
    if (other.columns.length < columns.length) return false;
    if (!columns.every((c, i) => other.columns[i] === c)) return false;
    // A UNIQUE index guarantees something a wider index does not.
    if (index.kind === 'unique') return other.unique && other.columns.length === columns.length;
    return true;
  });
}

function fromModel(info: IndexInfo): Candidate {
  return {
    name: info.kind === 'primary' ? 'the primary key' : (info.name ?? 'an unnamed index'),
    columns: info.columns,
    unique: info.kind !== 'index',
  };
}

function report(context: RuleContext, index: ast.IndexDef, covering: Candidate): void {
  context.report(
    index.name ?? index,
    `Index ${index.name?.value ?? ''} (${keyColumns(index).join(', ')}) is redundant: ${describe(covering)} starts with the same columns.`.replace(
      'Index  (',
      'Index (',
    ),
  );
}

export const redundantIndex: Rule = {
  id: 'redundant-index',
  defaultSeverity: 'warning',
  title: 'Redundant index (a prefix of another index, the primary key or a UNIQUE constraint)',
  description:
    'An index whose columns are a prefix of another index serves no query the other cannot, and every index costs a write on each insert and update. Drop it.',
  docs: `${DOCS}schema-design-indexes#best-practices`,
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-table') {
      const all: (Candidate & { index: ast.IndexDef })[] = statement.indexes.map((index) => ({
        index,
        name: index.name?.value ?? (index.kind === 'unique' ? 'a UNIQUE constraint' : 'an unnamed index'),
        columns: keyColumns(index),
        unique: index.kind !== 'index',
      }));
      if (statement.primaryKey)
        all.push({ index: statement.primaryKey, name: 'the primary key', columns: keyColumns(statement.primaryKey), unique: true });
      for (const candidate of all) {
        const others = all.filter(
          (o) =>
            o !== candidate &&
            !(
              o.columns.length === candidate.columns.length &&
              all.indexOf(o) > all.indexOf(candidate) &&
              o.index.kind === candidate.index.kind
            ),
        );
        const covering = coveredBy(candidate.index, others);
        if (covering) report(context, candidate.index, covering);
      }
    } else if (statement.type === 'create-index') {
      const table = context.model.table(statement.table);
      if (!table) return;
      const others: Candidate[] = table.indexes.map(fromModel);
      if (table.primaryKey.length > 0) others.push({ name: 'the primary key', columns: table.primaryKey, unique: true });
      const covering = coveredBy(statement.index, others);
      if (covering) report(context, statement.index, covering);
    }
  },
};
