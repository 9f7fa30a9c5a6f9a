// What the engine holds before any user statement: one PostgreSQL schema per CockroachDB
// database (defaultdb, postgres), CockroachDB's built-in functions that PostgreSQL lacks, and the
// crdb_internal tables the simulator fills in before a query reads them. Sessions put
// `"<database>", public, pg_catalog` on their search_path, so the functions in `public` shadow
// PostgreSQL's own (version()).
import { HISTORY_SQL } from './history';
import { MULTI_REGION_ZONE_SQL } from './multiRegionZoneSql';

export const CRDB_VERSION = 'v25.2.0';

export const BOOTSTRAP_SQL = `
CREATE ROLE admin;
-- root: CockroachDB's superuser, a member of admin; sessions of root run as this role.
CREATE ROLE root SUPERUSER LOGIN;
GRANT admin TO root WITH ADMIN OPTION;
CREATE SCHEMA defaultdb;
CREATE SCHEMA postgres;
CREATE SCHEMA crdb_internal;
CREATE TABLE crdb_internal.rowid_state (last int8 NOT NULL);
INSERT INTO crdb_internal.rowid_state VALUES (0);

-- unique_rowid(), as CockroachDB builds it: 10 µs units since 2015-01-01, forced to increase,
-- shifted left 15 bits and XORed with the gateway's node ID.
CREATE FUNCTION public.unique_rowid() RETURNS int8 LANGUAGE sql VOLATILE AS $$
  UPDATE crdb_internal.rowid_state
     SET last = greatest(last + 1, floor((extract(epoch FROM clock_timestamp()) - 1420070400) * 100000)::int8)
  RETURNING (last << 15) # coalesce(nullif(current_setting('crdb.node_id', true), '')::int8, 1)
$$;
-- pg_sleep(seconds): CockroachDB's returns true once the time has passed (PostgreSQL's is void).
CREATE FUNCTION public.pg_sleep(seconds float8) RETURNS bool LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_catalog.pg_sleep(seconds);
  RETURN true;
END
$$;
CREATE FUNCTION public.gateway_region() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT current_setting('crdb.gateway_region', true)
$$;
-- Regions per database, kept by the simulator: REGIONAL BY ROW defaults read them.
CREATE TABLE crdb_internal.database_regions (database text, region text, is_primary bool);
-- It reads the current database (the first schema on the search path), as CockroachDB does, and
-- fails as CockroachDB does when that database is not multi-region.
CREATE FUNCTION public.default_to_database_primary_region(region text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  chosen text;
BEGIN
  SELECT coalesce(
    (SELECT r.region FROM crdb_internal.database_regions r WHERE r.database = current_schema() AND r.region = $1),
    (SELECT r.region FROM crdb_internal.database_regions r WHERE r.database = current_schema() AND r.is_primary))
    INTO chosen;
  IF chosen IS NULL THEN
    RAISE EXCEPTION 'current database % is not multi-region enabled', current_schema() USING ERRCODE = '42P12';
  END IF;
  RETURN chosen;
END
$$;
-- ON UPDATE rehome_row() (auto-rehoming): the row moves to the region of the gateway that updates it.
CREATE FUNCTION public.rehome_row() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT gateway_region()
$$;
-- The trigger that plays ON UPDATE rehome_row() for an implicit crdb_region column: an UPDATE
-- that leaves crdb_region as it was rehomes the row.
CREATE FUNCTION crdb_internal.rehome_row_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.crdb_region IS NOT DISTINCT FROM OLD.crdb_region THEN
    NEW.crdb_region := public.rehome_row();
  END IF;
  RETURN NEW;
END
$$;
-- follower_read_timestamp() with the default closed timestamp settings: target 3s + side
-- transport interval 200ms + propagation slack 1s (AS OF SYSTEM TIME reads the settings).
CREATE FUNCTION public.follower_read_timestamp() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT now() - interval '4.2 seconds'
$$;
CREATE FUNCTION public.with_max_staleness(staleness interval) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT now() - staleness
$$;
CREATE FUNCTION public.with_min_timestamp(ts timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT ts
$$;
CREATE FUNCTION public.version() RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'CockroachDB CCL ${CRDB_VERSION} (simulated by crdb-studio on PGlite)'
$$;
-- The session's database is the first schema on its search_path.
CREATE FUNCTION public.current_database() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT current_schema()::text
$$;
CREATE FUNCTION public.crdb_internal_node_id() RETURNS int8 LANGUAGE sql STABLE AS $$
  SELECT current_setting('crdb.node_id', true)::int8
$$;
CREATE FUNCTION crdb_internal.node_id() RETURNS int8 LANGUAGE sql STABLE AS $$
  SELECT current_setting('crdb.node_id', true)::int8
$$;
-- CockroachDB's IF(cond, then, else): the branch not taken is not evaluated (an inlined CASE).
CREATE FUNCTION public."if"(cond boolean, when_true anycompatible, when_false anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN cond THEN when_true ELSE when_false END $$;
CREATE FUNCTION crdb_internal.cluster_name() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'demo'
$$;

CREATE TABLE crdb_internal.gossip_nodes (
  node_id int8, network text, address text, advertise_address text, sql_network text,
  sql_address text, advertise_sql_address text, attrs jsonb, locality text, cluster_name text,
  server_version text, build_tag text, started_at timestamp, is_live bool, ranges int8, leases int8
);
CREATE TABLE crdb_internal.ranges (
  range_id int8, start_key bytea, start_pretty text, end_key bytea, end_pretty text,
  replicas int8[], replica_localities text[], voting_replicas int8[], non_voting_replicas int8[],
  learner_replicas int8[], split_enforced_until timestamp, lease_holder int8, range_size int8,
  database_name text, table_name text, index_name text
);
CREATE TABLE crdb_internal.gossip_liveness (
  node_id int8, epoch int8, expiration text, draining bool, decommissioning bool, membership text, updated_at timestamp
);
CREATE TABLE crdb_internal.kv_node_status (
  node_id int8, network text, address text, attrs jsonb, locality text, server_version text,
  go_version text, tag text, time text, revision text, cgo_compiler text, platform text,
  distribution text, type text, dependencies text, started_at timestamp, updated_at timestamp,
  metrics jsonb, args jsonb, env jsonb, activity jsonb
);

-- Privileges as CockroachDB gives them: every user may use defaultdb and postgres (and create in
-- them); crdb_internal's node, liveness and range tables are for admins only. A user that is not
-- an admin runs as its own role, so unique_rowid() writes its state with the owner's rights.
GRANT USAGE, CREATE ON SCHEMA defaultdb, postgres TO PUBLIC;
GRANT USAGE ON SCHEMA crdb_internal TO PUBLIC;
GRANT SELECT ON crdb_internal.database_regions TO PUBLIC;
ALTER FUNCTION public.unique_rowid() SECURITY DEFINER;
${HISTORY_SQL}
${MULTI_REGION_ZONE_SQL}`;
