/**
 * Every name the extension shares with package.json: command ids, context keys, view ids. Code
 * uses these constants, never the strings; test/unit/manifest.test.ts checks package.json against
 * them (every command declared and categorised, menus and `when` clauses naming only what is here).
 */

export const COMMANDS = {
  setApiKey: 'retab.setApiKey',
  clearApiKey: 'retab.clearApiKey',
  useKeyForBaseUrl: 'retab.useKeyForBaseUrl',
  refresh: 'retab.refresh',
  lookupJob: 'retab.lookupJob',
  openJob: 'retab.openJob',
  copyId: 'retab.copyId',
  refreshJob: 'retab.refreshJob',
  showJobFields: 'retab.showJobFields',
  showJobDocument: 'retab.showJobDocument',
  showFieldVotes: 'retab.showFieldVotes',
  showLog: 'retab.showLog',
  retryNode: 'retab.retryNode',
  loadMoreWorkflows: 'retab.loadMoreWorkflows',
  showMoreDocuments: 'retab.showMoreDocuments',
  compareRuns: 'retab.compareRuns',
  sortDocuments: 'retab.sortDocuments',
  filterDocuments: 'retab.filterDocuments',
  clearDocumentFilter: 'retab.clearDocumentFilter',
  openArtifact: 'retab.openArtifact',
  compareWithRun: 'retab.compareWithRun',
  openJobError: 'retab.openJobError',
  copyLink: 'retab.copyLink',
  exportRun: 'retab.exportRun',
  startRun: 'retab.startRun',
  cancelRun: 'retab.cancelRun',
  openEvalDefinition: 'retab.openEvalDefinition',
  renameEval: 'retab.renameEval',
  deleteEval: 'retab.deleteEval',
  showEvalRun: 'retab.showEvalRun',
  pinAsEval: 'retab.pinAsEval',
  editBlockDefinition: 'retab.editBlockDefinition',
  compareDefinitions: 'retab.compareDefinitions',
  showBlockHistory: 'retab.showBlockHistory',
  publishWorkflow: 'retab.publishWorkflow',
  pullBlockToFolder: 'retab.pullBlockToFolder',
  pushBlockFromFolder: 'retab.pushBlockFromFolder',
  switchConnection: 'retab.switchConnection',
  addConnection: 'retab.addConnection',
  removeConnection: 'retab.removeConnection',
  renameConnection: 'retab.renameConnection',
  nextDocument: 'retab.nextDocument',
  previousDocument: 'retab.previousDocument',
  openJobDocumentFile: 'retab.openJobDocumentFile',
  saveJobDocumentAs: 'retab.saveJobDocumentAs',
  getStarted: 'retab.getStarted',
  useDemoKey: 'retab.useDemoKey',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Context keys the extension sets with `setContext`, for `when` clauses in package.json. */
export const CONTEXT_KEYS = {
  /** A key is saved (the welcome view shows while it is not). */
  hasApiKey: 'retab.hasApiKey',
  /** The document filter is on: "Clear Document Filter" is offered only then. */
  documentFilterActive: 'retab.documentFilterActive',
  /** The server has workflow blocks (flat generations, routes present): the edit commands show. */
  blocksAvailable: 'retab.blocksAvailable',
  /** The demo's sandbox key is there to use (`npm run demo`): the walkthrough's first step offers it. */
  demoAvailable: 'retab.demoAvailable',
  /** The walkthrough's steps, done: a run expanded, a failure read, a field's votes seen. */
  walkthroughRunOpened: 'retab.walkthrough.runOpened',
  walkthroughFailureRead: 'retab.walkthrough.failureRead',
  walkthroughVotesSeen: 'retab.walkthrough.votesSeen',
} as const;

/** The walkthrough's id in package.json (`contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'retab.gettingStarted';

export const VIEWS = {
  /** The activity bar container. */
  container: 'retab',
  experiments: 'retab.experiments',
} as const;

/** VS Code's own command that focuses a view: `<view id>.focus`. */
export const FOCUS_EXPERIMENTS_VIEW = `${VIEWS.experiments}.focus`;

/** The job panel's webview type: its serializer and the `onWebviewPanel:` activation event use it. */
export const JOB_PANEL_VIEW_TYPE = 'retab.job';

/** The status bar item that shows runs in progress. */
export const RUNS_STATUS_BAR_ID = 'retab.runs';

/** The status bar item that names the connection in use (and switches it). */
export const CONNECTION_STATUS_BAR_ID = 'retab.connection';
