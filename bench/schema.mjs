// The generated schema the lint and language-server benchmarks share: `lines` lines of CREATE
// TABLE with five columns and two secondary indexes each (one finding a table).

/** A schema of about `lines` lines (whole tables), ending in a newline. */
export function schema(lines) {
  const out = [];
  for (let t = 0; out.length < lines; t++) {
    out.push(
      `CREATE TABLE table_${t} (`,
      `    id UUID NOT NULL DEFAULT gen_random_uuid(),`,
      `    account_id UUID NOT NULL,`,
      `    name VARCHAR(200) NOT NULL,`,
      `    amount DECIMAL(12, 2) NOT NULL DEFAULT 0,`,
      `    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),`,
      `    PRIMARY KEY (id)`,
      `);`,
      `CREATE INDEX table_${t}_by_account ON table_${t} (account_id, created_at);`,
      `CREATE INDEX table_${t}_by_time ON table_${t} (created_at);`,
    );
  }
  return `${out.join('\n')}\n`;
}
