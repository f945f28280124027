import * as assert from 'node:assert/strict';
import { parseJob } from './support/g1Wire';
import { IDS_REF, minimalNestedJob, nestedFileInputs } from './support/wireBuilders';
import { arrangeDocuments, describeArrangement } from '../../src/ui/tree/documentArrangement';
import type { DocumentNode, RunNode } from '../../src/ui/tree/nodes';

function node(documentId: string, status: string, score: number | null, durationMs: number, filename: string): DocumentNode {
  const job = parseJob(minimalNestedJob({ document_id: documentId, status, duration_ms: durationMs, handle_inputs: nestedFileInputs(filename) }));
  const ref = { ...IDS_REF, documentId };
  return { kind: 'document', parent: {} as RunNode, job, ref, metric: { id: documentId, filename, score, priorScore: null }, slow: false };
}

const NODES = [
  node('expdoc_a', 'completed', 0.9, 1000, 'Invoice-A.pdf'),
  node('expdoc_b', 'error', 0.2, 5000, 'receipt_b.pdf'),
  node('expdoc_c', 'completed', 0.5, 9000, 'invoice_c.pdf'),
  node('expdoc_d', 'running', null, 100, 'facture_été.pdf'),
];

function ids(nodes: DocumentNode[]): string[] {
  return nodes.map((item) => item.ref.documentId);
}

describe('document sort and filter', () => {
  it('sorts by lowest score, status and slowest', () => {
    assert.deepEqual(ids(arrangeDocuments(NODES, 'score', {})), ['expdoc_b', 'expdoc_c', 'expdoc_a', 'expdoc_d']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'status', {})), ['expdoc_b', 'expdoc_d', 'expdoc_a', 'expdoc_c']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'duration', {})), ['expdoc_c', 'expdoc_b', 'expdoc_a', 'expdoc_d']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'default', {})), ids(NODES));
  });

  it('filters by status, score threshold and file name', () => {
    assert.deepEqual(ids(arrangeDocuments(NODES, 'default', { statuses: ['error', 'running'] })), ['expdoc_b', 'expdoc_d']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'default', { scoreBelow: 0.6 })), ['expdoc_b', 'expdoc_c']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'default', { text: 'INVOICE' })), ['expdoc_a', 'expdoc_c']);
    assert.deepEqual(ids(arrangeDocuments(NODES, 'default', { text: 'été' })), ['expdoc_d']);
  });

  it('describes the active arrangement', () => {
    assert.equal(describeArrangement('default', {}), undefined);
    assert.equal(describeArrangement('score', { statuses: ['error'], scoreBelow: 0.8 }), 'status: error · score < 80% · sorted: lowest score first');
  });
});
