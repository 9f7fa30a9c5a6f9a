// Errors the simulator raises itself, with CockroachDB's SQLSTATE codes and wording.
import type { ErrorFields } from '../wire/messages';

export class SqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly detail?: string,
  ) {
    super(message);
  }

  fields(): ErrorFields {
    const fields: ErrorFields = { severity: 'ERROR', code: this.code, message: this.message };
    if (this.hint !== undefined) fields.hint = this.hint;
    if (this.detail !== undefined) fields.detail = this.detail;
    return fields;
  }
}

export const SQLSTATE = {
  syntax: '42601',
  undefinedObject: '42704',
  undefinedTable: '42P01',
  invalidCatalogName: '3D000',
  duplicateDatabase: '42P04',
  duplicateObject: '42710',
  duplicateRelation: '42P07',
  ambiguousParameter: '42P08',
  invalidParameterValue: '22023',
  invalidName: '42602',
  featureNotSupported: '0A000',
  objectNotInPrerequisiteState: '55000',
  invalidTableDefinition: '42P16',
  serializationFailure: '40001',
  rangeUnavailable: 'XXUUU',
  undefinedParameter: '42704',
  internal: 'XX000',
  invalidTextRepresentation: '22P02',
  datatypeMismatch: '42804',
  checkViolation: '23514',
} as const;

/** Something the simulated cluster does not do: said plainly, never answered wrongly. */
export function notSimulated(what: string): SqlError {
  return new SqlError(
    SQLSTATE.featureNotSupported,
    `${what} is not supported by the simulated cluster`,
    'crdb-studio simulates a CockroachDB cluster on an embedded PostgreSQL; run this statement against a real cluster.',
  );
}
