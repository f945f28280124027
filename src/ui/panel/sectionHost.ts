import { PanelState } from './jobView';
import { ToWebview } from '../../protocol/jobPanel';

export type JobState = Extract<PanelState, { kind: 'job' }>;

/** A section of the page that changes alone: its markup is sent without the rest of the page. */
export type SectionName = 'fields' | 'document';

/**
 * What the panel lends its sections' controllers (fieldsController.ts, documentController.ts):
 * the job on screen, a way to put a changed section in place, and the webview's post box.
 */
export interface SectionHost {
  /** The job on screen, when the page shows one. */
  job(): JobState | undefined;
  /** Makes `state` current and sends the named section alone (the page keeps its scroll and focus). */
  updateSection(state: JobState, section: SectionName): void;
  send(message: ToWebview): void;
}
