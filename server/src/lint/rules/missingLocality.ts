// Flags a table left without LOCALITY in a multi-region database: it silently becomes
// REGIONAL BY TABLE IN PRIMARY REGION, so every other region pays a cross-region round trip.
//
//   CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";
//   CREATE TABLE shop.carts (id UUID PRIMARY KEY);   -- flagged
//
// A shape rule: a SET LOCALITY later in the same file settles it.
import { DOCS, type Fix, type Rule } from '../rule';

export const missingLocality: Rule = {
  id: 'missing-locality',
  defaultSeverity: 'warning',
  title: 'Table without LOCALITY in a multi-region database',
  description:
    'In a multi-region database a table without a `LOCALITY` clause is `REGIONAL BY TABLE IN PRIMARY REGION`: its voters and leaseholder live in the primary region, ' +
    'so reads and writes from other regions cross regions. Say which locality you mean: `REGIONAL BY ROW` for data that belongs to a region, `GLOBAL` for read-mostly data, ' +
    '`REGIONAL BY TABLE IN …` for data used in one region.',
  docs: `${DOCS}table-localities`,
  checkShape({ table, database, inFile, report }) {
    if (table.locality || !database?.primaryRegion) return;
    const at = table.localityOrigin;
    const statement = at.parsed.statement;
    if (!inFile(at) || statement.type !== 'create-table') return;
    const end = at.parsed.end;
    const add = (clause: string, preferred = false): Fix => ({
      title: `Add LOCALITY ${clause}`,
      edits: [{ start: end, end, newText: ` LOCALITY ${clause}` }],
      preferred,
    });
    report(
      at,
      statement.name,
      `Table ${table.name} has no LOCALITY in multi-region database ${database.name}: it becomes REGIONAL BY TABLE IN PRIMARY REGION ("${database.primaryRegion}"). Choose its locality explicitly.`,
      [add('REGIONAL BY ROW', true), add('GLOBAL'), add('REGIONAL BY TABLE IN PRIMARY REGION')],
    );
  },
};
