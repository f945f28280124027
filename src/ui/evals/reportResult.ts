import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { EvalResult } from '../../api/evals/evalModels';
import { escapeMarkdown } from '../shared/markdown';
import { jsonText } from '../shared/jsonText';
import { EvalDocuments } from './evalDocuments';
import { ResultState } from './evalWords';

/**
 * Puts one eval's result (`state`: what resultState made of it) on a test run, as a live run and
 * Show Eval Run both do: passed with its duration, failed with expected against actual (a cut
 * value linking to the whole one), errored with its message, skipped; a running one not yet.
 */
export function reportResult(run: vscode.TestRun, item: vscode.TestItem, result: EvalResult, state: ResultState, documents: EvalDocuments): void {
  switch (state.state) {
    case 'passed':
      run.passed(item, state.durationMs ?? undefined);
      break;
    case 'failed': {
      const message = vscode.TestMessage.diff(state.message, state.expected, state.actual);
      if (state.cut) {
        // Only our own read-only document scheme is linked: the markdown stays untrusted.
        const whole = documents.keep(jsonText(result.assertion?.actual ?? null, { indent: 2 }));
        message.message = new vscode.MarkdownString(
          l10n.t('{0} (values cut at 20,000 characters). [Open the whole actual value]({1})', escapeMarkdown(state.message), whole.toString()),
        );
      }
      run.failed(item, message, state.durationMs ?? undefined);
      break;
    }
    case 'errored':
      run.errored(item, new vscode.TestMessage(state.message), state.durationMs ?? undefined);
      break;
    case 'skipped':
      run.skipped(item);
      break;
    case 'running':
      break;
  }
}
