// Column types named as CockroachDB prints them (INT8, STRING, …), from the PostgreSQL type OIDs
// the server sends in RowDescription: CockroachDB uses PostgreSQL's OIDs on the wire.

const SCALARS: ReadonlyMap<number, string> = new Map([
  [16, 'BOOL'],
  [17, 'BYTES'],
  [18, 'CHAR'],
  [19, 'NAME'],
  [20, 'INT8'],
  [21, 'INT2'],
  [23, 'INT4'],
  [25, 'STRING'],
  [26, 'OID'],
  [114, 'JSON'],
  [700, 'FLOAT4'],
  [701, 'FLOAT8'],
  [705, 'UNKNOWN'],
  [869, 'INET'],
  [1042, 'CHAR'],
  [1043, 'VARCHAR'],
  [1082, 'DATE'],
  [1083, 'TIME'],
  [1114, 'TIMESTAMP'],
  [1184, 'TIMESTAMPTZ'],
  [1186, 'INTERVAL'],
  [1266, 'TIMETZ'],
  [1560, 'BIT'],
  [1562, 'VARBIT'],
  [1700, 'DECIMAL'],
  [2205, 'REGCLASS'],
  [2249, 'RECORD'],
  [2950, 'UUID'],
  [3802, 'JSONB'],
]);

/** Array type OID → element type OID. */
const ARRAYS: ReadonlyMap<number, number> = new Map([
  [1000, 16],
  [1001, 17],
  [1002, 18],
  [1003, 19],
  [1005, 21],
  [1007, 23],
  [1009, 25],
  [1014, 1042],
  [1015, 1043],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [1028, 26],
  [1041, 869],
  [1115, 1114],
  [1182, 1082],
  [1183, 1083],
  [1185, 1184],
  [1187, 1186],
  [1231, 1700],
  [1270, 1266],
  [1561, 1560],
  [1563, 1562],
  [199, 114],
  [2951, 2950],
  [3807, 3802],
]);

export function typeName(oid: number): string {
  const scalar = SCALARS.get(oid);
  if (scalar !== undefined) return scalar;
  const element = ARRAYS.get(oid);
  const elementName = element === undefined ? undefined : SCALARS.get(element);
  if (elementName !== undefined) return `${elementName}[]`;
  return `oid ${oid}`;
}
