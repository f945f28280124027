import * as assert from 'node:assert/strict';
import { splitConfig } from '../../src/analysis/blockBundle';
import { ManifestError, buildManifest, manifestText, parseManifest, pushVerdict } from '../../src/analysis/bundleManifest';
import { bundleConfigHash } from '../../src/analysis/goJson';

const config = { model: 'retab-small', json_schema: { type: 'object', properties: { total: { type: 'number' } } } };
const block = { id: 'blk_1', workflowId: 'wrk_1', type: 'extract', label: 'Extract <totals>', updatedAt: '2026-08-01T10:00:00Z', config };

describe('The CLI bundle’s manifest', () => {
  it('is written as the CLI writes it (target, adapter, baseline with the bundle hash, files config first) and read back', () => {
    const manifest = buildManifest(block, splitConfig('extract', config).files);
    assert.deepEqual(JSON.parse(manifestText(manifest)), {
      target: { kind: 'workflow_block', workflow_id: 'wrk_1', block_id: 'blk_1', block_type: 'extract', block_label: 'Extract <totals>' },
      adapter: { name: 'json_schema' },
      baseline: { config_hash: bundleConfigHash(config), block_updated_at: '2026-08-01T10:00:00Z' },
      files: [
        { role: 'config', path: 'config.json', format: 'json' },
        { role: 'json_schema', path: 'json_schema.json', format: 'json' },
      ],
    });
    assert.deepEqual(parseManifest(manifestText(manifest)), manifest);
  });

  it('is read strictly: unknown keys, a foreign adapter, roles the type lacks, paths outside the folder all fail', () => {
    type Editable = { api_version?: number; adapter: { name: string }; target: { kind: string }; files: Array<{ role: string; path: string; format: string }> };
    const good = manifestText(buildManifest(block, splitConfig('extract', config).files));
    const bad = (change: (manifest: Editable) => void): string => {
      const copy = JSON.parse(good) as Editable;
      change(copy);
      try {
        parseManifest(JSON.stringify(copy));
      } catch (caught) {
        assert.ok(caught instanceof ManifestError, String(caught));
        return caught.message;
      }
      return assert.fail('accepted');
    };
    assert.match(
      bad((manifest) => (manifest.api_version = 2)),
      /unknown key "api_version"/,
    );
    assert.match(
      bad((manifest) => (manifest.adapter.name = 'classifier')),
      /does not fit a extract block/,
    );
    assert.match(
      bad((manifest) => (manifest.files[1] = { role: 'categories', path: 'categories.json', format: 'json' })),
      /has no file "categories.json"/,
    );
    assert.match(
      bad((manifest) => (manifest.files[1].path = '../json_schema.json')),
      /bundle's own folder/,
    );
    assert.match(
      bad((manifest) => {
        manifest.files.reverse();
      }),
      /config.json first/,
    );
    assert.match(
      bad((manifest) => (manifest.target.kind = 'workflow')),
      /workflow_block/,
    );
    assert.throws(() => parseManifest('{'), ManifestError);
  });
});

describe('Pushing a bundle: the CLI’s conflict rule', () => {
  const manifest = buildManifest(block, splitConfig('extract', config).files);
  const remote = { id: 'blk_1', workflowId: 'wrk_1', type: 'extract', config };

  it('pushes when the server still has the config the bundle was pulled from, whatever its updated_at', () => {
    assert.deepEqual(pushVerdict(manifest, remote, false), { push: true });
  });

  it('refuses when the server’s config changed since the pull, unless forced', () => {
    const changed = { ...remote, config: { ...config, model: 'retab-large' } };
    assert.deepEqual(pushVerdict(manifest, changed, false), {
      push: false,
      reason: 'The block’s config changed on the server since this bundle was pulled.',
      overridable: true,
    });
    assert.deepEqual(pushVerdict(manifest, changed, true), { push: true });
  });

  it('refuses another block, workflow or type even when forced, and a bundle without a baseline unless forced', () => {
    assert.equal(pushVerdict(manifest, { ...remote, id: 'blk_2' }, true).push, false);
    assert.equal(pushVerdict(manifest, { ...remote, workflowId: 'wrk_2' }, true).push, false);
    assert.equal(pushVerdict(manifest, { ...remote, type: 'classifier' }, true).push, false);
    const noBaseline = { ...manifest, baseline: { config_hash: '' } };
    assert.equal(pushVerdict(noBaseline, remote, false).push, false);
    assert.equal(pushVerdict(noBaseline, remote, true).push, true);
  });
});
