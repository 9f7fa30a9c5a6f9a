// CockroachDB's duration strings, as cluster settings and the CLI take them.

/** '1m15s', '90s', '5m0s', '1h', '250ms', '00:01:30', or a bare number of seconds → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().replace(/^'|'$/g, '');
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(trimmed);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let matched = false;
  for (const part of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(part[1]) * (units[part[2] ?? 's'] ?? 1000);
    matched = true;
  }
  if (matched) return total;
  return /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : undefined;
}
