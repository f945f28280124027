import { JobRef, isSafeId } from '../api/ids';
import { trimTrailingSlashes } from '../api/strings';

/** `vscode://PUBLISHER.NAME/job?workflow=…&experiment=…&run=…&document=…` */
export function buildJobLink(uriScheme: string, extensionId: string, ref: JobRef): string {
  const query = new URLSearchParams({
    workflow: ref.workflowId,
    experiment: ref.experimentId,
    run: ref.runId,
    document: ref.documentId,
  });
  return `${uriScheme}://${extensionId}/job?${query.toString()}`;
}

/** The reference in a link's path and query, or undefined when anything is missing or unsafe. */
export function parseJobLink(path: string, query: string): JobRef | undefined {
  if (trimTrailingSlashes(path) !== '/job') {
    return undefined;
  }
  const params = new URLSearchParams(query);
  const ref = {
    workflowId: params.get('workflow') ?? '',
    experimentId: params.get('experiment') ?? '',
    runId: params.get('run') ?? '',
    documentId: params.get('document') ?? '',
  };
  return Object.values(ref).every(isSafeId) ? ref : undefined;
}
