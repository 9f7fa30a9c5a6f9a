// CockroachDB versions as the settings write them (v25.2), compared numerically.
export interface CockroachVersion {
  major: number;
  minor: number;
}

export function parseVersion(text: string): CockroachVersion {
  const match = /^v?(\d+)\.(\d+)/.exec(text.trim());
  return { major: Number(match?.[1] ?? 25), minor: Number(match?.[2] ?? 2) };
}

/** a >= b */
export function atLeast(a: CockroachVersion, b: string): boolean {
  const other = parseVersion(b);
  return a.major > other.major || (a.major === other.major && a.minor >= other.minor);
}

export function formatVersion(version: CockroachVersion): string {
  return `v${version.major}.${version.minor}`;
}
