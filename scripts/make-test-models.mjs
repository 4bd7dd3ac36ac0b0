// `npm run make-test-models [-- --out DIR]`: writes the tiny random-weight models the tests run on
// (no model hub is reachable here). Idempotent: a model folder whose stamp matches is left alone.
//   tiny-llama/  Llama-style causal LM (ONNX, KV cache) + a cut Qwen3 tokenizer with its chat template
//   tiny-bert/   BERT-style encoder for the feature-extraction pipeline, same cut vocabulary
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bertConfig, buildBert } from './testModels/bert.mjs';
import { cutQwen3Tokenizer } from './testModels/cutTokenizer.mjs';
import { buildLlama, llamaConfig } from './testModels/llama.mjs';

/** Bump when a generated file changes: older folders are rebuilt. */
export const TEST_MODELS_VERSION = 3;
const STAMP = 'fms-test-model.json';
const KEEP_TOKENS = 4000;
const SEED = { llama: 1234, bert: 5678 };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, '.cache', 'test-models'));

function upToDate(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, STAMP), 'utf8')).version === TEST_MODELS_VERSION;
  } catch {
    return false;
  }
}

const json = (v) => `${JSON.stringify(v, undefined, 2)}\n`;

/** Writes `files` into a private temp folder, then renames it into place (parallel runs are safe). */
async function publish(name, files, verify) {
  const dir = path.join(out, name);
  const tmp = path.join(out, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const [file, data] of Object.entries({ ...files, [STAMP]: json({ version: TEST_MODELS_VERSION }) })) {
    mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
    writeFileSync(path.join(tmp, file), data);
  }
  await verify?.(tmp);
  if (existsSync(dir) && !upToDate(dir)) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!upToDate(dir)) throw err; // otherwise another process published the same files first
  }
  const size = statSync(path.join(dir, 'onnx', 'model.onnx')).size;
  console.log(`${name}: written to ${path.relative(process.cwd(), dir) || dir} (onnx ${(size / 2 ** 20).toFixed(2)} MB)`);
}

async function checkRoundTrip(dir) {
  const { AutoTokenizer } = await import('@huggingface/transformers');
  const tok = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  const text = tok.apply_chat_template(
    [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello there! What is 2+2? Say it in "quotes", please.\nThanks.' },
    ],
    { tokenize: false, add_generation_prompt: true },
  );
  const back = tok.decode(tok.encode(text, { add_special_tokens: false }), { skip_special_tokens: false });
  if (back !== text) throw new Error(`cut tokenizer does not round-trip:\n${text}\n---\n${back}`);
}

const cut = cutQwen3Tokenizer(KEEP_TOKENS);
const tokenizerFiles = (extra) => ({
  'tokenizer.json': JSON.stringify(cut.tokenizer),
  'tokenizer_config.json': json({ ...cut.config, ...extra }),
});

if (upToDate(path.join(out, 'tiny-llama'))) console.log('tiny-llama: up to date');
else {
  const { eos, bos, pad } = cut.ids;
  await publish('tiny-llama', {
    'config.json': json(llamaConfig(cut.vocabSize, cut.ids)),
    'generation_config.json': json({ bos_token_id: bos, eos_token_id: eos, pad_token_id: pad, do_sample: false }),
    ...tokenizerFiles({}),
    'onnx/model.onnx': buildLlama(cut.vocabSize, SEED.llama),
  }, checkRoundTrip);
}

if (upToDate(path.join(out, 'tiny-bert'))) console.log('tiny-bert: up to date');
else {
  // Right padding: BERT's learned positions start at 0 for every row, so left padding would shift them.
  await publish('tiny-bert', {
    'config.json': json(bertConfig(cut.vocabSize, cut.ids.pad)),
    ...tokenizerFiles({ padding_side: 'right', model_max_length: 512, chat_template: undefined }),
    'onnx/model.onnx': buildBert(cut.vocabSize, SEED.bert),
  });
}
