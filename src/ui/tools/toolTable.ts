import { blockDefinition } from './blockDefinitionTool';
import { compareDocumentAcrossRuns } from './compareTool';
import { listEvalFailures } from './evalFailuresTool';
import { listDisagreeingFields } from './fieldsTool';
import { getJob } from './jobTool';
import { listRunFailures } from './runFailuresTool';
import { ToolDeps } from './toolContext';
import { ToolInput } from './toolInput';

type ToolRun = (deps: ToolDeps, input: ToolInput, signal?: AbortSignal) => Promise<string>;

/** Tool names as declared under `languageModelTools` in package.json (a unit test keeps them in step). */
export const TOOLS: Readonly<Record<string, { run: ToolRun; progress: string }>> = {
  retab_listRunFailures: { run: listRunFailures, progress: 'Grouping the run’s failures' },
  retab_getJob: { run: getJob, progress: 'Reading the job' },
  retab_listDisagreeingFields: { run: listDisagreeingFields, progress: 'Reading the document’s fields and votes' },
  retab_compareDocumentAcrossRuns: { run: compareDocumentAcrossRuns, progress: 'Comparing the document across runs' },
  retab_listEvalFailures: { run: listEvalFailures, progress: 'Reading the eval run’s failures' },
  retab_blockDefinition: { run: blockDefinition, progress: 'Reading the block’s definition' },
};
