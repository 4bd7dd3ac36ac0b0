import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../node/loadTokenizer.js';
import { tinyBertDir, tinyLlamaDir } from './testModels.js';

const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));

describe('generated test models', () => {
  it('tiny-llama is a small Llama config with a cut Qwen3 tokenizer that round-trips chat text', async () => {
    const dir = tinyLlamaDir();
    const config = json(dir, 'config.json');
    expect(config).toMatchObject({ model_type: 'llama', num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16 });
    expect(statSync(path.join(dir, 'onnx', 'model.onnx')).size).toBeLessThan(4 * 2 ** 20);
    expect(json(dir, 'tokenizer_config.json').padding_side).toBe('left');

    const tok = await loadTokenizer(dir);
    expect(tok.hasChatTemplate).toBe(true);
    const prompt = tok.renderChat(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Plan a trip: 3 days, $500 budget, "quiet" places only?\n- beach\n- museum' },
      ],
      true,
    );
    const ids = tok.encodeRendered(prompt);
    expect(tok.decode(ids)).toBe(prompt);
    expect(Math.max(...ids)).toBeLessThan(config.vocab_size);
    for (const special of ['<|im_start|>', '<|im_end|>', '<|endoftext|>']) expect(tok.encodeRendered(special)).toHaveLength(1);
    expect(config.eos_token_id).toContain(tok.encodeRendered('<|im_end|>')[0]);
  });

  it("tiny-llama generates the same tokens through transformers.js's own generate with and without its KV cache", async () => {
    const { AutoModelForCausalLM, AutoTokenizer } = await import('@huggingface/transformers');
    const dir = tinyLlamaDir();
    const tok = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const model = await AutoModelForCausalLM.from_pretrained(dir, { local_files_only: true, dtype: 'fp32' });
    try {
      const inputs = tok(['Hello there, how are you today?', 'Hi'], { padding: true });
      const options = { ...inputs, max_new_tokens: 32, min_new_tokens: 32, do_sample: false };
      const cached = (await model.generate(options)) as { tolist(): bigint[][] };
      const uncached = (await model.generate({ ...options, use_cache: false })) as { tolist(): bigint[][] };
      expect(cached.tolist()).toEqual(uncached.tolist());
      expect(new Set(cached.tolist()[0].slice(-32)).size).toBeGreaterThan(8); // not one token repeated
    } finally {
      await model.dispose();
    }
  });

  it('tiny-bert is a BERT config whose tokenizer pads on the right', () => {
    const dir = tinyBertDir();
    expect(json(dir, 'config.json')).toMatchObject({ model_type: 'bert', hidden_size: 32 });
    expect(json(dir, 'tokenizer_config.json').padding_side).toBe('right');
  });
});
