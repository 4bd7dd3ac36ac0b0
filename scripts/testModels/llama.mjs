// A tiny Llama-style causal LM as an ONNX graph: token embeddings, RMSNorm, rotary positions from
// position_ids, grouped-query causal attention over past + current keys with the attention mask,
// SwiGLU MLP, LM head. Inputs/outputs follow the transformers.js decoder convention.
import { FLOAT, Graph, INT64, rng } from './onnxGraph.mjs';

export const LLAMA = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, headDim: 16, intermediate: 192, ropeTheta: 10000, eps: 1e-6 };

function rmsNorm(g, x, weight, eps) {
  const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
  return g.op('Mul', [g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.const([eps], [])])])]), weight]);
}

/** [B,S,heads*D] -> [B,heads,S,D] */
function splitHeads(g, x, heads, d) {
  return g.op('Transpose', [g.op('Reshape', [x, g.ints([0, 0, heads, d])])], { perm: [0, 2, 1, 3] });
}

/** Rotate-half rotary embedding (HF Llama): [x1*cos - x2*sin, x2*cos + x1*sin]. */
function rope(g, x, cos, sin) {
  const [x1, x2] = g.op('Split', [x], { axis: 3 }, 2);
  const a = g.op('Sub', [g.op('Mul', [x1, cos]), g.op('Mul', [x2, sin])]);
  const b = g.op('Add', [g.op('Mul', [x2, cos]), g.op('Mul', [x1, sin])]);
  return g.op('Concat', [a, b], { axis: 3 });
}

/** Allowed (causal and not padding) -> 0, else -1e9, as [B,1,S,T]. */
function attentionBias(g) {
  const total = g.op('Squeeze', [g.op('Shape', ['attention_mask'], { start: 1, end: 2 }), g.ints([0])]);
  const seq = g.op('Squeeze', [g.op('Shape', ['input_ids'], { start: 1, end: 2 }), g.ints([0])]);
  const one = g.ints([1], []);
  const keyIdx = g.op('Range', [g.ints([0], []), total, one]);
  const queryIdx = g.op('Range', [g.op('Sub', [total, seq]), total, one]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [keyIdx, g.ints([0])]), g.op('Unsqueeze', [queryIdx, g.ints([1])])]);
  const pad = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 9 /* BOOL */ }), g.ints([1, 2])]);
  return g.op('Where', [g.op('And', [causal, pad]), g.const([0], []), g.const([-1e9], [])]);
}

export function buildLlama(vocabSize, seed) {
  const c = LLAMA;
  const r = rng(seed);
  const g = new Graph();
  const rep = c.heads / c.kvHeads;
  g.input('input_ids', INT64, ['batch_size', 'sequence_length']);
  g.input('attention_mask', INT64, ['batch_size', 'total_sequence_length']);
  g.input('position_ids', INT64, ['batch_size', 'sequence_length']);
  for (let i = 0; i < c.layers; i++) {
    for (const kv of ['key', 'value']) g.input(`past_key_values.${i}.${kv}`, FLOAT, ['batch_size', c.kvHeads, 'past_sequence_length', c.headDim]);
  }
  g.output('logits', FLOAT, ['batch_size', 'sequence_length', vocabSize]);
  for (let i = 0; i < c.layers; i++) {
    for (const kv of ['key', 'value']) g.output(`present.${i}.${kv}`, FLOAT, ['batch_size', c.kvHeads, 'total_sequence_length', c.headDim]);
  }

  const embed = g.weight('model.embed_tokens.weight', [vocabSize, c.hidden], r, 1);
  let h = g.op('Gather', [embed, 'input_ids'], { axis: 0 });
  const invFreq = Array.from({ length: c.headDim / 2 }, (_, i) => 1 / c.ropeTheta ** ((2 * i) / c.headDim));
  const pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: FLOAT }), g.ints([2])]);
  const freqs = g.op('Mul', [pos, g.const(invFreq)]);
  const cos = g.op('Unsqueeze', [g.op('Cos', [freqs]), g.ints([1])]);
  const sin = g.op('Unsqueeze', [g.op('Sin', [freqs]), g.ints([1])]);
  const bias = attentionBias(g);
  const proj = (name, inDim, outDim) => g.weight(name, [inDim, outDim], r, 1 / Math.sqrt(inDim));
  const ones = (name, n, v = 1) => g.tensor(name, [n], new Float32Array(n).fill(v));

  for (let i = 0; i < c.layers; i++) {
    const p = `model.layers.${i}`;
    const x = rmsNorm(g, h, ones(`${p}.input_layernorm.weight`, c.hidden), c.eps);
    const q = rope(g, splitHeads(g, g.op('MatMul', [x, proj(`${p}.q_proj`, c.hidden, c.heads * c.headDim)]), c.heads, c.headDim), cos, sin);
    const k = rope(g, splitHeads(g, g.op('MatMul', [x, proj(`${p}.k_proj`, c.hidden, c.kvHeads * c.headDim)]), c.kvHeads, c.headDim), cos, sin);
    const v = splitHeads(g, g.op('MatMul', [x, proj(`${p}.v_proj`, c.hidden, c.kvHeads * c.headDim)]), c.kvHeads, c.headDim);
    const keys = g.op('Concat', [`past_key_values.${i}.key`, k], { axis: 2 }, [`present.${i}.key`]);
    const values = g.op('Concat', [`past_key_values.${i}.value`, v], { axis: 2 }, [`present.${i}.value`]);
    const repeat = (t) => g.op('Reshape', [g.op('Expand', [g.op('Unsqueeze', [t, g.ints([2])]), g.ints([1, 1, rep, 1, 1])]), g.ints([0, c.heads, -1, c.headDim])]);
    const scores = g.op('MatMul', [q, g.op('Transpose', [repeat(keys)], { perm: [0, 1, 3, 2] })]);
    const scaled = g.op('Add', [g.op('Mul', [scores, g.const([1 / Math.sqrt(c.headDim)], [])]), bias]);
    const ctx = g.op('MatMul', [g.op('Softmax', [scaled], { axis: -1 }), repeat(values)]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([0, 0, c.heads * c.headDim])]);
    h = g.op('Add', [h, g.op('MatMul', [merged, proj(`${p}.o_proj`, c.heads * c.headDim, c.hidden)])]);
    const y = rmsNorm(g, h, ones(`${p}.post_attention_layernorm.weight`, c.hidden), c.eps);
    const gate = g.op('MatMul', [y, proj(`${p}.gate_proj`, c.hidden, c.intermediate)]);
    const up = g.op('MatMul', [y, proj(`${p}.up_proj`, c.hidden, c.intermediate)]);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    h = g.op('Add', [h, g.op('MatMul', [act, proj(`${p}.down_proj`, c.intermediate, c.hidden)])]);
  }
  // An untied head (a tied one makes a random model echo its last token) with logits of std ~4.
  const final = rmsNorm(g, h, ones('model.norm.weight', c.hidden), c.eps);
  g.op('MatMul', [final, g.weight('lm_head.weight', [c.hidden, vocabSize], r, 0.5)], {}, ['logits']);
  return g.encode('tiny-llama');
}

export function llamaConfig(vocabSize, ids) {
  const c = LLAMA;
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocabSize,
    hidden_size: c.hidden,
    intermediate_size: c.intermediate,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads,
    head_dim: c.headDim,
    hidden_act: 'silu',
    max_position_embeddings: 4096,
    rms_norm_eps: c.eps,
    rope_theta: c.ropeTheta,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    // the one weights file is onnx/model.onnx: a Hub download must not ask for model_q4.onnx
    'transformers.js_config': { dtype: 'fp32' },
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
  };
}
