import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { withAbortSignal } from '../shared/cancellation';
import { ToolDeps } from './toolContext';
import { ToolInput, asInput } from './toolInput';
import { TOOLS } from './toolTable';

/**
 * Language-model tools: an agent in the editor asks what a person asks the views, through the
 * same repository and caches. Answers are compact text; errors are answers too (the model reads
 * them), never the key.
 */
export function registerLanguageModelTools(context: vscode.ExtensionContext, deps: ToolDeps): void {
  for (const [name, tool] of Object.entries(TOOLS)) {
    context.subscriptions.push(
      vscode.lm.registerTool<ToolInput>(name, {
        prepareInvocation: () => ({ invocationMessage: l10n.t('Retab: {0}…', tool.progress()) }),
        invoke: async (options, token) => {
          try {
            const text = await withAbortSignal(token, (signal) => tool.run(deps, asInput(options.input), signal));
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
          } catch (caught) {
            const error = toRetabError(caught, l10n.t('running the {0} tool', name));
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(l10n.t('Error ({0}): {1}', error.kind, error.message))]);
          }
        },
      }),
    );
  }
}
