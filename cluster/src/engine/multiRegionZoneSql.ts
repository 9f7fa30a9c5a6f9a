// crdb_internal's multi-region zone configuration builtins. validate_multi_region_zone_configs()
// reads the problems the simulator writes just before a query reads crdb_internal (see
// sql/multiRegionZones.ts): the first one is raised as CockroachDB raises it, none answers true.
// The reset_multi_region_zone_configs_* builtins rewrite zone configurations the engine does not
// hold: they fail plainly.
export const MULTI_REGION_ZONE_SQL = `
CREATE TABLE crdb_internal.zone_config_problems (ord int4, code text, message text, hint text);
GRANT SELECT ON crdb_internal.zone_config_problems TO PUBLIC;
CREATE FUNCTION crdb_internal.validate_multi_region_zone_configs() RETURNS bool LANGUAGE plpgsql STABLE AS $$
DECLARE p record;
BEGIN
  SELECT * INTO p FROM crdb_internal.zone_config_problems ORDER BY ord LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = p.code, MESSAGE = p.message, HINT = p.hint;
  END IF;
  RETURN true;
END $$;
CREATE FUNCTION crdb_internal.reset_multi_region_zone_configs_for_table(id int8) RETURNS bool LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'crdb_internal.reset_multi_region_zone_configs_for_table() is not supported by the simulated cluster';
END $$;
CREATE FUNCTION crdb_internal.reset_multi_region_zone_configs_for_database(id int8) RETURNS bool LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'crdb_internal.reset_multi_region_zone_configs_for_database() is not supported by the simulated cluster';
END $$;
`;
