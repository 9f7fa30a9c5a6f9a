import * as assert from 'node:assert/strict';
import type * as ast from '../../../sql/src/ast';
import { parseDocument } from '../../../sql/src/parser';

function statementOf(sql: string): ast.Statement {
  const parsed = parseDocument(sql).statements[0];
  assert.ok(parsed, `no statement in ${sql}`);
  assert.deepEqual(parsed.errors, [], sql);
  return parsed.statement;
}

function grantOf(sql: string): ast.Grant {
  const statement = statementOf(sql);
  assert.ok(statement.type === 'other' && statement.grant, sql);
  return statement.grant;
}

const values = (names: readonly ast.Name[]): string[] => names.map((n) => n.value);
const qualified = (names: readonly ast.QualifiedName[]): string[] => names.map((n) => n.parts.map((p) => p.value).join('.'));

describe('parser: GRANT, REVOKE, SHOW GRANTS and OWNER TO', () => {
  it('reads privileges, the kind of object (TABLE when none is written), its names and the grantees', () => {
    const grant = grantOf('GRANT SELECT, CREATE ON TABLE db.t, u TO alice, "Bob"');
    assert.deepEqual(values(grant.names), ['select', 'create']);
    assert.equal(grant.on?.kind, 'table');
    assert.deepEqual(qualified(grant.on.names), ['db.t', 'u']);
    assert.deepEqual(values(grant.grantees), ['alice', 'Bob']);
    assert.equal(grant.revoke, false);
    assert.equal(grantOf('GRANT CREATE ON repartition.rbr TO testuser').on?.kind, 'table');
    assert.equal(grantOf('GRANT USAGE ON TYPE status TO public').on?.kind, 'type');
    assert.equal(grantOf('GRANT CREATE ON SCHEMA db.public TO alice').on?.kind, 'schema');
    assert.equal(grantOf('GRANT SELECT ON ALL TABLES IN SCHEMA public TO alice').on?.kind, 'all-tables-in-schema');
  });

  it('reads ALL PRIVILEGES as ALL, and the grant and admin options', () => {
    const all = grantOf('GRANT ALL PRIVILEGES ON DATABASE a TO readwrite WITH GRANT OPTION');
    assert.deepEqual(values(all.names), ['all']);
    assert.equal(all.option, true);
    assert.equal(all.on?.kind, 'database');
    const revoke = grantOf('REVOKE GRANT OPTION FOR SELECT ON t FROM alice');
    assert.equal(revoke.revoke, true);
    assert.equal(revoke.option, true);
    assert.equal(grantOf('REVOKE SELECT ON t FROM alice').option, false);
  });

  it('reads GRANT role TO member as a grant without ON', () => {
    const grant = grantOf('GRANT admin, readers TO alice WITH ADMIN OPTION');
    assert.equal(grant.on, undefined);
    assert.deepEqual(values(grant.names), ['admin', 'readers']);
    assert.equal(grant.option, true);
    assert.equal(grantOf('REVOKE root FROM testuser').revoke, true);
  });

  it('reads SHOW GRANTS targets and users', () => {
    const statement = statementOf('SHOW GRANTS ON DATABASE a FOR readwrite, "test-user"');
    assert.ok(statement.type === 'other' && statement.show);
    assert.equal(statement.show.grantsOn?.kind, 'database');
    assert.deepEqual(values(statement.show.grantsFor ?? []), ['readwrite', 'test-user']);
  });

  it('reads OWNER TO in ALTER TABLE and ALTER DATABASE, and IF NOT EXISTS in CREATE USER', () => {
    const table = statementOf('ALTER TABLE db.t OWNER TO testuser');
    assert.ok(table.type === 'alter-table');
    const command = table.commands[0];
    assert.ok(command?.kind === 'owner');
    assert.equal(command.owner.value, 'testuser');
    const database = statementOf('ALTER DATABASE d OWNER TO alice');
    assert.ok(database.type === 'alter-database' && database.action?.kind === 'owner');
    assert.equal(database.action.owner.value, 'alice');
    const sql = 'CREATE USER IF NOT EXISTS alice';
    const user = statementOf(sql);
    assert.ok(user.type === 'create-role' && user.ifNotExists);
    assert.equal(sql.slice(user.ifNotExists.start, user.ifNotExists.end), 'IF NOT EXISTS');
  });
});
