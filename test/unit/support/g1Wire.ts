/**
 * The seed generation's (G1) parsers with the shapes the older tests use: lists as plain arrays.
 * Thin wrappers over the G1 dialect's own functions, so the tests exercise the real code.
 */
import { parseRunMetrics, parseWorkflowPage } from '../../../src/api/dialects/common';
import {
  parseNestedContent,
  parseNestedExperiment,
  parseNestedJob,
  parseNestedList,
  parseNestedRun,
  parseNestedStartedRun,
} from '../../../src/api/dialects/nestedWire';
import { Experiment, Job, RunContent, RunSummary } from '../../../src/api/models';

export { parseRunMetrics, parseWorkflowPage };
export const parseStartedRun = parseNestedStartedRun;

export function parseJob(value: unknown, path?: string): Job {
  return parseNestedJob(value, path);
}

export function parseExperimentList(value: unknown): Experiment[] {
  return parseNestedList(value, null, parseNestedExperiment).items;
}

export function parseRunList(value: unknown): RunSummary[] {
  return parseNestedList(value, 'runs', parseNestedRun).items;
}

export function parseRunContent(value: unknown): RunContent {
  const page = parseNestedContent(value);
  return { experimentId: page.experimentId, runId: page.runId, jobs: page.jobs, truncated: false };
}
