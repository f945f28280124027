import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { JOB_STATUSES, JobStatus } from '../../api/models';
import { DocumentFilter, DocumentSort, sortLabels, isFiltering } from './documentArrangement';
import { ExperimentsTreeProvider } from './experimentsTree';
import { ViewDescription } from './viewDescription';
import { COMMANDS, CONTEXT_KEYS } from '../shared/names';
import { registerCommand } from '../shared/registerCommand';

/**
 * Sort, filter and clear the filter of documents in the view. The view's description says the
 * arrangement; "Clear Document Filter" is offered only while a filter is on (a context key).
 */
export function registerArrangeCommands(context: vscode.ExtensionContext, tree: ExperimentsTreeProvider, viewDescription: ViewDescription): void {
  registerCommand(context, COMMANDS.sortDocuments, () => sortDocuments(tree));
  registerCommand(context, COMMANDS.filterDocuments, () => filterDocuments(tree));
  registerCommand(context, COMMANDS.clearDocumentFilter, () => tree.arrange(tree.arrangement.sort, {}));
  context.subscriptions.push(
    tree.onDidChangeArrangement((description) => {
      viewDescription.set('arrangement', description);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.documentFilterActive, isFiltering(tree.arrangement.filter));
    }),
  );
}

export async function sortDocuments(tree: ExperimentsTreeProvider): Promise<void> {
  const current = tree.arrangement;
  const items = (Object.keys(sortLabels()) as DocumentSort[]).map((sort) => ({
    label: sortLabels()[sort],
    description: sort === current.sort ? 'current' : undefined,
    sort,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title: l10n.t('Retab: Sort Documents') });
  if (chosen) {
    tree.arrange(chosen.sort, current.filter);
  }
}

type FilterChoice = 'status' | 'score' | 'text' | 'clear';

/** One filter at a time is edited; the others are kept, and the view's description shows all. */
export async function filterDocuments(tree: ExperimentsTreeProvider): Promise<void> {
  const { sort, filter } = tree.arrangement;
  const choices: Array<vscode.QuickPickItem & { choice: FilterChoice }> = [
    { label: l10n.t('By status…'), description: filter.statuses?.join(', '), choice: 'status' },
    { label: l10n.t('Score below…'), description: filter.scoreBelow !== undefined ? `${Math.round(filter.scoreBelow * 100)}%` : undefined, choice: 'score' },
    { label: l10n.t('File name contains…'), description: filter.text, choice: 'text' },
    { label: l10n.t('Clear all filters'), choice: 'clear' },
  ];
  const chosen = await vscode.window.showQuickPick(choices, { title: l10n.t('Retab: Filter Documents') });
  if (!chosen) {
    return;
  }
  const next = await editFilter(chosen.choice, filter);
  if (next) {
    tree.arrange(sort, next);
  }
}

async function editFilter(choice: FilterChoice, filter: DocumentFilter): Promise<DocumentFilter | undefined> {
  switch (choice) {
    case 'clear':
      return {};
    case 'status': {
      const statuses = JOB_STATUSES.filter((status) => status !== 'unknown');
      const picked = await vscode.window.showQuickPick(
        statuses.map((status) => ({ label: status, picked: filter.statuses?.includes(status) ?? false })),
        { title: l10n.t('Show documents with status'), canPickMany: true },
      );
      return picked ? { ...filter, statuses: picked.map((item) => item.label as JobStatus) } : undefined;
    }
    case 'score': {
      const value = await vscode.window.showInputBox({
        title: l10n.t('Show documents scoring below (percent)'),
        value: filter.scoreBelow !== undefined ? String(Math.round(filter.scoreBelow * 100)) : '80',
        validateInput: (text) => (text === '' || (Number(text) >= 0 && Number(text) <= 100) ? undefined : l10n.t('A number from 0 to 100')),
      });
      if (value === undefined) {
        return undefined;
      }
      return { ...filter, scoreBelow: value === '' ? undefined : Number(value) / 100 };
    }
    case 'text': {
      const value = await vscode.window.showInputBox({ title: l10n.t('Show documents whose file name contains'), value: filter.text ?? '' });
      return value === undefined ? undefined : { ...filter, text: value.trim() || undefined };
    }
  }
}
