// Restricted Mode: nothing from an untrusted workspace runs — no SQL, no lesson step, on the
// simulated cluster or a real one. The simulated cluster is in memory, but lessons' shell steps
// write files and start processes in its lab, and a workspace's SQL may be written to mislead;
// one simple rule is easier to trust than a list of exceptions. Lint and highlighting still work.
import * as vscode from 'vscode';

export const TRUST_COMMAND = 'workbench.trust.manage';
export const TRUST_TO_RUN = 'Trust this folder to run';

/** True when the workspace is trusted; otherwise says why nothing ran and offers to trust it. */
export function trustedToRun(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      'crdb-studio: this folder is in Restricted Mode, so its SQL and lessons do not run. Trust the folder to run them.',
      TRUST_TO_RUN,
    )
    .then((choice) => {
      if (choice === TRUST_TO_RUN) void vscode.commands.executeCommand(TRUST_COMMAND);
    });
  return false;
}
