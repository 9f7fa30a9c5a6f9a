// One statement's outcome, as the simulator's API and its wire server both use it.
import {
  Backend,
  commandComplete,
  dataRow,
  encode,
  errorResponse,
  noticeResponse,
  OID,
  parseDataRow,
  parseErrorFields,
  parseRowDescription,
  rowDescription,
  splitMessages,
  type ErrorFields,
  type Field,
  type TransactionStatus,
} from '../wire/messages';

export interface QueryResult {
  /** The statement as the user wrote it. */
  statement: string;
  fields: Field[];
  rows: (string | null)[][];
  /** Command tag, e.g. `SELECT 3`, `CREATE TABLE`; empty for an empty statement. */
  tag: string;
  notices: ErrorFields[];
  error?: ErrorFields;
  /** Simulated latency of the statement (gateway to leaseholders and quorum), in ms. */
  latencyMs?: number;
}

export function emptyResult(statement: string, tag = ''): QueryResult {
  return { statement, fields: [], rows: [], tag, notices: [] };
}

/** A result with text columns (each value already formatted as CockroachDB prints it). */
export function rowsResult(statement: string, columns: readonly (string | [string, number])[], rows: (string | null)[][]): QueryResult {
  const fields = columns.map((c) => (typeof c === 'string' ? { name: c, typeOid: OID.text } : { name: c[0], typeOid: c[1] }));
  return { statement, fields, rows, tag: `SHOW ${rows.length}`, notices: [] };
}

export function notice(message: string): ErrorFields {
  return { severity: 'NOTICE', code: '00000', message };
}

/** Decodes the engine's answer to one Query message: the results and the transaction status. */
export function decodeEngineOutput(statement: string, output: Uint8Array): { results: QueryResult[]; status: TransactionStatus } {
  const results: QueryResult[] = [];
  let current: QueryResult = emptyResult(statement);
  const notices: ErrorFields[] = [];
  let status: TransactionStatus = 'I';
  for (const message of splitMessages(output)) {
    switch (message.type) {
      case Backend.RowDescription:
        current.fields = parseRowDescription(message.payload);
        break;
      case Backend.DataRow:
        current.rows.push(parseDataRow(message.payload));
        break;
      case Backend.CommandComplete:
        current.tag = message.payload.toString('utf8', 0, Math.max(0, message.payload.length - 1));
        results.push(current);
        current = emptyResult(statement);
        break;
      case Backend.EmptyQueryResponse:
        results.push(current);
        current = emptyResult(statement);
        break;
      case Backend.ErrorResponse:
        current.error = toErrorFields(parseErrorFields(message.payload));
        results.push(current);
        current = emptyResult(statement);
        break;
      case Backend.NoticeResponse:
        notices.push(toErrorFields(parseErrorFields(message.payload)));
        break;
      case Backend.ReadyForQuery:
        status = String.fromCharCode(message.payload[0] ?? 73) as TransactionStatus;
        break;
      default:
        break;
    }
  }
  const first = results[0];
  if (first) first.notices.push(...notices);
  return { results, status };
}

function toErrorFields(fields: Record<string, string>): ErrorFields {
  const result: ErrorFields = { code: fields.C ?? 'XX000', message: fields.M ?? 'unknown error' };
  const severity = fields.V ?? fields.S;
  if (severity === 'ERROR' || severity === 'FATAL' || severity === 'NOTICE' || severity === 'WARNING' || severity === 'INFO')
    result.severity = severity;
  if (fields.D !== undefined) result.detail = fields.D;
  if (fields.H !== undefined) result.hint = fields.H;
  if (fields.P !== undefined) result.position = Number(fields.P);
  return result;
}

/** The wire messages for a result (no ReadyForQuery). */
export function encodeResult(result: QueryResult): Buffer[] {
  const out: Buffer[] = result.notices.map((n) => noticeResponse(n));
  if (result.error) {
    out.push(errorResponse(result.error));
    return out;
  }
  if (result.fields.length > 0) {
    out.push(rowDescription(result.fields));
    for (const row of result.rows) out.push(dataRow(row));
  }
  out.push(result.tag === '' ? encode(Backend.EmptyQueryResponse) : commandComplete(result.tag));
  return out;
}
