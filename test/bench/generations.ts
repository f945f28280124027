import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { DocumentNode, ExperimentNode, RunNode, WorkflowNode } from '../../src/ui/tree/nodes';
import { CHAOS_REQUEST_RATIO_TARGET, chaosSession } from './chaosSession';
import { FIRST_ROWS_PROCESSING_TARGET_MS, HEAP_TARGET_MB, LONGEST_TASK_TARGET_MS, WHOLE_RUN_RATIO_TARGET, bigRunRead } from './bigRun';
import { FIELD_DOCUMENTS_TARGET_MS, fieldsOfBigRun } from './fieldsRun';
import {
  Figure,
  Generation,
  LoggedRequest,
  RequestProbe,
  SandboxControl,
  childrenOf,
  closePanel,
  countBy,
  describeRequest,
  emit,
  hoverAt,
  hoverDocument,
  isFinishedJob,
  isProbe,
  jobLine,
  openJob,
  positionOf,
  rendered,
  requestKind,
  round,
  waitForViewRoot,
  withTimeout,
} from './common';
import { INVOICES, invoiceDocumentId, invoiceRunId } from '../support/fixtures';
import { hoverText } from '../support/hover';
import { childById } from '../support/tree';
import { sleep } from '../support/wait';

/**
 * The generations section of the benchmark (docs/benchmarks.md, "Every generation"): one
 * sandbox per generation, each at its own base URL, so that each is found out from scratch as a
 * new server would be. For each, in one extension host:
 *
 *   1. the scripted session, counted request by request in the sandbox's log against the minimum
 *      derived by hand from the routes (below, and in docs/benchmarks.md);
 *   2. the requests of each Open Job once its run is loaded, and the detection probes;
 *   3. a "new window" on the same base URL (the repository forgets everything, global state
 *      keeps what detection found): how many probes it makes before Refresh;
 *   4. the 5,000-document run (and on flat servers the 50,000-document one): first rows, whole run
 *      against the SDK's pager, longest task, heap (bigRun.ts);
 *   5. the chaos session: a session calm, then through a seeded bad network (chaosSession.ts).
 */

/** The scripted session may make this many times the minimum number of requests. */
export const SESSION_RATIO_TARGET = 1.1;
/** Opening a job whose run is loaded. */
export const JOB_OPEN_TARGET = 1;
/** Detection requests beyond the key check Set API Key makes anyway, per base URL per session. */
export const DETECTION_EXTRA_TARGET = 1;

/** The client asks for lists 100 at a time (src/api/client.ts PAGE_SIZE; results are capped at 100 by the flat routes too). */
const PAGE_SIZE = 100;

const FLAT: ReadonlySet<Generation> = new Set(['g2', 'g3']);

/** Pages of a list of `count` items at `PAGE_SIZE` a page; an empty list is still one request. */
function pages(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

interface Step {
  step: string;
  minimum: number;
  requests: LoggedRequest[];
}

interface SessionResult {
  figure: Figure;
  ratio: number;
  jobOpenMax: number;
  detectionExtra: number;
  probeRequests: number;
}

/** The job the session looks up: a run that is not loaded (run 5 of exp_invoices_v2), pasted as a job's JSON. */
const LOOKUP_RUN = invoiceRunId(5);
const LOOKUP_DOCUMENT = invoiceDocumentId(12);

async function scriptedSession(
  api: RetabExtensionApi,
  probe: RequestProbe,
  sandbox: SandboxControl,
  apiKey: string,
  generation: Generation,
): Promise<SessionResult> {
  // Setup, not counted: no key (so that switching the base URL sends nothing), the sandbox of
  // this generation as the server, the view shown, the sandbox's log emptied.
  await closePanel(api);
  await vscode.commands.executeCommand('retab.clearApiKey');
  await vscode.workspace.getConfiguration('retab').update('apiBaseUrl', `${sandbox.origin}/v1`, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.view.extension.retab');
  await sleep(500);
  await sandbox.settle();
  await sandbox.reset();

  const flat = FLAT.has(generation);
  const steps: Step[] = [];
  let seen = 0;
  /** Runs one step of the script; `action` answers the step's minimum, derived from what it saw. */
  const step = async (name: string, action: () => Promise<number>): Promise<void> => {
    const minimum = await action();
    await sandbox.settle();
    const all = await sandbox.requests();
    steps.push({ step: name, minimum, requests: all.slice(seen) });
    seen = all.length;
  };

  /** Expands workflow → experiment → run as the view would; answers the minimum for what it listed. */
  const expand = async (): Promise<{ minimum: number; run: RunNode; documents: DocumentNode[] }> => {
    const workflow = await childById<WorkflowNode>(api, undefined, INVOICES.workflowId);
    const experiments = (await childrenOf(api, workflow)).filter((node): node is ExperimentNode => node.kind === 'experiment');
    const experiment = experiments.find((node) => node.experiment.id === INVOICES.experimentId);
    if (!experiment) {
      throw new Error(`${INVOICES.experimentId} is not among ${experiments.map((node) => node.experiment.id).join(', ')}`);
    }
    const runs = (await childrenOf(api, experiment)).filter((node): node is RunNode => node.kind === 'run');
    const run = runs.find((node) => node.run.id === invoiceRunId(6));
    if (!run) {
      throw new Error(`${invoiceRunId(6)} is not among ${runs.map((node) => node.run.id).join(', ')}`);
    }
    const documents = (await childrenOf(api, run)).filter((node): node is DocumentNode => node.kind === 'document');
    // G1 lists come whole (bare arrays, one /content); paged lists and flat results 100 a page.
    const experimentPages = generation === 'g1' ? 1 : pages(experiments.length);
    const runPages = generation === 'g1' ? 1 : pages(runs.length);
    const contentPages = flat ? pages(documents.length) : 1;
    return { minimum: experimentPages + runPages + contentPages + 1, run, documents };
  };

  let loaded: { run: RunNode; documents: DocumentNode[] } | undefined;
  let expandMinimum = 0;

  // 1. Set API Key: the key check, then the view's first workflow page.
  await step('setApiKey', async () => {
    const saved = await vscode.commands.executeCommand<boolean>('retab.setApiKey', apiKey);
    if (saved !== true) {
      throw new Error(`retab.setApiKey did not save the key on ${generation}`);
    }
    if (!(await waitForViewRoot(api, sandbox))) {
      throw new Error('the view did not load its root after the key was set');
    }
    return 1 + 1;
  });
  // 2-4. Expand the workflow, the experiment, the run (one step each, counted apart).
  let workflow: WorkflowNode | undefined;
  let experiment: ExperimentNode | undefined;
  let experimentCount = 0;
  let runCount = 0;
  await step('expandWorkflow', async () => {
    workflow = await childById<WorkflowNode>(api, undefined, INVOICES.workflowId);
    experimentCount = (await childrenOf(api, workflow)).filter((node) => node.kind === 'experiment').length;
    return generation === 'g1' ? 1 : pages(experimentCount);
  });
  await step('expandExperiment', async () => {
    experiment = await childById<ExperimentNode>(api, workflow, INVOICES.experimentId);
    runCount = (await childrenOf(api, experiment)).filter((node) => node.kind === 'run').length;
    return generation === 'g1' ? 1 : pages(runCount);
  });
  await step('expandRun', async () => {
    const run = await childById<RunNode>(api, experiment, invoiceRunId(6));
    const documents = (await childrenOf(api, run)).filter((node): node is DocumentNode => node.kind === 'document');
    loaded = { run, documents };
    // The documents (one /content, or pages of 100 results) and the run's metrics (scores).
    return (flat ? pages(documents.length) : 1) + 1;
  });
  if (!loaded) {
    throw new Error('the run was not expanded');
  }
  const finished = loaded.documents.filter(isFinishedJob);
  if (finished.length < 4) {
    throw new Error(`${invoiceRunId(6)} has only ${finished.length} finished documents`);
  }
  // 5. Open three jobs of the loaded run: their records came with the run's documents.
  const jobOpens: number[] = [];
  for (const [index, document] of finished.slice(0, 3).entries()) {
    await step(`openJob${index + 1}`, async () => {
      await openJob(api, probe, document.ref);
      // Each selection asks the job's own endpoint once (the seed's route, or the result by id);
      // G1p has none, and its finished run's content is final.
      const capabilities = (await api.repository.dialect()).capabilities;
      return capabilities.jobByDocumentRoute || capabilities.lookupById ? 1 : 0;
    });
    jobOpens.push(steps[steps.length - 1].requests.length);
  }
  // 6. Hover one id: a document of the loaded run, beside its run and experiment, as in a log line.
  const hovered = finished[3];
  await step('hover', async () => {
    const document = await hoverDocument([jobLine(hovered.ref)]);
    const result = await hoverAt(document.uri, positionOf(document, 0, hovered.ref.documentId));
    if (!hoverText(result.hovers).includes('Open Job')) {
      throw new Error(`the hover on ${hovered.ref.documentId} did not describe the job: ${hoverText(result.hovers)}`);
    }
    return 0;
  });
  // 7. Look up one job of a run not loaded, pasted as a job's JSON (all four ids).
  await step('lookupJob', async () => {
    const ref = { workflowId: INVOICES.workflowId, experimentId: INVOICES.experimentId, runId: LOOKUP_RUN, documentId: LOOKUP_DOCUMENT };
    const shown = rendered(api, ref);
    await withTimeout(vscode.commands.executeCommand('retab.lookupJob', jobLine(ref)), 20_000, 'retab.lookupJob');
    await shown;
    const documentCount = api.repository.knownRun(LOOKUP_RUN)?.run.documentCount ?? 40;
    // G1: the per-document route; G1p: the run's /content; G2/G3: the run's results, 100 a page,
    // then the result by its id (the selection's one request).
    return flat ? pages(documentCount) + 1 : 1;
  });
  // 8. Refresh: the view reads its root again.
  await step('refresh', async () => {
    await vscode.commands.executeCommand('retab.refresh');
    if (!(await waitForViewRoot(api, sandbox))) {
      throw new Error('the view did not reload its root after Refresh');
    }
    return 1;
  });
  // 9. Expand the same levels again.
  await step('expandAgain', async () => {
    const again = await expand();
    expandMinimum = again.minimum;
    return again.minimum;
  });

  const detectedAs = (await api.repository.dialect()).id;
  const made = steps.flatMap((entry) => entry.requests);
  const minimum = steps.reduce((sum, entry) => sum + entry.minimum, 0);
  const probes = made.filter(isProbe);
  const probesIn = (name: string): number => steps.find((entry) => entry.step === name)?.requests.filter(isProbe).length ?? 0;
  const ratio = made.length / minimum;

  // A new window on the same base URL: nothing in memory, detection remembered in global state.
  await closePanel(api);
  api.repository.clear();
  api.tree.refresh();
  await waitForViewRoot(api, sandbox);
  const newWindowStart = await sandbox.count();
  await expand();
  await sandbox.settle();
  const newWindow = (await sandbox.requests()).slice(newWindowStart);
  const newWindowProbes = newWindow.filter(isProbe).length;

  const jobOpenMax = Math.max(...jobOpens);
  const detectionExtra = probes.length - 1;
  const figure: Figure = {
    figure: 'generation',
    generation,
    detectedAs,
    session: {
      requests: made.length,
      minimum,
      ratio: round(ratio),
      target: SESSION_RATIO_TARGET,
      met: ratio <= SESSION_RATIO_TARGET,
      extra: made.length - minimum,
      byKind: countBy(made.map(requestKind)),
      steps: steps.map((entry) => ({
        step: entry.step,
        requests: entry.requests.length,
        minimum: entry.minimum,
        made: entry.requests.map(describeRequest),
      })),
      listed: { experiments: experimentCount, runs: runCount, documents: loaded.documents.length, expandAgainMinimum: expandMinimum },
    },
    jobOpen: {
      requestsPerOpen: jobOpens,
      max: jobOpenMax,
      target: JOB_OPEN_TARGET,
      met: jobOpenMax <= JOB_OPEN_TARGET,
      note: 'sandbox requests from retab.openJob until the panel rendered the job, for three finished jobs of a loaded run (exprun_inv_6)',
    },
    detection: {
      probeRequests: probes.length,
      atSetApiKey: probesIn('setApiKey'),
      atRefresh: probesIn('refresh'),
      elsewhere: probes.length - probesIn('setApiKey') - probesIn('refresh'),
      probes: probes.map(describeRequest),
      refusedHeader: probes.filter((request) => request.status === 401).length,
      extra: detectionExtra,
      target: DETECTION_EXTRA_TARGET,
      met: detectionExtra <= DETECTION_EXTRA_TARGET,
      newWindowProbes,
      newWindowRequests: newWindow.length,
      note: 'probe = GET /v1/workflows/experiments?limit=1; extra = probe requests beyond the one key check Set API Key makes anyway; a fresh base URL is probed with Authorization: Bearer first (the newest generation), so Api-Key servers (G1, G1p, G2) answer 401 once and are probed again with Api-Key; Refresh probes again by design; newWindow = the repository cleared, detection remembered in global state, the same levels expanded',
    },
  };
  return { figure, ratio, jobOpenMax, detectionExtra, probeRequests: probes.length };
}

export interface GenerationServer {
  generation: Generation;
  origin: string;
}

/** The section: each generation in turn, then one summary line with every target. */
export async function generationsSection(
  api: RetabExtensionApi,
  probe: RequestProbe,
  servers: GenerationServer[],
  apiKey: string,
  repeat: number,
): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const { generation, origin } of servers) {
    const sandbox = new SandboxControl(origin);
    const session = await scriptedSession(api, probe, sandbox, apiKey, generation);
    emit(session.figure);
    // Each sample takes a fraction of a second to seconds and the spread is wide (GC, two cores
    // shared with the workbench and the sandbox): twice the usual count.
    const big = await bigRunRead(api, probe, sandbox, apiKey, repeat, generation, '5k');
    emit(big);
    // The 50,000-document run where results come in pages (nested servers send a run in one answer).
    const huge = FLAT.has(generation) ? await bigRunRead(api, probe, sandbox, apiKey, Math.max(1, Math.ceil(repeat / 2)), generation, '50k') : undefined;
    if (huge) {
      emit(huge);
    }
    const fields = await fieldsOfBigRun(api, probe, repeat * 2, generation);
    emit(fields);
    const chaos = await chaosSession(api, sandbox, generation);
    emit(chaos);
    const read = (figure: Figure | undefined): Record<string, unknown> =>
      figure
        ? {
            firstRowsMs: figure.firstRowsMs,
            firstPageRoundTripMs: figure.firstPageRoundTripMs,
            firstRowsProcessingMs: figure.firstRowsProcessingMs,
            wholeRunMs: figure.wholeRunMs,
            sdkPagerMs: figure.sdkPagerMs,
            wholeRunRatioToSdk: figure.wholeRunRatioToSdk,
            longestTaskMs: figure.longestTaskMs,
            heapLoadedMB: figure.heapLoadedMB,
            heapAfterCollapseAndRefreshMB: figure.heapAfterCollapseAndRefreshMB,
            met: figure.met,
          }
        : {};
    rows.push({
      generation,
      bigRun5k: read(big),
      bigRun50k: huge ? read(huge) : 'not measured: nested servers send a run in one answer',
      chaosRequestRatio: chaos.requestRatio,
      chaosSameFinalState: chaos.sameFinalState,
      chaosRefreshNeeded: chaos.refreshNeeded,
      chaosMet: chaos.met,
      fieldDocumentsAfterLastByteMs: fields.afterLastByteMs,
      fieldDocumentsMet: fields.met,
      jobOpenMaxRequests: session.jobOpenMax,
      jobOpenMet: session.jobOpenMax <= JOB_OPEN_TARGET,
      probeRequests: session.probeRequests,
      detectionExtra: session.detectionExtra,
      detectionMet: session.detectionExtra <= DETECTION_EXTRA_TARGET,
      sessionRequests: (session.figure.session as { requests: number }).requests,
      sessionMinimum: (session.figure.session as { minimum: number }).minimum,
      sessionRatio: round(session.ratio),
      sessionMet: session.ratio <= SESSION_RATIO_TARGET,
    });
    // Release before the next generation: nothing of this server stays in memory.
    await closePanel(api);
    api.repository.clear();
  }
  emit({
    figure: 'generations',
    targets: {
      bigRunFirstRowsProcessingMs: FIRST_ROWS_PROCESSING_TARGET_MS,
      bigRunLongestTaskMs: LONGEST_TASK_TARGET_MS,
      bigRunHeapMB: HEAP_TARGET_MB,
      bigRunWholeRatioToSdk: WHOLE_RUN_RATIO_TARGET,
      chaosRequestRatio: CHAOS_REQUEST_RATIO_TARGET,
      fieldDocumentsAfterLastByteMs: FIELD_DOCUMENTS_TARGET_MS,
      jobOpenRequests: JOB_OPEN_TARGET,
      detectionExtraRequests: DETECTION_EXTRA_TARGET,
      sessionRatio: SESSION_RATIO_TARGET,
    },
    rows,
  });
}

export function parseServers(text: string | undefined): GenerationServer[] {
  const parsed = JSON.parse(text ?? '[]') as unknown;
  const isServer = (entry: unknown): boolean =>
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as Record<string, unknown>).generation === 'string' &&
    typeof (entry as Record<string, unknown>).origin === 'string';
  if (!Array.isArray(parsed) || !parsed.every(isServer)) {
    throw new Error('RETAB_BENCH_GENERATIONS must be a JSON list of {generation, origin}');
  }
  return parsed as GenerationServer[];
}
