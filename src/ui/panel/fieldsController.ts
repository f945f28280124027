import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
/**
 * The job panel's Fields section: a document's field scores fetched when the section is opened, a
 * field's votes when one is chosen, both through the repository (which keeps finished runs'
 * views) and both cancelled when another job is opened. Whether the section is open is kept from
 * job to job and across reloads.
 */
import * as vscode from 'vscode';
import { FieldScore } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { fieldValueUri } from '../documents/fieldValueDocument';
import { FieldsContent, FieldsSection, VotesContent, orderFields } from './fieldsView';
import { panelError } from './panelError';
import { ValueRef } from '../../protocol/jobPanel';
import { JobState, SectionHost } from './sectionHost';

export class FieldsController {
  /** The user had the section open: the next job shows it open (and loads it) too. */
  open = false;
  private fieldsRequest: AbortController | undefined;
  private votesRequest: AbortController | undefined;
  private fieldsLoad: Promise<void> | undefined;

  constructor(
    private readonly host: SectionHost,
    private readonly repository: RetabRepository,
    /** Told when a field is chosen (the Document section marks where its value is). */
    private readonly onFieldChosen: (path: string) => void,
  ) {}

  /** The section for a job just put on screen: open (to be loaded) if the user left it open. */
  initial(): FieldsSection {
    return { open: this.open, content: this.open ? { kind: 'loading' } : { kind: 'idle' } };
  }

  content(): FieldsContent | undefined {
    return this.host.job()?.fields?.content;
  }

  /** The document's fields in the order the section lists them, once loaded. */
  loadedFields(): FieldScore[] | undefined {
    const content = this.content();
    return content?.kind === 'loaded' ? orderFields(content.fields.fields) : undefined;
  }

  cancel(): void {
    this.fieldsRequest?.abort();
    this.fieldsRequest = undefined;
    this.votesRequest?.abort();
    this.votesRequest = undefined;
  }

  loadIfOpen(force?: boolean): void {
    if (this.open) {
      void this.load(force);
    }
  }

  /** The host opened the section (a command, not the user's click): shown open at once, then loaded. */
  async show(resend: () => void): Promise<void> {
    const state = this.host.job();
    if (!state) {
      return;
    }
    if (!state.fields?.open) {
      this.open = true;
      resend();
    }
    const content = this.content();
    if (content?.kind === 'idle' || content?.kind === 'error') {
      await this.load();
    } else if (content?.kind === 'loading') {
      await this.fieldsLoad;
    }
  }

  /** The user opened or closed the section (the page already shows it so). */
  async onToggled(open: boolean): Promise<void> {
    this.open = open;
    const state = this.host.job();
    if (!state) {
      return;
    }
    const content = state.fields?.content ?? { kind: 'idle' };
    // Not sent: the <details> element is already as the user left it.
    state.fields = { open, content };
    if (open && (content.kind === 'idle' || content.kind === 'error')) {
      await this.load();
    }
  }

  /** Fetches the section's field scores; `fieldsLoad` lets a command wait for the request under way. */
  load(force?: boolean): Promise<void> {
    this.fieldsLoad = this.fetchFields(force);
    return this.fieldsLoad;
  }

  private async fetchFields(force?: boolean): Promise<void> {
    const state = this.host.job();
    if (!state) {
      return;
    }
    this.cancel();
    const controller = new AbortController();
    this.fieldsRequest = controller;
    if (state.fields?.content.kind !== 'loading') {
      this.setContent({ kind: 'loading' });
    }
    try {
      const fields = await this.repository.getDocumentFields(state.ref, { force, signal: controller.signal });
      if (this.fieldsRequest === controller) {
        this.setContent(fields.kind === 'unavailable' ? { kind: 'unavailable', reason: fields.reason, message: fields.message } : { kind: 'loaded', fields });
      }
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('loading the field scores'));
      if (this.fieldsRequest === controller && error.kind !== 'cancelled') {
        this.setContent({ kind: 'error', error: panelError(error) });
      }
    } finally {
      if (this.fieldsRequest === controller) {
        this.fieldsRequest = undefined;
      }
    }
  }

  /** Opens the section and shows the votes of the field with this path. */
  async showVotesOf(path: string, resend: () => void): Promise<void> {
    await this.show(resend);
    const content = this.content();
    if (content?.kind !== 'loaded') {
      return;
    }
    const index = orderFields(content.fields.fields).findIndex((field) => field.path === path);
    if (index < 0) {
      void vscode.window.showInformationMessage(l10n.t('Retab: this document has no such field in this run.'));
      return;
    }
    await this.choose(index);
  }

  /** Shows the votes of the field at `index` of the section's order. */
  async choose(index: number): Promise<void> {
    const state = this.host.job();
    const content = this.content();
    if (!state || content?.kind !== 'loaded') {
      return;
    }
    const field = orderFields(content.fields.fields).at(index);
    if (!field || index < 0) {
      return;
    }
    this.onFieldChosen(field.path);
    if (content.votes?.field === index && content.votes.kind === 'loaded') {
      return;
    }
    this.votesRequest?.abort();
    const controller = new AbortController();
    this.votesRequest = controller;
    const base = { field: index, path: field.path };
    this.setVotes({ kind: 'loading', ...base });
    try {
      const votes = await this.repository.getFieldVotes(state.ref, field.path, { signal: controller.signal });
      if (this.votesRequest === controller) {
        this.setVotes(
          votes.kind === 'unavailable' ? { kind: 'unavailable', ...base, reason: votes.reason, message: votes.message } : { kind: 'loaded', ...base, votes },
        );
      }
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('loading the votes'));
      if (this.votesRequest === controller && error.kind !== 'cancelled') {
        this.setVotes({ kind: 'error', ...base, error: panelError(error) });
      }
    } finally {
      if (this.votesRequest === controller) {
        this.votesRequest = undefined;
      }
    }
  }

  async retry(): Promise<void> {
    const content = this.content();
    if (content?.kind === 'loaded' && content.votes?.kind === 'error') {
      const index = content.votes.field;
      this.setVotes(undefined);
      await this.choose(index);
    } else if (content) {
      await this.load(true);
    }
  }

  /** Opens the whole of a value the section shows clipped, as a read-only document. */
  async openValue(at: ValueRef): Promise<void> {
    const state = this.host.job();
    const content = this.content();
    const votes = content?.kind === 'loaded' ? content.votes : undefined;
    if (!state || votes?.kind !== 'loaded' || votes.field !== at.field) {
      return;
    }
    const row = votes.votes.rows.at(at.row);
    const value = at.source === 'rowConsensus' ? row?.consensus : at.voter !== undefined ? row?.votes.at(at.voter) : undefined;
    if (!row || value === undefined) {
      return;
    }
    const uri = fieldValueUri(
      state.ref,
      votes.path,
      { row: at.row, voter: at.source === 'vote' ? at.voter : undefined },
      typeof value === 'string' ? 'text' : 'json',
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    } catch (caught) {
      void vscode.window.showErrorMessage(l10n.t('Retab: could not open the value: {0}', toRetabError(caught, l10n.t('opening a field value')).message));
    }
  }

  private setContent(content: FieldsContent): void {
    const state = this.host.job();
    if (state) {
      this.update(state, { open: state.fields?.open ?? this.open, content });
    }
  }

  private setVotes(votes: VotesContent | undefined): void {
    const state = this.host.job();
    const content = this.content();
    if (!state || content?.kind !== 'loaded' || !state.fields) {
      return;
    }
    this.update(state, { open: state.fields.open, content: { ...content, votes } });
  }

  private update(state: JobState, fields: FieldsSection): void {
    this.host.updateSection({ ...state, fields }, 'fields');
  }
}
