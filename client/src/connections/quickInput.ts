// The connection form's UI in VS Code: one quick input per step, with the step counter and a Back
// button, as VS Code's own multi-step inputs do. Escape cancels the form.
import * as vscode from 'vscode';
import { BACK, type Answer, type ConnectionFormUi, type InputStep, type PickStep } from './form';

export const quickInputUi: ConnectionFormUi = {
  input(step: InputStep): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.step = step.step;
    box.totalSteps = step.totalSteps;
    box.prompt = step.prompt;
    box.value = step.value;
    box.placeholder = step.placeholder;
    box.password = step.password === true;
    box.ignoreFocusOut = true;
    if (step.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
    return new Promise((resolve) => {
      const done = (answer: Answer<string>): void => {
        resolve(answer);
        box.dispose();
      };
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) done(BACK);
      });
      box.onDidChangeValue((value) => {
        box.validationMessage = undefined;
        // Only the name is checked as it is typed (a clash is worth knowing early); the rest on Enter.
        if (step.step === 1) box.validationMessage = step.validate(value);
      });
      box.onDidAccept(() => {
        const problem = step.validate(box.value);
        if (problem !== undefined) {
          box.validationMessage = problem;
          return;
        }
        done(box.value);
      });
      box.onDidHide(() => {
        done(undefined);
      });
      box.show();
    });
  },

  pick<T>(step: PickStep<T>): Promise<Answer<T>> {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    pick.title = step.title;
    pick.step = step.step;
    pick.totalSteps = step.totalSteps;
    pick.placeholder = step.placeholder;
    pick.ignoreFocusOut = true;
    pick.items = step.items.map((item) => ({ ...item }));
    const active = pick.items.find((item) => item.value === step.active);
    if (active) pick.activeItems = [active];
    if (step.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
    return new Promise((resolve) => {
      const done = (answer: Answer<T>): void => {
        resolve(answer);
        pick.dispose();
      };
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) done(BACK);
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) done(chosen.value);
      });
      pick.onDidHide(() => {
        done(undefined);
      });
      pick.show();
    });
  },

  busy<T>(message: string, task: () => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `crdb-studio: ${message}` }, task),
    );
  },
};
