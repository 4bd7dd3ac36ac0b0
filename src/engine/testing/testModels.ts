import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let ready: string | undefined;

/**
 * Folder of the generated tiny test models (`tiny-llama/`, `tiny-bert/`). Runs
 * `scripts/make-test-models.mjs` once per process; it returns at once when the models are up to date.
 */
export function testModelsDir(): string {
  if (ready) return ready;
  const dir = path.join(root, '.cache', 'test-models');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'make-test-models.mjs'), '--out', dir], { stdio: 'pipe' });
  ready = dir;
  return dir;
}

/** The tiny Llama-style causal LM with a cut Qwen3 tokenizer (chat template, left padding). */
export const tinyLlamaDir = (): string => path.join(testModelsDir(), 'tiny-llama');

/** The tiny BERT-style encoder for the feature-extraction pipeline. */
export const tinyBertDir = (): string => path.join(testModelsDir(), 'tiny-bert');
