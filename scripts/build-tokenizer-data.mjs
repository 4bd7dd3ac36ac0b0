// Pre-parses the bundled Qwen3 tokenizer.json (11.4 MB of JSON) into the compact binary form the fast
// tokenizer loads (src/engine/core/bpe/bpeData.ts), in node_modules/.cache/fms-tokenizers. Run by
// `npm run build` and `prepare` (so also on `npm ci`) through build-cli.mjs; without it the first
// tokenizer load builds the same file (about a second). Does nothing when the file is up to date.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildTokenizerData() {
  const out = await build({
    stdin: {
      contents: `export { loadBpeData, bpeCacheDir } from './src/engine/node/bpeCache.ts';
        export { defaultTokenizerDir, nodeModulesDir } from './src/engine/node/loadTokenizer.ts';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  // written inside the project so that its imports of packages resolve from node_modules
  const file = path.join(root, 'node_modules', '.cache', `fms-build-tokenizer-${process.pid}.mjs`);
  mkdirSync(path.dirname(file), { recursive: true }); // a clean install has no node_modules/.cache yet
  writeFileSync(file, out.outputFiles[0].text);
  try {
    const { loadBpeData, bpeCacheDir, defaultTokenizerDir, nodeModulesDir } = await import(pathToFileURL(file).href);
    const started = performance.now();
    const loaded = await loadBpeData(defaultTokenizerDir(), bpeCacheDir(nodeModulesDir()));
    if (!('data' in loaded)) throw new Error(`the bundled tokenizer is not one the fast tokenizer reads: ${loaded.unsupported}`);
    const ms = performance.now() - started;
    if (loaded.built) console.log(`tokenizer data: built in ${(ms / 1000).toFixed(1)} s in ${bpeCacheDir(nodeModulesDir())}`);
  } finally {
    rmSync(file, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildTokenizerData();
