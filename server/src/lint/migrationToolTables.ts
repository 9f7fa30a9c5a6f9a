// The bookkeeping tables that migration tools create for themselves, under their documented
// default names. A tool writes one row per applied migration (and a lock row around a run): a
// table written a few times a year is no write hotspot, whatever its key, and the project does
// not choose its shape (the tool does). Rules about insert hotspots leave these tables alone.

/** Default table names, lower-cased, with the tool that owns each. */
const MIGRATION_TOOL_TABLES: ReadonlyMap<string, string> = new Map([
  ['schema_migrations', 'golang-migrate, dbmate, Rails, Ecto'],
  ['schema_lock', 'golang-migrate (its CockroachDB lock table)'],
  ['schema_migration', 'pop / fizz (also Ory popx)'],
  ['goose_db_version', 'goose'],
  ['gorp_migrations', 'sql-migrate'],
  ['flyway_schema_history', 'Flyway'],
  ['schema_version', 'Flyway before v5'],
  ['databasechangelog', 'Liquibase'],
  ['databasechangeloglock', 'Liquibase'],
  ['__diesel_schema_migrations', 'Diesel'],
  ['_sqlx_migrations', 'sqlx'],
  ['_prisma_migrations', 'Prisma'],
  ['knex_migrations', 'Knex'],
  ['knex_migrations_lock', 'Knex'],
  ['django_migrations', 'Django'],
  ['alembic_version', 'Alembic'],
  ['__efmigrationshistory', 'Entity Framework Core'],
  ['atlas_schema_revisions', 'Atlas'],
  ['seaql_migrations', 'SeaORM'],
  ['sequelizemeta', 'Sequelize'],
  ['mikro_orm_migrations', 'MikroORM'],
  ['migrations', 'Laravel, TypeORM'],
]);

/** The migration tool that owns a table of this (unqualified) name by default, if one does. */
export function migrationToolOwning(table: string): string | undefined {
  return MIGRATION_TOOL_TABLES.get(table.toLowerCase());
}
