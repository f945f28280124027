import * as vscode from 'vscode';
import { RUNS_TABLE_VIEW_TYPE, RunsTableState, parseState } from '../../protocol/runsTable';
import { RetabRepository } from '../../data/repository';
import { pickExperiment } from '../commands/lookupJob';
import { registerCommand } from '../shared/registerCommand';
import { COMMANDS } from '../shared/names';
import { Services } from '../shared/services';
import { RunsTablePanel, RunsTableTarget } from './runsTablePanel';

/** The Runs tables open now, one per experiment: Compare Runs on an experiment with one reveals it. */
export class RunsTables implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, RunsTablePanel>();
  private readonly opened = new vscode.EventEmitter<RunsTablePanel>();
  /** Fires with each table opened or restored (tests and the benchmark follow it). */
  readonly onDidOpen = this.opened.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly repository: RetabRepository,
  ) {}

  /** The table of an experiment, if one is open. */
  get(experimentId: string): RunsTablePanel | undefined {
    return this.panels.get(experimentId);
  }

  open(target: RunsTableTarget, runIds: readonly string[] = []): RunsTablePanel {
    const existing = this.panels.get(target.experimentId);
    if (existing) {
      existing.reveal();
      if (runIds.length > 0) {
        void existing.chooseRuns(runIds);
      }
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUNS_TABLE_VIEW_TYPE, `Runs: ${target.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    });
    const state: RunsTableState = {
      workflowId: target.workflowId,
      experimentId: target.experimentId,
      mode: 'fields',
      view: { sort: { by: 'regression' }, filter: '' },
      runIds: [...runIds],
    };
    return this.track(new RunsTablePanel(panel, this.extensionUri, this.repository, state, target));
  }

  /** A table that was open when the window closed: the same experiment, mode, sort and filter. */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const state = parseState(saved);
    if (!state || this.panels.has(state.experimentId)) {
      panel.dispose();
      return Promise.resolve();
    }
    const name = this.repository.knownExperiment(state.experimentId)?.name ?? state.experimentId;
    this.track(new RunsTablePanel(panel, this.extensionUri, this.repository, state, { workflowId: state.workflowId, experimentId: state.experimentId, name }));
    return Promise.resolve();
  }

  private track(table: RunsTablePanel): RunsTablePanel {
    this.panels.set(table.experimentId, table);
    table.onDidDispose(() => {
      if (this.panels.get(table.experimentId) === table) {
        this.panels.delete(table.experimentId);
      }
    });
    this.opened.fire(table);
    return table;
  }

  /** Another connection is in use: the tables show another account's runs, so they close. */
  closeAll(): void {
    for (const table of [...this.panels.values()]) {
      table.dispose();
    }
  }

  dispose(): void {
    this.closeAll();
    this.opened.dispose();
  }
}

/** An experiment row of the tree (or anything with its ids), as Compare Runs receives it. */
function targetOf(argument: unknown, repository: RetabRepository): RunsTableTarget | undefined {
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  const node = argument as {
    kind?: unknown;
    experiment?: { id?: unknown; name?: unknown };
    parent?: { workflow?: { id?: unknown } };
    workflowId?: unknown;
    experimentId?: unknown;
  };
  if (node.kind === 'experiment' && typeof node.experiment?.id === 'string' && typeof node.parent?.workflow?.id === 'string') {
    return {
      workflowId: node.parent.workflow.id,
      experimentId: node.experiment.id,
      name: typeof node.experiment.name === 'string' ? node.experiment.name : node.experiment.id,
    };
  }
  if (typeof node.workflowId === 'string' && typeof node.experimentId === 'string') {
    return { workflowId: node.workflowId, experimentId: node.experimentId, name: repository.knownExperiment(node.experimentId)?.name ?? node.experimentId };
  }
  return undefined;
}

/** *Compare Runs*: on an experiment row, or from the palette (workflow, then experiment, picked). */
export function registerRunsTable(context: vscode.ExtensionContext, services: Services): RunsTables {
  const { repository } = services;
  const tables = new RunsTables(context.extensionUri, repository);
  context.subscriptions.push(tables, vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, tables));
  registerCommand(context, COMMANDS.compareRuns, async (argument?: unknown, runIds?: unknown) => {
    let target = targetOf(argument, repository);
    if (!target) {
      const picked = await pickExperiment(repository);
      if (!picked) {
        return undefined;
      }
      target = { ...picked, name: repository.knownExperiment(picked.experimentId)?.name ?? picked.experimentId };
    }
    const chosen = Array.isArray(runIds) ? runIds.filter((id): id is string => typeof id === 'string') : [];
    return tables.open(target, chosen);
  });
  return tables;
}
