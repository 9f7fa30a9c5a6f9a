// Runs introspection statements so that one refused statement leaves a hole in the picture (told in
// `missing`) instead of sinking it, while a lost connection still ends the reading.
import { isStatementError } from './failure';
import { records, type QueryResult } from './parse';

export type QueryFn = (sql: string) => Promise<QueryResult>;

export type Outcome = { ok: true; rows: Record<string, string | null>[] } | { ok: false; error: unknown };

export class Reader {
  readonly missing: string[] = [];

  constructor(private readonly query: QueryFn) {}

  /** The statement's rows by column name, or the server's error; a connection error is thrown. */
  async read(sql: string): Promise<Outcome> {
    try {
      return { ok: true, rows: records(await this.query(sql)) };
    } catch (error) {
      if (!isStatementError(error)) throw error;
      return { ok: false, error };
    }
  }

  note(sentence: string): void {
    if (!this.missing.includes(sentence)) this.missing.push(sentence);
  }
}
