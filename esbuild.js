// Bundles the extension into dist/extension.js. `--production` minifies for the package;
// `--watch` rebuilds on change during development.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

async function main() {
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    return;
  }
  const result = await esbuild.build(options);
  const bytes = result.metafile.outputs['dist/extension.js'].bytes;
  console.log(`dist/extension.js: ${(bytes / 1024).toFixed(1)} KB${production ? ' (minified)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
