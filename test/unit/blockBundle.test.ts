import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { BundleError, adapterFor, assembleConfig, splitConfig } from '../../src/analysis/blockBundle';
import { bundleConfigHash, goJsonMarshal } from '../../src/analysis/goJson';
import { placeProblems, refusedKeys } from '../../src/analysis/configProblems';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('A block config as the CLI bundle’s files', () => {
  const schema = { type: 'object', properties: { total: { type: 'number', description: 'The total <incl. tax> & fees' } } };
  const extract = {
    model: 'retab-small',
    n_consensus: 3,
    inputs: [{ name: 'document', type: 'file', is_primary: true }],
    json_schema: schema,
    review: { predicate: { kind: 'confidence_lt', threshold: 0.8 } },
    future_key: { kept: true },
  };

  it('splits each type’s large keys into files of their own and puts them back exactly', () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['extract', extract, ['config.json', 'json_schema.json']],
      ['start_json', { json_schema: schema }, ['config.json', 'json_schema.json']],
      ['classifier', { model: 'm', categories: [{ name: 'invoice', description: 'An invoice' }], first_n_pages: 3 }, ['config.json', 'categories.json']],
      ['split', { model: 'm', subdocuments: [{ name: 'terms', description: 'T&C' }] }, ['config.json', 'subdocuments.json']],
      [
        'function',
        { language: 'python', code: 'def main(x):\n    return x\n', output_schema: { type: 'object' }, mounts: { tables: [] } },
        ['config.json', 'function.py', 'mounts.json', 'output_schema.json'],
      ],
      ['function', { language: 'typescript', code: 'export default (x) => x;\n' }, ['config.json', 'function.ts']],
      [
        'api_call',
        { method: 'POST', url: 'https://x', request_schema: { type: 'object' }, output_schema: { type: 'object' } },
        ['config.json', 'output_schema.json', 'request_schema.json'],
      ],
      ['for_each', { map_method: 'split_by_key', key: 'invoice_number' }, ['config.json']],
      ['some_future_type', { anything: [1, 2] }, ['config.json']],
    ];
    for (const [type, config, files] of cases) {
      const bundle = splitConfig(type, config);
      assert.deepEqual(
        bundle.files.map((file) => file.path),
        files,
        type,
      );
      assert.deepEqual(assembleConfig(type, bundle.texts), config, `${type} round trip`);
      assert.equal(bundle.files[0].role, 'config');
    }
    const fn = splitConfig('function', { language: 'python', code: 'print(1)\n' });
    assert.deepEqual(fn.files[1], { role: 'function', path: 'function.py', format: 'python' });
    assert.equal(fn.texts.get('function.py'), 'print(1)\n', 'code is written raw');
    assert.equal(adapterFor('extract'), 'json_schema');
    assert.equal(adapterFor('for_each'), 'generic');
  });

  it('keeps a key in config.json when it is not of the shape the CLI splits, and keeps unknown keys verbatim', () => {
    const bundle = splitConfig('classifier', { categories: 'not a list', zeta: 1, alpha: 2 });
    assert.deepEqual(
      bundle.files.map((file) => file.path),
      ['config.json'],
    );
    assert.equal(bundle.texts.get('config.json'), '{\n  "categories": "not a list",\n  "zeta": 1,\n  "alpha": 2\n}\n', 'the server’s key order is kept');
  });

  it('says which file is wrong when the files do not make a config', () => {
    const bad = (type: string, files: Record<string, string>): BundleError => {
      try {
        assembleConfig(type, new Map(Object.entries(files)));
      } catch (caught) {
        assert.ok(caught instanceof BundleError);
        return caught;
      }
      assert.fail('accepted');
    };
    assert.equal(bad('extract', { 'config.json': '{"model": }' }).file, 'config.json');
    assert.equal(bad('extract', { 'config.json': '[]' }).file, 'config.json');
    assert.equal(bad('classifier', { 'config.json': '{}', 'categories.json': '{"a":1}' }).file, 'categories.json');
    assert.equal(bad('extract', { 'config.json': '{"json_schema":{}}', 'json_schema.json': '{}' }).file, 'config.json');
    assert.equal(bad('function', { 'config.json': '{}', 'function.py': '  \n' }).file, 'function.py');
    assert.match(bad('extract', {}).message, /config\.json is missing/);
  });

  it('leaves mounts’ local paths out of the config, as the CLI does on push', () => {
    const files = new Map([
      ['config.json', '{"language":"python"}'],
      ['function.py', 'x = 1\n'],
      ['mounts.json', '{"tables":[{"name":"rates","local_path":"./rates.csv"},{"name":"fx"}]}'],
    ]);
    assert.deepEqual(assembleConfig('function', files).mounts, { tables: [{ name: 'rates' }, { name: 'fx' }] });
  });
});

describe('The CLI’s bundle hash (Go json.Marshal, SHA-256)', () => {
  // Written from Go's encoding/json rules (encode.go: sorted map keys, HTMLEscape, \u2028/\u2029,
  // the short escapes \b \f \n \r \t of Go ≥ 1.22, ES6 float formatting).
  const vectors: Array<[unknown, string]> = [
    [{}, '{}'],
    [null, 'null'],
    [{ b: 1, a: [true, false, null], c: { z: '', y: 'x' } }, '{"a":[true,false,null],"b":1,"c":{"y":"x","z":""}}'],
    [{ html: '<a href="x">&</a>' }, '{"html":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}'],
    [
      { s: 'line\nbreak\ttab\r\\ "q" \u0001 \u001f \u2028 \u2029 é 日本 😀' },
      '{"s":"line\\nbreak\\ttab\\r\\\\ \\"q\\" \\u0001 \\u001f \\u2028 \\u2029 é 日本 😀"}',
    ],
    [
      { n: [0, -0, 1, -1, 1.5, 0.1, 1e21, 1e20, 1e-6, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308] },
      '{"n":[0,-0,1,-1,1.5,0.1,1e+21,100000000000000000000,0.000001,1e-7,123456789012345680000,5e-324,1.7976931348623157e+308]}',
    ],
    // Keys in UTF-8 byte order: U+FF5E sorts before U+1F600 (UTF-16 order says the opposite).
    [{ '😀': 1, '～': 2, Z: 3, a: 4 }, '{"Z":3,"a":4,"～":2,"😀":1}'],
    [{ lone: '\ud800x' }, '{"lone":"\ufffdx"}'],
  ];

  it('writes what Go’s json.Marshal writes', () => {
    for (const [value, expected] of vectors) {
      assert.equal(goJsonMarshal(value), expected, JSON.stringify(value));
    }
  });

  it('hashes those bytes as Go does: the hashes Go 1.19.8’s encoding/json gives for the same values', () => {
    // Taken by decoding each value into interface{} and hashing json.Marshal's bytes with Go
    // 1.19.8 (Debian's golang-go), the CLI's own path; 500 random values agreed as well. Go 1.19
    // writes \b and \f as \u0008 and \u000c where Go ≥ 1.22 (the CLI's) writes \b and \f: no vector has them.
    const fromGo = [
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      '74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b',
      'a635d27179c865c411f88c4f761546b51530dbac3fb88994357f86480f65e414',
      '71b5ff4ebed96bd6c233f17d1a4fce19445c5ec609913f94f523cd333db323ad',
      '7c71da7107954cac87b0f47f196f2a7463650bbcd5d870d25e3c40260693c5a8',
      'b4d7430f8fb8a8e49fc63f9749b78bdb6ccbe8f502da91fdad4d0177d0d2179d',
      '4c55a2b1918c2cdf923293317c548acff677b069df361b39a3f8103db0dec1e9',
      '085c38da6209a1c16a6a30ba55080e7e2c206c3527ffb5333841f43950232968',
    ];
    vectors.forEach(([value], index) => assert.equal(bundleConfigHash(value), fromGo[index], JSON.stringify(value)));
    const createHelp = {
      model: 'retab-small',
      n_consensus: 3,
      inputs: [{ name: 'document', type: 'file', is_primary: true }],
      json_schema: { type: 'object', properties: { total: { type: 'number' } } },
      review: { predicate: { kind: 'confidence_lt', threshold: 0.8 } },
    };
    assert.equal(bundleConfigHash(createHelp), '58b5f1b3d313b577af09a684045da37e57e0d86ddd4e29a0145e7bf27b22cb05', 'the CLI create help’s extract config');
  });

  it('hashes those bytes (lowercase hex SHA-256)', () => {
    assert.equal(bundleConfigHash({}), sha256('{}'));
    assert.equal(bundleConfigHash({}), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    assert.equal(bundleConfigHash({ model: 'retab-small', n_consensus: 3 }), sha256('{"model":"retab-small","n_consensus":3}'));
  });

  it('is the same for any key order, and JSON.parse reads back what it writes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = goJsonMarshal(value);
        // JSON.stringify writes -0 as 0 where Go keeps it: compared without that difference.
        const plain = (parsed: unknown): unknown => JSON.parse(JSON.stringify(parsed));
        assert.deepEqual(plain(JSON.parse(text)), plain(value));
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const reversed = Object.fromEntries(Object.entries(value).reverse());
          assert.equal(goJsonMarshal(reversed), text);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Where a server’s reason goes in a block’s files', () => {
  const config = '{\n  "model": "retab-small",\n  "prompt": "old",\n  "image_resolution_dpi": 150\n}\n';
  const texts = new Map([
    ['config.json', config],
    ['json_schema.json', '{"type":"object"}\n'],
  ]);

  it('puts each refused key on the key itself in config.json, with the fix the server suggests', () => {
    const problems = placeProblems(
      'extract',
      "Invalid config fields for 'extract' block: image_resolution_dpi, prompt. Valid fields: inputs, json_schema, model, n_consensus, review.",
      texts,
      'json_schema.json',
    );
    assert.deepEqual(
      problems.map((problem) => [problem.file, config.slice(problem.offset, problem.offset + problem.length), problem.key]),
      [
        ['config.json', '"image_resolution_dpi"', 'image_resolution_dpi'],
        ['config.json', '"prompt"', 'prompt'],
      ],
    );
    assert.match(problems[1].message, /legacy key: set it to null/);
  });

  it('puts a key that is not in config.json at the top of the file it lives in, and any other reason at the top of the edited file', () => {
    const [sidecar] = placeProblems('extract', "Invalid config fields for 'extract' block: json_schema. Valid fields: model.", texts, 'config.json');
    assert.deepEqual([sidecar.file, sidecar.offset, sidecar.key], ['json_schema.json', 0, undefined]);
    const [other] = placeProblems('extract', 'json_schema must be a JSON object (a JSON Schema).', texts, 'json_schema.json');
    assert.deepEqual([other.file, other.offset, other.length], ['json_schema.json', 0, 0]);
    assert.deepEqual(refusedKeys("Invalid config fields for 'x' block: a, b. Valid fields: c."), ['a', 'b']);
    assert.deepEqual(refusedKeys('Something else.'), []);
  });
});
