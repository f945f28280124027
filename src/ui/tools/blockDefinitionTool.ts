import { l10n } from '../../l10n';
import { splitConfig } from '../../analysis/blockBundle';
import { RetabError } from '../../api/errors';
import { numberedRuns } from '../../api/models';
import { resolveRunDefinition } from '../../data/blocks/runDefinitions';
import { blockFileUri } from '../blocks/blockUris';
import { ToolDeps, resolveRun } from './toolContext';
import { ToolInput, optionalIdField } from './toolInput';

/** The whole answer stays under this (a model's context is shared with everything else). */
const MAX_ANSWER = 12_000;
/** Each file of the current config, and each changed value, at most this long. */
const MAX_FILE = 5_000;
const MAX_VALUE = 300;

function clip(text: string, max: number): string {
  return text.length > max ? l10n.t('{0}… ({1} more characters)', text.slice(0, max - 1), text.length - max + 1) : text;
}

/**
 * `#retabBlockDefinition`: a block's current config (as the bundle's files an agent can edit) and,
 * given a run (and optionally another), the definitions the runs used with the fields that changed
 * between them, so that an agent can explain a regression and propose the edit.
 */
export async function blockDefinition(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const availability = await deps.blocks.availability(signal);
  if (!availability.available) {
    return availability.reason;
  }
  const runId = optionalIdField(input, 'runId');
  const otherRunId = optionalIdField(input, 'otherRunId');
  let workflowId = optionalIdField(input, 'workflowId');
  let blockId = optionalIdField(input, 'blockId');
  let run = undefined as Awaited<ReturnType<typeof resolveRun>> | undefined;
  if (runId) {
    run = await resolveRun(deps, input, 'runId', signal);
    workflowId = run.workflowId;
    const experiment = deps.repository.knownExperiment(run.experimentId) ?? (await deps.repository.getExperiment(run.workflowId, run.experimentId, signal));
    blockId = experiment.blockId ?? blockId;
  }
  if (!workflowId || !blockId) {
    throw new RetabError('invalid_id', l10n.t('Give a runId (the block is the one its experiment runs), or a workflowId and a blockId.'));
  }
  const block = await deps.blocks.getBlock(blockId, workflowId, signal);
  const lines = [
    l10n.t('Block {0} ({1}, “{2}”) of workflow {3}. Current draft config, as the files an edit changes:', block.id, block.type, block.label, block.workflowId),
  ];
  for (const [path, text] of splitConfig(block.type, block.config).texts) {
    lines.push(
      `--- ${path} (${blockFileUri({ workflowId: block.workflowId, blockType: block.type, blockId: block.id }, path).toString()})`,
      clip(text.trimEnd(), MAX_FILE),
    );
  }
  if (run) {
    const runs = await deps.repository.listRuns(run.workflowId, run.experimentId, { signal });
    const numbered = numberedRuns(runs);
    const entry = (id: string): { label: string; summary: (typeof runs)[number] } | undefined => {
      const found = numbered.find((candidate) => candidate.run.id === id);
      return found ? { label: l10n.t('Run {0} ({1})', found.number, id), summary: found.run } : undefined;
    };
    const to = entry(run.runId);
    // Without another run: the one before it.
    const toNumber = numbered.find((candidate) => candidate.run.id === run?.runId)?.number;
    const fromId = otherRunId ?? (toNumber === undefined ? undefined : numbered.find((candidate) => candidate.number === toNumber - 1)?.run.id);
    const from = fromId ? entry(fromId) : undefined;
    if (!to) {
      throw new RetabError('not_found', l10n.t("Run {0} is not among its experiment's runs.", run.runId));
    }
    const place = run;
    const [fromDefinition, toDefinition] = await Promise.all([
      from ? resolveRunDefinition(deps.blocks, place.workflowId, block.id, from.summary, from.label, signal) : Promise.resolve(undefined),
      resolveRunDefinition(deps.blocks, place.workflowId, block.id, to.summary, to.label, signal),
    ]);
    for (const [side, definition] of [
      [from, fromDefinition],
      [to, toDefinition],
    ] as const) {
      if (side && definition) {
        lines.push(
          definition.found
            ? l10n.t(
                '{0} used block version {1}{2}.',
                side.label,
                definition.version.id,
                definition.version.createdAt ? ` (${definition.version.createdAt})` : '',
              )
            : definition.why,
        );
      }
    }
    if (fromDefinition?.found && toDefinition?.found) {
      if (fromDefinition.version.id === toDefinition.version.id) {
        lines.push(l10n.t('Both runs used the same definition: a score change between them comes from elsewhere (documents, consensus, annotations).'));
      } else {
        const diff = await deps.blocks.diffVersions(fromDefinition.version.id, toDefinition.version.id, signal);
        lines.push(
          diff.changes.length === 1
            ? l10n.t('Changed between them (1 field, as the server lists it):')
            : l10n.t('Changed between them ({0} fields, as the server lists them):', diff.changes.length),
        );
        for (const change of diff.changes.slice(0, 40)) {
          lines.push(
            `- ${change.field}: ${clip(JSON.stringify(change.from) ?? '(none)', MAX_VALUE)} → ${clip(JSON.stringify(change.to) ?? '(none)', MAX_VALUE)}`,
          );
        }
      }
    } else if (!from) {
      lines.push(l10n.t("{0} is the experiment's first run: there is no earlier definition to compare with.", to.label));
    }
  }
  lines.push(
    l10n.t(
      'To change the block, edit these files (Retab: Edit Block Definition) and save: the save writes the draft only; Publish Workflow… puts it in production.',
    ),
  );
  return clip(lines.join('\n'), MAX_ANSWER);
}
