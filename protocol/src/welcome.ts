// Messages between the extension host and its webviews, written once and imported by both
// sides. Each union is one direction; every message has a literal `type`.

export interface LessonEntry {
  /** An opaque key the host hands out; the webview can only ask to open what it was given. */
  key: string;
  title: string;
  relativePath: string;
  sqlBlocks: number;
}

export interface SchemaEntry {
  key: string;
  relativePath: string;
}

/** host → welcome webview */
export type WelcomeToWebview = {
  type: 'workspace';
  extensionVersion: string;
  cockroachVersion: string;
  lessons: LessonEntry[];
  schemas: SchemaEntry[];
};

/** welcome webview → host */
export type WelcomeToHost = { type: 'ready' } | { type: 'open'; key: string };

export function isWelcomeToHost(value: unknown): value is WelcomeToHost {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; key?: unknown };
  return message.type === 'ready' || (message.type === 'open' && typeof message.key === 'string');
}
