// Status bar item: is the language server running, and which CockroachDB version it targets.
import * as vscode from 'vscode';
import type { CrdbLanguageClient } from './languageClient';
import { readServerSettings } from './settings';

export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('crdbStudio.server', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: CrdbLanguageClient) {
    this.item.name = 'crdb-studio Language Server';
    this.item.command = 'crdbStudio.showOutput';
    this.subscription = client.onDidChangeState(() => {
      this.update();
    });
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  /** Shown only while a SQL or Markdown editor is active, like the language status of other tools. */
  setVisible(visible: boolean): void {
    if (visible) this.item.show();
    else this.item.hide();
  }

  /** Shows what the server runs with (a .crdb-studio.json may set the version), else the setting. */
  update(): void {
    const running = this.client.running;
    this.render(running, readServerSettings().cockroachVersion);
    if (running) {
      void this.client.status().then(
        (status) => {
          if (status) this.render(this.client.running, status.cockroachVersion);
        },
        () => undefined,
      );
    }
  }

  private render(running: boolean, cockroachVersion: string): void {
    this.item.text = `${running ? '$(database)' : '$(warning)'} CockroachDB ${cockroachVersion}`;
    this.item.tooltip = running
      ? `crdb-studio language server ${this.client.serverInfo?.version ?? ''} is running; lint targets CockroachDB ${cockroachVersion}. Click for its output.`
      : 'crdb-studio language server is not running. Click for its output.';
    this.item.backgroundColor = running ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
