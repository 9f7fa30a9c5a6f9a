// Shared by the replication rules: the CONFIGURE ZONE clause of a statement, if any.
import type * as ast from '../../../../sql/src/ast';

export function configureZoneOf(statement: ast.Statement): ast.ConfigureZone | undefined {
  if (statement.type === 'configure-zone') return statement.zone;
  if (statement.type === 'alter-table') {
    for (const command of statement.commands) if (command.kind === 'configure-zone') return command.zone;
  }
  if (statement.type === 'alter-database' && statement.action?.kind === 'configure-zone') return statement.action.zone;
  return undefined;
}
