import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { parseJobLink } from '../../links/jobLink';
import { Services } from '../shared/services';
import { IdHoverProvider } from './idHoverProvider';
import { IdLinkProvider } from './idLinkProvider';

/**
 * Getting from an id anywhere to its job: hovers and links on ids in any file, and
 * `vscode://retab-labs.retab-experiments/job?…` links from outside VS Code.
 */
export function registerIdNavigation(context: vscode.ExtensionContext, services: Services, openJob: (ref: JobRef) => Promise<void>): void {
  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri: (uri) => {
        const ref = parseJobLink(uri.path, uri.query);
        if (ref) {
          void openJob(ref);
        } else {
          void vscode.window.showErrorMessage(l10n.t('Retab: this link does not name a job (it needs workflow, experiment, run and document ids).'));
        }
      },
    }),
    vscode.languages.registerDocumentLinkProvider('*', new IdLinkProvider(services.locator)),
    vscode.languages.registerHoverProvider('*', new IdHoverProvider(services.repository, services.locator, () => services.keys.has())),
  );
}
