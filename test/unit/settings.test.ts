import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIALECTS } from '../../src/api/dialects/registry';
import { SETTINGS, clampSetting } from '../../src/ui/settings/settingsSpec';

interface Declared {
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
  enum?: unknown[];
  enumDescriptions?: unknown[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } };
};
const declared = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('reads exactly the settings package.json declares, with the same defaults and bounds', () => {
    assert.deepEqual(
      Object.values(SETTINGS)
        .map((spec) => spec.key)
        .sort(),
      Object.keys(declared).sort(),
    );
    for (const spec of Object.values(SETTINGS)) {
      const entry = declared[spec.key];
      assert.deepEqual(entry.default, spec.default, spec.key);
      assert.equal(entry.minimum, 'minimum' in spec ? spec.minimum : undefined, `${spec.key} minimum`);
      assert.equal(entry.maximum, 'maximum' in spec ? spec.maximum : undefined, `${spec.key} maximum`);
    }
  });

  it('keeps the settings that could send the key elsewhere out of workspace reach', () => {
    assert.equal(declared[SETTINGS.apiBaseUrl.key].scope, 'application');
    assert.equal(declared[SETTINGS.apiGeneration.key].scope, 'application');
  });

  it('offers every registered generation, and only those, to be pinned, each with its description', () => {
    const entry = declared[SETTINGS.apiGeneration.key];
    assert.deepEqual(entry.enum, ['auto', ...DIALECTS.map((dialect) => dialect.id)]);
    assert.equal(entry.enumDescriptions?.length, entry.enum.length);
  });

  it('clamps numbers to package.json’s bounds and falls back to the default', () => {
    assert.equal(clampSetting('liveRefreshSeconds', 10_000), 300);
    assert.equal(clampSetting('liveRefreshSeconds', 0), 2);
    assert.equal(clampSetting('requestTimeoutSeconds', '60'), 30);
    assert.equal(clampSetting('requestTimeoutSeconds', Number.NaN), 30);
  });
});
