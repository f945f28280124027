import { l10n } from '../../l10n';
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
export const TOOLS: Readonly<Record<string, { run: ToolRun; progress: () => string }>> = {
  retab_listRunFailures: { run: listRunFailures, progress: () => l10n.t('Grouping the run’s failures') },
  retab_getJob: { run: getJob, progress: () => l10n.t('Reading the job') },
  retab_listDisagreeingFields: { run: listDisagreeingFields, progress: () => l10n.t('Reading the document’s fields and votes') },
  retab_compareDocumentAcrossRuns: { run: compareDocumentAcrossRuns, progress: () => l10n.t('Comparing the document across runs') },
  retab_listEvalFailures: { run: listEvalFailures, progress: () => l10n.t('Reading the eval run’s failures') },
  retab_blockDefinition: { run: blockDefinition, progress: () => l10n.t('Reading the block’s definition') },
};
