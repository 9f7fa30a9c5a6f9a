// Getting Started panel: the workspace's lessons and schema files, one click to open them.
import * as vscode from 'vscode';
import { fencedBlocks, firstHeading } from '../../sql/src/fencedBlocks';
import { isWelcomeToHost, type LessonEntry, type SchemaEntry, type WelcomeToWebview } from '../../protocol/src/welcome';
import { readServerSettings } from './settings';
import { webviewHtml, webviewOptions } from './webviewHtml';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}';
const MAX_FILES = 200;

export class WelcomePanel {
  private static current: WelcomePanel | undefined;
  private readonly files = new Map<string, vscode.Uri>();

  static show(extension: vscode.ExtensionContext): WelcomePanel {
    if (WelcomePanel.current) {
      WelcomePanel.current.panel.reveal();
      return WelcomePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      'crdbStudio.welcome',
      'crdb-studio: Getting Started',
      vscode.ViewColumn.Active,
      webviewOptions(extension.extensionUri),
    );
    WelcomePanel.current = new WelcomePanel(panel, extension);
    return WelcomePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extension: vscode.ExtensionContext,
  ) {
    panel.webview.html = webviewHtml(
      panel.webview,
      extension.extensionUri,
      'welcome',
      'crdb-studio: Getting Started',
      `<h1>crdb-studio</h1>
<p class="muted" id="version"></p>
<p>CockroachDB-aware SQL: schema lint, runnable lessons, a simulated cluster and its topology.</p>
<h2>Lessons</h2><ul id="lessons" aria-label="Lessons"></ul>
<h2>Schema files</h2><ul id="schemas" aria-label="Schema files"></ul>`,
    );
    panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message));
    panel.onDidDispose(() => {
      if (WelcomePanel.current === this) WelcomePanel.current = undefined;
    });
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWelcomeToHost(message)) return;
    if (message.type === 'ready') {
      await this.panel.webview.postMessage(await this.describeWorkspace());
      return;
    }
    // Only files this panel listed can be opened: the webview is not trusted with paths.
    const uri = this.files.get(message.key);
    if (uri) await vscode.window.showTextDocument(uri, { preview: false });
  }

  private async describeWorkspace(): Promise<WelcomeToWebview> {
    this.files.clear();
    const [markdown, sql] = await Promise.all([
      vscode.workspace.findFiles('**/*.md', EXCLUDE, MAX_FILES),
      vscode.workspace.findFiles('**/*.sql', EXCLUDE, MAX_FILES),
    ]);
    const lessons: LessonEntry[] = [];
    for (const uri of sortByPath(markdown)) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const sqlBlocks = fencedBlocks(text).filter((block) => block.language === 'sql').length;
      if (sqlBlocks === 0) continue;
      const key = this.remember(uri);
      lessons.push({
        key,
        title: firstHeading(text) ?? vscode.workspace.asRelativePath(uri),
        relativePath: vscode.workspace.asRelativePath(uri),
        sqlBlocks,
      });
    }
    const schemas: SchemaEntry[] = sortByPath(sql).map((uri) => ({
      key: this.remember(uri),
      relativePath: vscode.workspace.asRelativePath(uri),
    }));
    const version = (this.extension.extension.packageJSON as { version?: string }).version ?? 'dev';
    return { type: 'workspace', extensionVersion: version, cockroachVersion: readServerSettings().cockroachVersion, lessons, schemas };
  }

  private remember(uri: vscode.Uri): string {
    const key = String(this.files.size);
    this.files.set(key, uri);
    return key;
  }
}

function sortByPath(uris: vscode.Uri[]): vscode.Uri[] {
  return [...uris].sort((a, b) => a.path.localeCompare(b.path));
}
