import { l10n } from '../../l10n';
import { RetabError } from '../../api/errors';
import { ID_PREFIXES, JobRef } from '../../api/ids';
import { JobLocator, toJobRef } from '../../data/locator';
import { RetabRepository } from '../../data/repository';
import { EvalRepository } from '../../data/evals/evalRepository';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { ToolInput, optionalIdField, requiredIdField } from './toolInput';

/** What every tool reads through: the same repository and caches as the views. */
export interface ToolDeps {
  repository: RetabRepository;
  locator: JobLocator;
  evals: EvalRepository;
  blocks: BlockRepository;
}

export type RunRef = Omit<JobRef, 'documentId'>;

/** A run from the ids given, completing the rest from memory or (flat servers) by id. */
export async function resolveRun(deps: ToolDeps, input: ToolInput, runField = 'runId', signal?: AbortSignal): Promise<RunRef> {
  const ref = await deps.locator.completeById(
    {
      runId: requiredIdField(input, runField, ID_PREFIXES.run),
      experimentId: optionalIdField(input, 'experimentId', ID_PREFIXES.experiment),
      workflowId: optionalIdField(input, 'workflowId', ID_PREFIXES.workflow),
    },
    signal,
  );
  if (!ref.runId || !ref.experimentId || !ref.workflowId) {
    throw new RetabError('not_found', l10n.t('This run cannot be placed from its id alone on this server: give experimentId and workflowId too.'));
  }
  return { workflowId: ref.workflowId, experimentId: ref.experimentId, runId: ref.runId };
}

/** A document's job from a job/result id, or a document id with its run. */
export async function resolveJob(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<JobRef> {
  const partial = {
    jobId: optionalIdField(input, 'jobId'),
    documentId: optionalIdField(input, 'documentId', ID_PREFIXES.document),
    runId: optionalIdField(input, 'runId', ID_PREFIXES.run),
    experimentId: optionalIdField(input, 'experimentId', ID_PREFIXES.experiment),
    workflowId: optionalIdField(input, 'workflowId', ID_PREFIXES.workflow),
  };
  if (!partial.jobId && !(partial.documentId && partial.runId)) {
    throw new RetabError('invalid_id', l10n.t('Give jobId, or documentId with runId.'));
  }
  const ref = toJobRef(await deps.locator.completeById(partial, signal));
  if (!ref) {
    throw new RetabError('not_found', l10n.t('This job cannot be placed from the ids given on this server: add experimentId and workflowId.'));
  }
  return ref;
}
