// PostgreSQL wire protocol messages, both directions, as the simulator needs them: backend
// messages it writes itself (results it computes, errors, notices) and the framing of messages
// it passes through from the engine. Format: protocol-message-formats in PostgreSQL's docs.

/** A message: its type byte and payload (without the length word). */
export interface Message {
  type: number;
  payload: Buffer;
}

export const Backend = {
  ParseComplete: 0x31, // '1'
  BindComplete: 0x32, // '2'
  CloseComplete: 0x33, // '3'
  CommandComplete: 0x43, // 'C'
  DataRow: 0x44, // 'D'
  ErrorResponse: 0x45, // 'E'
  EmptyQueryResponse: 0x49, // 'I'
  BackendKeyData: 0x4b, // 'K'
  NoticeResponse: 0x4e, // 'N'
  Authentication: 0x52, // 'R'
  ParameterStatus: 0x53, // 'S'
  RowDescription: 0x54, // 'T'
  ReadyForQuery: 0x5a, // 'Z'
  NoData: 0x6e, // 'n'
  PortalSuspended: 0x73, // 's'
  ParameterDescription: 0x74, // 't'
} as const;

export const Frontend = {
  Bind: 0x42, // 'B'
  Close: 0x43, // 'C'
  Describe: 0x44, // 'D'
  Execute: 0x45, // 'E'
  Flush: 0x48, // 'H'
  Parse: 0x50, // 'P'
  Query: 0x51, // 'Q'
  Sync: 0x53, // 'S'
  Terminate: 0x58, // 'X'
} as const;

/** The codes in place of a protocol version in the untyped packets a client opens with. */
export const StartupCode = {
  Protocol3: 0x00030000,
  CancelRequest: 80877102,
  SSLRequest: 80877103,
  GSSENCRequest: 80877104,
} as const;

/** Splits a buffer of complete messages (type byte + length + payload). */
export function splitMessages(data: Uint8Array): Message[] {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const messages: Message[] = [];
  let at = 0;
  while (at + 5 <= buffer.length) {
    const length = buffer.readUInt32BE(at + 1);
    const end = at + 1 + length;
    if (end > buffer.length) break;
    messages.push({ type: buffer[at] ?? 0, payload: buffer.subarray(at + 5, end) });
    at = end;
  }
  return messages;
}

export function encode(type: number, payload: Buffer | readonly Buffer[] = []): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.concat(payload);
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}

export function uint16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

export function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

/** PostgreSQL type OIDs the simulator's own results use. */
export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int4: 23,
  text: 25,
  jsonb: 3802,
  float8: 701,
  numeric: 1700,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  textArray: 1009,
  int8Array: 1016,
} as const;

export interface Field {
  name: string;
  typeOid: number;
  /** Table OID and column number when the column comes from a table (0 otherwise). */
  tableOid?: number;
  column?: number;
}

export function rowDescription(fields: readonly Field[]): Buffer {
  const parts: Buffer[] = [int16(fields.length)];
  for (const field of fields) {
    const meta = Buffer.alloc(18);
    meta.writeInt32BE(field.tableOid ?? 0, 0);
    meta.writeInt16BE(field.column ?? 0, 4);
    meta.writeInt32BE(field.typeOid, 6);
    meta.writeInt16BE(-1, 10); // type size: variable
    meta.writeInt32BE(-1, 12); // type modifier: none
    meta.writeInt16BE(0, 16); // text format
    parts.push(cstring(field.name), meta);
  }
  return encode(Backend.RowDescription, parts);
}

/** A row in text format; null is SQL NULL. */
export function dataRow(values: readonly (string | null)[]): Buffer {
  const parts: Buffer[] = [int16(values.length)];
  for (const value of values) {
    if (value === null) parts.push(int32(-1));
    else {
      const bytes = Buffer.from(value, 'utf8');
      parts.push(int32(bytes.length), bytes);
    }
  }
  return encode(Backend.DataRow, parts);
}

export function commandComplete(tag: string): Buffer {
  return encode(Backend.CommandComplete, cstring(tag));
}

export type TransactionStatus = 'I' | 'T' | 'E';

export function readyForQuery(status: TransactionStatus): Buffer {
  return encode(Backend.ReadyForQuery, Buffer.from(status, 'latin1'));
}

export function parameterStatus(name: string, value: string): Buffer {
  return encode(Backend.ParameterStatus, [cstring(name), cstring(value)]);
}

export function backendKeyData(processId: number, secret: number): Buffer {
  return encode(Backend.BackendKeyData, [int32(processId), int32(secret)]);
}

/** Error and notice fields, as PostgreSQL names them (protocol-error-fields). */
export interface ErrorFields {
  severity?: 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING' | 'INFO';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text. */
  position?: number;
}

const FIELD_CODES: [keyof ErrorFields, string][] = [
  ['code', 'C'],
  ['message', 'M'],
  ['detail', 'D'],
  ['hint', 'H'],
  ['position', 'P'],
];

function errorBody(fields: ErrorFields, fallbackSeverity: string): Buffer[] {
  const severity = fields.severity ?? fallbackSeverity;
  const parts: Buffer[] = [Buffer.from('S'), cstring(severity), Buffer.from('V'), cstring(severity)];
  for (const [key, code] of FIELD_CODES) {
    const value = fields[key];
    if (value !== undefined) parts.push(Buffer.from(code), cstring(String(value)));
  }
  parts.push(Buffer.from([0]));
  return parts;
}

export function errorResponse(fields: ErrorFields): Buffer {
  return encode(Backend.ErrorResponse, errorBody(fields, 'ERROR'));
}

export function noticeResponse(fields: ErrorFields): Buffer {
  return encode(Backend.NoticeResponse, errorBody(fields, 'NOTICE'));
}

/** Reads the fields of an ErrorResponse or NoticeResponse payload. */
export function parseErrorFields(payload: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = 0;
  while (at < payload.length && payload[at] !== 0) {
    const code = String.fromCharCode(payload[at] ?? 0);
    const end = payload.indexOf(0, at + 1);
    if (end === -1) break;
    fields[code] = payload.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return fields;
}

/** Reads NUL-terminated strings and integers from a payload, in order. */
export class PayloadReader {
  private at = 0;
  constructor(private readonly payload: Buffer) {}

  cstring(): string {
    const end = this.payload.indexOf(0, this.at);
    const text = this.payload.toString('utf8', this.at, end === -1 ? this.payload.length : end);
    this.at = end === -1 ? this.payload.length : end + 1;
    return text;
  }

  int16(): number {
    const value = this.payload.readInt16BE(this.at);
    this.at += 2;
    return value;
  }

  /** A count field: the protocol's counts are unsigned 16-bit (up to 65,535). */
  uint16(): number {
    const value = this.payload.readUInt16BE(this.at);
    this.at += 2;
    return value;
  }

  int32(): number {
    const value = this.payload.readInt32BE(this.at);
    this.at += 4;
    return value;
  }

  byte(): number {
    const value = this.payload[this.at] ?? 0;
    this.at += 1;
    return value;
  }

  bytes(length: number): Buffer {
    const value = this.payload.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }
}

/** Parses a RowDescription payload. */
export function parseRowDescription(payload: Buffer): Field[] {
  const reader = new PayloadReader(payload);
  const count = reader.int16();
  const fields: Field[] = [];
  for (let i = 0; i < count; i++) {
    const name = reader.cstring();
    const tableOid = reader.int32();
    const column = reader.int16();
    const typeOid = reader.int32();
    reader.int16();
    reader.int32();
    reader.int16();
    fields.push({ name, typeOid, tableOid, column });
  }
  return fields;
}

/** Parses a DataRow payload into text values (null for SQL NULL). */
export function parseDataRow(payload: Buffer): (string | null)[] {
  const count = payload.readInt16BE(0);
  const values: (string | null)[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const length = payload.readInt32BE(at);
    at += 4;
    if (length < 0) values.push(null);
    else {
      values.push(payload.toString('utf8', at, at + length));
      at += length;
    }
  }
  return values;
}

/** Builds a frontend Query message (for the engine). */
export function queryMessage(sql: string): Buffer {
  return encode(Frontend.Query, cstring(sql));
}

/** Values bound to a statement's $1…$n, in text format (null is SQL NULL), with their type OIDs (0: inferred). */
export interface BoundParameters {
  values: readonly (string | null)[];
  types: readonly number[];
}

/**
 * One statement with real parameters, for the engine: Parse, Bind, Describe, Execute and Sync on
 * the unnamed statement and portal. The values travel apart from the SQL text, so no quoting
 * rule (standard_conforming_strings included) can turn one into SQL.
 */
export function extendedQueryMessages(sql: string, parameters: BoundParameters): Buffer {
  const count = parameters.values.length;
  const types = Buffer.alloc(2 + 4 * count);
  types.writeUInt16BE(count, 0);
  for (let i = 0; i < count; i++) types.writeUInt32BE(parameters.types[i] ?? 0, 2 + 4 * i);
  const values: Buffer[] = [int16(0), uint16(count)];
  for (const value of parameters.values) {
    if (value === null) values.push(int32(-1));
    else {
      const bytes = Buffer.from(value, 'utf8');
      values.push(int32(bytes.length), bytes);
    }
  }
  values.push(int16(0));
  return Buffer.concat([
    encode(Frontend.Parse, [cstring(''), cstring(sql), types]),
    encode(Frontend.Bind, [cstring(''), cstring(''), ...values]),
    encode(Frontend.Describe, [Buffer.from('P'), cstring('')]),
    encode(Frontend.Execute, [cstring(''), int32(0)]),
    encode(Frontend.Sync),
  ]);
}
