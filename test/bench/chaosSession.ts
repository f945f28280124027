import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { DocumentNode, RunNode, TreeNode } from '../../src/ui/tree/nodes';
import { BIG_RUN, INVOICES, invoiceDocumentId, invoiceRunId } from '../support/fixtures';
import { childById, descendById } from '../support/tree';
import { sleep } from '../support/wait';
import { Figure, Generation, SandboxControl, closePanel, describe as describeNode, jobLine, rendered, round, withTimeout } from './common';

/** Requests of the chaos session against the calm one's, at most. */
export const CHAOS_REQUEST_RATIO_TARGET = 1.6;
/** The seed of the benchmark's bad network: the same faults in the same places on every run. */
export const CHAOS_SEED = 20_261_206;

interface SessionOutcome {
  /** What every view shows at the end, as text. */
  state: string[];
  requests: number;
  ms: number;
}

async function setChaos(sandbox: SandboxControl, config: { seed: number } | null): Promise<void> {
  const response = await fetch(`${sandbox.origin}/__sandbox/chaos`, { method: 'POST', body: JSON.stringify(config) });
  if (!response.ok) {
    throw new Error(`POST /__sandbox/chaos answered ${response.status}`);
  }
}

/** Reads a node's rows until they are not being loaded or read any more (or the time is up). */
async function settledRows(api: RetabExtensionApi, node: TreeNode | undefined, limitMs = 90_000): Promise<TreeNode[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const rows = await api.tree.getChildren(node);
    const busy = rows.some((row) => row.kind === 'message' && row.severity === 'loading');
    const reading = node?.kind === 'run' && node.reading !== undefined;
    if ((!busy && !reading && rows.length > 0) || Date.now() > deadline) {
      return rows;
    }
    await sleep(250);
  }
}

function rowsText(api: RetabExtensionApi, rows: TreeNode[]): string[] {
  return rows.map((row) => {
    const item = api.tree.getTreeItem(row);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return `${describeNode(row)} | ${label} | ${typeof item.description === 'string' ? item.description : ''}`;
  });
}

/**
 * The session: the view's root, the invoices workflow → experiment → run 6, three of its jobs
 * opened in the panel, a job of run 5 looked up, the 5,000-document run read whole, its Fields.
 * The state at the end is every row of those levels and what the panel shows.
 */
async function session(api: RetabExtensionApi, sandbox: SandboxControl): Promise<SessionOutcome> {
  await closePanel(api);
  api.repository.clear();
  api.tree.refresh();
  const before = await sandbox.count();
  const started = performance.now();
  const state: string[] = [];
  state.push(...rowsText(api, await settledRows(api, undefined)));
  const workflow = await childById(api, undefined, INVOICES.workflowId, 60_000);
  state.push(...rowsText(api, await settledRows(api, workflow)));
  const experiment = await childById(api, workflow, INVOICES.experimentId, 60_000);
  state.push(...rowsText(api, await settledRows(api, experiment)));
  const run = await childById<RunNode>(api, experiment, invoiceRunId(6), 60_000);
  const documents = (await settledRows(api, run)).filter((row): row is DocumentNode => row.kind === 'document');
  state.push(...rowsText(api, await settledRows(api, run)));
  for (const document of documents.slice(0, 3)) {
    const shown = rendered(api, document.ref);
    await vscode.commands.executeCommand('retab.openJob', document.ref);
    await shown;
  }
  const lookedUp = { workflowId: INVOICES.workflowId, experimentId: INVOICES.experimentId, runId: invoiceRunId(5), documentId: invoiceDocumentId(12) };
  const shown = rendered(api, lookedUp);
  await withTimeout(vscode.commands.executeCommand('retab.lookupJob', jobLine(lookedUp)), 90_000, 'retab.lookupJob');
  await shown;
  const panel = api.panelState();
  state.push(`panel | ${panel?.kind} | ${panel?.kind === 'job' ? `${panel.ref.documentId} ${panel.job.status}` : ''}`);
  const big = await descendById<RunNode>(api, [BIG_RUN.workflowId, BIG_RUN.experimentId, BIG_RUN.runId]);
  const bigRows = await settledRows(api, big);
  state.push(...rowsText(api, bigRows));
  const fields = bigRows.find((row) => row.kind === 'fields');
  if (fields) {
    state.push(...rowsText(api, await settledRows(api, fields)));
  }
  const ms = performance.now() - started;
  await sleep(500);
  return { state, requests: (await sandbox.count()) - before, ms };
}

function differences(calm: string[], stormy: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < Math.max(calm.length, stormy.length); index++) {
    if (calm[index] !== stormy[index]) {
      out.push(`${index}: calm «${calm[index] ?? '—'}» chaos «${stormy[index] ?? '—'}»`);
    }
  }
  return out;
}

/**
 * The session calm, then through the sandbox's seeded bad network (chaos.ts: 10 % 5xx, 3 % resets
 * mid-body, 2 % truncated JSON, 2 % 429, 0–2 s of latency on every request): the same final state
 * (after at most one Refresh, which a person would press), no unhandled rejection, no row still
 * loading, and at most 1.6 times the requests.
 */
export async function chaosSession(api: RetabExtensionApi, sandbox: SandboxControl, generation: Generation): Promise<Figure> {
  const rejections: string[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason instanceof Error ? reason.message : String(reason));
  };
  process.on('unhandledRejection', onRejection);
  try {
    await sandbox.reset();
    const calm = await session(api, sandbox);
    await sandbox.reset();
    await setChaos(sandbox, { seed: CHAOS_SEED });
    let stormy = await session(api, sandbox);
    let refreshed = false;
    let diff = differences(calm.state, stormy.state);
    if (diff.length > 0) {
      // What a person does when something looks off: one Refresh, and the same levels again.
      refreshed = true;
      await vscode.commands.executeCommand('retab.refresh');
      const again = await session(api, sandbox);
      stormy = { state: again.state, requests: stormy.requests + again.requests, ms: stormy.ms + again.ms };
      diff = differences(calm.state, stormy.state);
    }
    const faults = (await sandbox.requests()).filter((request) => request.fault !== null).length;
    await setChaos(sandbox, null);
    const stuck = stormy.state.filter((line) => line.startsWith('message') && /loading|Reading/.test(line));
    const ratio = stormy.requests / calm.requests;
    return {
      figure: 'chaosSession',
      generation,
      seed: CHAOS_SEED,
      target: { requestRatio: CHAOS_REQUEST_RATIO_TARGET, sameFinalState: true, unhandledRejections: 0 },
      met: diff.length === 0 && ratio <= CHAOS_REQUEST_RATIO_TARGET && rejections.length === 0 && stuck.length === 0,
      calmRequests: calm.requests,
      chaosRequests: stormy.requests,
      requestRatio: round(ratio),
      faultsMet: faults,
      refreshNeeded: refreshed,
      sameFinalState: diff.length === 0,
      stateLines: calm.state.length,
      differences: diff.slice(0, 10),
      unhandledRejections: rejections.slice(0, 5),
      stuckRows: stuck,
      calmMs: round(calm.ms),
      chaosMs: round(stormy.ms),
    };
  } finally {
    process.off('unhandledRejection', onRejection);
    await setChaos(sandbox, null).catch(() => undefined);
  }
}
