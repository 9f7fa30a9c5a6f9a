// The first-run walkthrough (contributes.walkthroughs): opened once, on the first activation, and
// its steps completed by what the user really did. VS Code completes a step on a context key
// (`onContext:`); these keys are set here, at the moment the event happens — a quick fix applied,
// a lesson run to its end, a node killed in the topology view, a connection that answered.
import * as vscode from 'vscode';
import { walkthroughOpensOnFirstRun } from './settings';

export const WALKTHROUGH_ID = 'crdb-studio.crdb-studio#crdbStudio.firstRun';
const OPENED_KEY = 'crdbStudio.walkthroughOpened';

/** Steps completed by an event, each with the context key its `completionEvents` names. */
export const WALKTHROUGH_EVENTS = {
  // Besides VS Code's isWorkspaceTrusted: VS Code ticks an onContext step only when its key turns
  // true after the walkthrough was registered, so a folder trusted from the start (Workspace Trust
  // turned off) never ticks it. This key is set once the walkthrough is open (openWalkthrough).
  trusted: 'crdbStudio.walkthrough.trusted',
  quickFixApplied: 'crdbStudio.walkthrough.quickFixApplied',
  lessonRun: 'crdbStudio.walkthrough.lessonRun',
  nodeKilled: 'crdbStudio.walkthrough.nodeKilled',
  connected: 'crdbStudio.walkthrough.connected',
} as const;

export type WalkthroughEvent = keyof typeof WALKTHROUGH_EVENTS;

/** Records that the event happened: the walkthrough ticks its step. */
export function walkthroughEvent(event: WalkthroughEvent): void {
  void vscode.commands.executeCommand('setContext', WALKTHROUGH_EVENTS[event], true);
}

/** The command the language client attaches to every quick fix: it runs after the fix's edit. */
export const QUICK_FIX_APPLIED_COMMAND = 'crdbStudio.quickFixApplied';

/** Registers the walkthrough's commands; opens it on the first activation. */
export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(QUICK_FIX_APPLIED_COMMAND, () => {
      walkthroughEvent('quickFixApplied');
    }),
    vscode.commands.registerCommand('crdbStudio.openWalkthroughSample', (which: unknown) => openSample(context, which)),
    vscode.commands.registerCommand('crdbStudio.openWalkthrough', openWalkthrough),
    // The Get Started view is its welcome content (package.json viewsWelcome): an empty tree shows it.
    vscode.window.registerTreeDataProvider<never>('crdbStudio.start', { getChildren: () => [], getTreeItem: (item) => item }),
  );
  void openWalkthroughOnFirstRun(context);
}

/** Opens the walkthrough; then, in a trusted folder, ticks its trust step (see WALKTHROUGH_EVENTS). */
async function openWalkthrough(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  if (vscode.workspace.isTrusted) walkthroughEvent('trusted');
}

/**
 * Opens the walkthrough the first time crdb-studio activates for this user, never again by itself,
 * and not at all for a user who told VS Code not to open extensions' walkthroughs on install.
 */
export async function openWalkthroughOnFirstRun(context: vscode.ExtensionContext): Promise<void> {
  if (context.globalState.get<boolean>(OPENED_KEY)) return;
  if (!walkthroughOpensOnFirstRun()) return;
  await context.globalState.update(OPENED_KEY, true);
  await openWalkthrough();
}

const SAMPLES: Record<string, { file: string; language: string }> = {
  schema: { file: 'sample-schema.sql', language: 'sql' },
  lesson: { file: 'sample-lesson.md', language: 'markdown' },
};

/**
 * Opens a sample as an untitled copy: it works in any folder, and a quick fix edits the copy,
 * never the extension's own file.
 */
async function openSample(context: vscode.ExtensionContext, which: unknown): Promise<vscode.TextDocument | undefined> {
  const sample = typeof which === 'string' ? SAMPLES[which] : undefined;
  if (!sample) return undefined;
  const uri = vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', sample.file);
  const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const document = await vscode.workspace.openTextDocument({ language: sample.language, content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
