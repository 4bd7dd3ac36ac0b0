// A tiny BERT-style encoder as an ONNX graph: word + learned position + token type embeddings,
// LayerNorm, bidirectional self-attention with the padding mask, GELU feed-forward, post-norm.
import { FLOAT, Graph, INT64, rng } from './onnxGraph.mjs';

export const BERT = { layers: 2, hidden: 32, heads: 2, intermediate: 64, maxPositions: 512, eps: 1e-12 };

export function buildBert(vocabSize, seed) {
  const c = BERT;
  const d = c.hidden / c.heads;
  const r = rng(seed);
  const g = new Graph();
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) g.input(name, INT64, ['batch_size', 'sequence_length']);
  g.output('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', c.hidden]);

  const zeros = (name, n) => g.tensor(name, [n], new Float32Array(n));
  const ones = (name, n) => g.tensor(name, [n], new Float32Array(n).fill(1));
  const layerNorm = (x, p) => g.op('LayerNormalization', [x, ones(`${p}.weight`, c.hidden), zeros(`${p}.bias`, c.hidden)], { axis: -1, epsilon: c.eps });
  const linear = (x, p, inDim, outDim) =>
    g.op('Add', [g.op('MatMul', [x, g.weight(`${p}.weight`, [inDim, outDim], r, 1 / Math.sqrt(inDim))]), zeros(`${p}.bias`, outDim)]);
  const heads = (x) => g.op('Transpose', [g.op('Reshape', [x, g.ints([0, 0, c.heads, d])])], { perm: [0, 2, 1, 3] });

  const seq = g.op('Squeeze', [g.op('Shape', ['input_ids'], { start: 1, end: 2 }), g.ints([0])]);
  const positions = g.op('Range', [g.ints([0], []), seq, g.ints([1], [])]);
  const word = g.op('Gather', [g.weight('embeddings.word_embeddings.weight', [vocabSize, c.hidden], r, 1), 'input_ids'], { axis: 0 });
  const pos = g.op('Gather', [g.weight('embeddings.position_embeddings.weight', [c.maxPositions, c.hidden], r, 0.5), positions], { axis: 0 });
  const type = g.op('Gather', [g.weight('embeddings.token_type_embeddings.weight', [2, c.hidden], r, 0.5), 'token_type_ids'], { axis: 0 });
  let h = layerNorm(g.op('Add', [g.op('Add', [word, pos]), type]), 'embeddings.LayerNorm');

  const keep = g.op('Cast', ['attention_mask'], { to: FLOAT });
  const bias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.const([1], []), keep]), g.const([-1e9], [])]), g.ints([1, 2])]);
  for (let i = 0; i < c.layers; i++) {
    const p = `encoder.layer.${i}`;
    const q = heads(linear(h, `${p}.attention.self.query`, c.hidden, c.hidden));
    const k = heads(linear(h, `${p}.attention.self.key`, c.hidden, c.hidden));
    const v = heads(linear(h, `${p}.attention.self.value`, c.hidden, c.hidden));
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.const([1 / Math.sqrt(d)], [])]);
    const ctx = g.op('MatMul', [g.op('Softmax', [g.op('Add', [scores, bias])], { axis: -1 }), v]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([0, 0, c.hidden])]);
    h = layerNorm(g.op('Add', [h, linear(merged, `${p}.attention.output.dense`, c.hidden, c.hidden)]), `${p}.attention.output.LayerNorm`);
    const pre = linear(h, `${p}.intermediate.dense`, c.hidden, c.intermediate);
    const gelu = g.op('Mul', [g.op('Mul', [pre, g.const([0.5], [])]), g.op('Add', [g.op('Erf', [g.op('Div', [pre, g.const([Math.SQRT2], [])])]), g.const([1], [])])]);
    const out = linear(gelu, `${p}.output.dense`, c.intermediate, c.hidden);
    h = layerNorm(g.op('Add', [h, out]), `${p}.output.LayerNorm`);
  }
  g.op('Identity', [h], {}, ['last_hidden_state']);
  return g.encode('tiny-bert');
}

export function bertConfig(vocabSize, padId) {
  const c = BERT;
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: c.hidden,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    intermediate_size: c.intermediate,
    hidden_act: 'gelu',
    max_position_embeddings: c.maxPositions,
    type_vocab_size: 2,
    layer_norm_eps: c.eps,
    pad_token_id: padId,
  };
}
