// A small ONNX graph builder over onnx-proto (protobufjs), for the generated test models.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto');

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
export const FLOAT = DT.FLOAT;
export const INT64 = DT.INT64;

/** Deterministic PRNG (mulberry32) with a Box-Muller normal sampler. */
export function rng(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function attribute(name, value) {
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: AT.INT, i: value } : { name, type: AT.FLOAT, f: value };
  if (Array.isArray(value)) return { name, type: AT.INTS, ints: value };
  if (value && value.dataType !== undefined) return { name, type: AT.TENSOR, t: value };
  throw new Error(`unsupported attribute ${name}`);
}

function tensorProto(name, dataType, dims, values) {
  const data = dataType === FLOAT ? Float32Array.from(values) : BigInt64Array.from(values, (v) => BigInt(v));
  return { name, dataType, dims, rawData: new Uint8Array(data.buffer) };
}

function valueInfo(name, elemType, shape) {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export class Graph {
  #nodes = [];
  #inits = [];
  #inputs = [];
  #outputs = [];
  #n = 0;
  #consts = new Map();

  input(name, elemType, shape) {
    this.#inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  output(name, elemType, shape) {
    this.#outputs.push(valueInfo(name, elemType, shape));
  }

  /** An initializer of random normal values times `scale`. */
  weight(name, dims, random, scale) {
    const n = dims.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = random.normal() * scale;
    return this.tensor(name, dims, v);
  }

  tensor(name, dims, values, dataType = FLOAT) {
    this.#inits.push(tensorProto(name, dataType, dims, values));
    return name;
  }

  /** A shared constant (float unless ints are asked for); `dims` [] makes a scalar. */
  const(values, dims = [values.length], dataType = FLOAT) {
    const key = `${dataType}:${dims.join(',')}:${values.join(',')}`;
    let name = this.#consts.get(key);
    if (!name) {
      name = this.tensor(`const_${this.#consts.size}`, dims, values, dataType);
      this.#consts.set(key, name);
    }
    return name;
  }

  ints(values, dims = [values.length]) {
    return this.const(values, dims, INT64);
  }

  /** Adds a node; returns its output name (or names when `outputs` > 1). */
  op(opType, inputs, attrs = {}, outputs = 1) {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => `${opType}_${this.#n++}`) : outputs;
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.#nodes.push({ opType, input: inputs, output: names, name: `${opType}_node_${this.#n++}`, attribute: attribute_ });
    return names.length === 1 ? names[0] : names;
  }

  /** Serialized ModelProto (IR 8, opset 17). */
  encode(graphName) {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'finite-memory-studio make-test-models',
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: graphName, node: this.#nodes, initializer: this.#inits, input: this.#inputs, output: this.#outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
