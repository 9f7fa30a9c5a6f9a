// Flags a password written as a literal in a SQL file: SQL files live in version control,
// CI logs and editor histories.
//
//   CREATE USER reporting WITH PASSWORD 'hunter2';  -- flagged
import { DOCS, type Rule } from '../rule';

export const passwordLiteral: Rule = {
  id: 'password-literal',
  defaultSeverity: 'warning',
  title: 'Password written as a literal',
  description:
    'A password in a SQL file ends up in version control and logs. Create the user without one (`PASSWORD NULL`), use certificate or SSO authentication, ' +
    'or set the password from a secret store at deploy time.',
  docs: `${DOCS}create-user`,
  statements: ['create-role'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'create-role' || !statement.password) return;
    context.report(
      statement.password,
      `The password of ${statement.name.value} is written in the SQL file: keep secrets out of schema files.`,
      [
        {
          title: 'Replace the literal with PASSWORD NULL (set it at deploy time)',
          edits: [{ start: statement.password.start, end: statement.password.end, newText: 'NULL' }],
        },
      ],
    );
  },
};
