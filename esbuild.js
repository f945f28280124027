// Bundles the extension with esbuild. `--production` minifies for the package; `--watch`
// rebuilds on change during development.
//
// Three outputs: dist/extension.js (loaded at activation) and dist/node-fetch.js (the HTTP
// transport, about half of all the code), which is required only when the first request goes
// out, so activation does not pay for it; and dist/panel.js, the job panel's script, which runs
// in the webview (a browser page, so one self-contained script).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** In the main bundle, `import('node-fetch')` becomes a require of the separate file. */
const lazyNodeFetch = {
  name: 'lazy-node-fetch',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: './node-fetch.js', external: true }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const shared = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

const builds = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [lazyNodeFetch],
    // import() becomes a plain require: it resolves next to the bundle, with CommonJS interop.
    supported: { 'dynamic-import': false },
  },
  { ...shared, entryPoints: ['node-fetch'], outfile: 'dist/node-fetch.js' },
  {
    ...shared,
    entryPoints: ['src/webview/panel.ts'],
    outfile: 'dist/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/webview/tsconfig.json',
  },
];

async function main() {
  if (watch) {
    for (const options of builds) {
      const context = await esbuild.context(options);
      await context.watch();
    }
    return;
  }
  for (const options of builds) {
    const result = await esbuild.build(options);
    const bytes = result.metafile.outputs[options.outfile].bytes;
    console.log(`${options.outfile}: ${(bytes / 1024).toFixed(1)} KB${production ? ' (minified)' : ''}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
