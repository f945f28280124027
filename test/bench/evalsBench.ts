/**
 * The benchmark's figures for evals in the Test Explorer (main section, G3, 50 ms a request,
 * 200 ms an eval): requests to list the 120-eval workflow (per level), a running 120-eval run's
 * requests per poll and its polling intervals, the time from a results page's last byte to its
 * results reported, and requests while no run goes.
 */
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { EvalReport } from '../../src/ui/evals/evalRunner';
import { sleep } from '../support/wait';
import { Generation, RequestProbe, SandboxControl, emit, median, round, stats } from './common';

export async function evalsBench(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, generation: Generation): Promise<void> {
  const tree = api.evals;
  const listMark = probe.mark;
  await tree.reload(undefined, true);
  const rootRequests = probe.since(listMark).filter((exchange) => /\/workflows\/evals/.test(exchange.url)).length;
  const workflow = tree.controller.items.get('workflow:wf_big');
  if (!workflow) {
    throw new Error('no wf_big in the Testing view');
  }
  const workflowMark = probe.mark;
  await tree.controller.resolveHandler?.(workflow);
  const listRequests = probe.since(workflowMark).filter((exchange) => /\/workflows\/evals\?/.test(exchange.url)).length;
  const blocks: vscode.TestItem[] = [];
  workflow.children.forEach((block) => blocks.push(block));
  const [block] = blocks;
  let evalCount = 0;
  block.children.forEach(() => evalCount++);

  // A running 120-eval run: requests per poll, intervals, results applied after their page's last byte.
  const reports: Array<{ at: number; report: EvalReport }> = [];
  const subscription = api.evalRunner.onDidReport((report) => reports.push({ at: performance.now(), report }));
  const runMark = probe.mark;
  await api.evalRunner.run(new vscode.TestRunRequest([block]), new vscode.CancellationTokenSource().token);
  subscription.dispose();
  const exchanges = probe
    .since(runMark)
    .filter((exchange) => /\/workflows\/evals\//.test(exchange.url) && !/\/workflows\/evals\/runs(\?|$)/.test(exchange.url));
  const resultReads = exchanges.filter((exchange) => /\/workflows\/evals\/results\?/.test(exchange.url));
  // A poll is the requests that start together (within 300 ms of the one before): its cost is their number.
  const polls: Array<{ started: number; requests: number }> = [];
  for (const exchange of exchanges) {
    const last = polls.at(-1);
    if (last && exchange.started - last.started < 300) {
      last.requests++;
    } else {
      polls.push({ started: exchange.started, requests: 1 });
    }
  }
  const intervals = polls.slice(1).map((poll, index) => poll.started - polls[index].started);
  // Applied: from the last results page's last byte of each read to the last report it produced.
  const applied: number[] = [];
  for (const read of resultReads) {
    const end = read.bodyAt ?? read.started;
    const next = resultReads.find((candidate) => candidate.started > end)?.started ?? Number.POSITIVE_INFINITY;
    const produced = reports.filter((entry) => entry.at >= end && entry.at < next);
    if (produced.length > 0) {
      applied.push(Math.max(...produced.map((entry) => entry.at)) - end);
    }
  }

  const idleMark = await sandbox.count();
  await sleep(5_000);
  const idleRequests = (await sandbox.count()) - idleMark;
  const requestsPerPoll = polls.length > 0 ? exchanges.length / polls.length : null;
  const mostInOnePoll = polls.length > 0 ? Math.max(...polls.map((poll) => poll.requests)) : null;
  emit({
    figure: 'evals',
    generation,
    listing: {
      rootEvalRequests: rootRequests,
      workflowEvals: evalCount,
      workflowListRequests: listRequests,
      target: '≤ 2 requests a level',
      met: listRequests <= 2 && rootRequests <= 2,
    },
    running: {
      evals: evalCount,
      polls: polls.length,
      resultReads: resultReads.length,
      requestsPerPoll: round(requestsPerPoll),
      mostRequestsInOnePoll: mostInOnePoll,
      pollsTarget: '≤ 1 request a poll',
      longestIntervalMs: round(intervals.length ? Math.max(...intervals) : null),
      medianIntervalMs: round(median(intervals)),
      intervalTarget: 'polls back off to at most one per 10 s',
      reports: reports.filter((entry) => entry.report.state !== 'started').length,
    },
    applied: stats(applied),
    appliedTarget: '≤ 50 ms a poll, from the results page’s last byte to its results reported',
    appliedMet: (median(applied) ?? Infinity) <= 50,
    idleRequests,
    idleTarget: '0 requests with no run',
    note: 'a poll = the evals requests that start within 300 ms of each other (the start excluded); the run lasts about 24 s (200 ms an eval)',
  });
}
