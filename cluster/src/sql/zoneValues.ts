// CONFIGURE ZONE USING values are expressions (`range_min_bytes = 200000 + 1`, `64 << 20`):
// CockroachDB type-checks each against its variable's type and evaluates it before anything
// changes. Here the engine evaluates them, and the catalog keeps only the resulting constants, so
// a value that is not valid fails its own statement instead of every later one.
import type * as ast from '../../../sql/src/ast';
import { quoteLiteral } from '../../../sql/src/names';
import { defaultZoneConfig } from '../model/zoneConfig';
import { withOverrides } from '../model/zoneConfigSql';
import { SqlError, SQLSTATE } from './errors';
import type { QueryResult } from './result';
import { OID } from '../wire/messages';

const INT_VARIABLES = new Set(['range_min_bytes', 'range_max_bytes', 'gc.ttlseconds', 'num_replicas', 'num_voters']);
const BOOL_VARIABLES = new Set(['global_reads']);
const INT_OIDS = new Set([OID.int8, OID.int4, 21]);

/** Runs SQL on the engine as the session (its runEngine). */
export type EngineRunner = (sql: string) => Promise<QueryResult>;

/** The zone clause with every value a constant: integers as digits, booleans as words, strings quoted. */
export async function evaluateZoneValues(zone: ast.ConfigureZone, run: EngineRunner): Promise<ast.ConfigureZone> {
  const settings: ast.ZoneSetting[] = [];
  const seen = new Set<string>();
  for (const setting of zone.settings) {
    const name = setting.name.toLowerCase();
    if (seen.has(name)) throw new SqlError(SQLSTATE.invalidParameterValue, `duplicate zone config parameter: "${name}"`);
    seen.add(name);
  }
  for (const setting of zone.settings) settings.push({ ...setting, value: await evaluateSetting(setting, run) });
  return { ...zone, settings };
}

async function evaluateSetting(setting: ast.ZoneSetting, run: EngineRunner): Promise<ast.Expr> {
  const name = setting.name.toLowerCase();
  const value = setting.value;
  const text = value.text.trim();
  if ((value.word === 'default' && value.string === undefined) || isCopyFromParent(text)) return value;
  if (INT_VARIABLES.has(name)) {
    if (value.string !== undefined) {
      if (!/^\s*[+-]?\d+\s*$/.test(value.string))
        throw new SqlError(
          SQLSTATE.invalidTextRepresentation,
          `could not parse ${JSON.stringify(value.string)} as type int: strconv.ParseInt: parsing ${JSON.stringify(value.string)}: invalid syntax`,
        );
      return constant(value, String(BigInt(value.string.trim())));
    }
    const { typeOid, result } = await evaluate(text, run);
    if (!INT_OIDS.has(typeOid)) throw wrongType(name, 'int', typeOid);
    return constant(value, result ?? 'NULL');
  }
  if (BOOL_VARIABLES.has(name)) {
    if (value.string !== undefined) {
      const word = value.string.trim().toLowerCase();
      if (['true', 'on', 'yes', '1', 't'].includes(word)) return constant(value, 'true');
      if (['false', 'off', 'no', '0', 'f'].includes(word)) return constant(value, 'false');
      throw new SqlError(
        SQLSTATE.invalidTextRepresentation,
        `could not parse ${JSON.stringify(value.string)} as type bool: invalid bool value`,
      );
    }
    const { typeOid, result } = await evaluate(text, run);
    if (typeOid !== OID.bool) throw wrongType(name, 'bool', typeOid);
    return constant(value, result === 't' ? 'true' : 'false');
  }
  if (value.string !== undefined) return value;
  const { typeOid, result } = await evaluate(text, run);
  if (typeOid !== OID.text && typeOid !== 1043) throw wrongType(name, 'string', typeOid);
  return { ...value, text: quoteLiteral(result ?? ''), string: result ?? '' };
}

async function evaluate(text: string, run: EngineRunner): Promise<{ typeOid: number; result: string | null }> {
  const result = await run(`SELECT (${text})`);
  if (result.error) throw new SqlError(result.error.code, result.error.message, result.error.hint, result.error.detail);
  if (result.rows.length !== 1 || result.fields.length !== 1) throw new SqlError(SQLSTATE.syntax, `invalid zone config value: ${text}`);
  const value = result.rows[0]?.[0] ?? null;
  if (value === null) throw new SqlError(SQLSTATE.invalidParameterValue, `unsupported NULL value for ${text}`);
  return { typeOid: result.fields[0]?.typeOid ?? 0, result: value };
}

function constant(value: ast.Expr, text: string): ast.Expr {
  const { string: _string, call: _call, firstStringArgument: _argument, ...rest } = value;
  return { ...rest, text, word: text };
}

function isCopyFromParent(text: string): boolean {
  return text.toLowerCase().split(/\s+/).join(' ') === 'copy from parent';
}

function wrongType(name: string, expected: string, typeOid: number): SqlError {
  const names: Record<number, string> = {
    [OID.bool]: 'bool',
    [OID.int8]: 'int',
    [OID.int4]: 'int',
    [OID.text]: 'string',
    [OID.numeric]: 'decimal',
    [OID.float8]: 'float',
    [OID.interval]: 'interval',
    [OID.timestamptz]: 'timestamptz',
  };
  return new SqlError(SQLSTATE.datatypeMismatch, `argument of ${name} must be type ${expected}, not type ${names[typeOid] ?? 'unknown'}`);
}

/** Refuses settings that do not make a zone configuration (constraints' format, min ≥ max bytes…). */
export function validateZoneSettings(settings: ReadonlyMap<string, string>): void {
  try {
    withOverrides(defaultZoneConfig(), settings);
  } catch (error) {
    throw new SqlError(SQLSTATE.invalidParameterValue, error instanceof Error ? error.message : String(error));
  }
}
