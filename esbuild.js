// Bundles the extension with esbuild. `--production` minifies for the package; `--watch`
// rebuilds on change during development.
//
// Five outputs, and one copy: dist/extension.js (loaded at activation) and dist/node-fetch.js (the HTTP
// transport, about half of all the code), which is required only when the first request goes
// out, so activation does not pay for it; and dist/panel.js, the job panel's script, which runs
// in the webview (a browser page, so one self-contained script), and dist/runsTable.js, the Runs
// table's; dist/pdfEngine.js, pdf.js for the
// panel's Document section, which the panel adds only when a PDF is shown; and pdf.js's worker,
// copied as it is published (dist/pdf.worker.mjs).
const fs = require('node:fs');
const path = require('node:path');
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
    // ES modules first: jsonc-parser's UMD build requires its parts at run time, which a bundle cannot resolve.
    mainFields: ['module', 'main'],
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
  {
    ...shared,
    entryPoints: ['src/webview/runsTable.ts'],
    outfile: 'dist/runsTable.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/webview/tsconfig.json',
  },
  {
    ...shared,
    entryPoints: ['src/webview/pdfEngine.ts'],
    outfile: 'dist/pdfEngine.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/webview/tsconfig.json',
    // pdf.js's own code is already built: its source maps would only weigh on the package.
    sourcemap: false,
    minify: true,
  },
];

/** pdf.js's worker runs as published (the legacy build, for older webviews). */
function copyPdfWorker() {
  const source = require.resolve('pdfjs-dist/legacy/build/pdf.worker.min.mjs');
  const target = path.join(__dirname, 'dist', 'pdf.worker.mjs');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  const bytes = fs.statSync(target).size;
  if (bytes < 100_000) {
    throw new Error(`pdf.js worker copy looks wrong: ${bytes} bytes from ${source}`);
  }
  console.log(`dist/pdf.worker.mjs: ${(bytes / 1024).toFixed(1)} KB (copied)`);
}

async function main() {
  copyPdfWorker();
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
