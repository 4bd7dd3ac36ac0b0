import type { ContextSegment } from '../../shared/protocol.js';
import { bytesToBase64, int32ToBase64 } from './base64.js';
import { blockMask, blockMaskStats, cooMask, cooMaskStats, denseMask, longformerMask, maskStats, type KeptSpans, type MaskStats } from './masks.js';

export type MaskFormat = 'dense' | 'coo' | 'block' | 'longformer';
export const MASK_FORMATS: readonly MaskFormat[] = ['dense', 'coo', 'block', 'longformer'];

/** The context's kept tokens as sorted, merged absolute-position spans over the whole conversation. */
export function keptSpans(segments: readonly ContextSegment[], startPosOf: (messageId: number) => number): KeptSpans {
  const ranges = segments.map((s) => [startPosOf(s.messageId) + s.from, startPosOf(s.messageId) + s.to] as const).sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [a, b] of ranges) {
    if (ends.length > 0 && a <= ends[ends.length - 1]) ends[ends.length - 1] = Math.max(ends[ends.length - 1], b);
    else {
      starts.push(a);
      ends.push(b);
    }
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

export interface MaskExport {
  format: MaskFormat;
  /** Tokens of the whole conversation: the mask is over their absolute positions. */
  n: number;
  causal: true;
  stats: MaskStats;
  /** Little-endian base64 of the mask's typed arrays (see `layout`). */
  data: Record<string, string | number>;
  layout: string;
}

/**
 * The attention mask of a built context over the conversation's token positions (evicted tokens are
 * masked out; causal), in one of four published layouts, JSON-ready with typed arrays as base64.
 */
export function exportMask(format: MaskFormat, n: number, kept: KeptSpans, options: { blockSize?: number; window?: number; globalTokens?: Int32Array } = {}): MaskExport {
  const base = { format, n, causal: true as const };
  switch (format) {
    case 'dense': {
      const m = denseMask(n, kept);
      return { ...base, stats: maskStats(m), data: { words: bytesToBase64(new Uint8Array(m.words.buffer, m.words.byteOffset, m.words.byteLength)) }, layout: 'row-major bitset, ceil(n/32) uint32 words per row, bit j of row i = i may attend j' };
    }
    case 'coo': {
      const m = cooMask(n, kept);
      return { ...base, stats: cooMaskStats(m, n), data: { nnz: m.nnz, rows: int32ToBase64(m.rows), cols: int32ToBase64(m.cols) }, layout: 'COO: int32 rows[k], cols[k] for each allowed pair, sorted by row then column' };
    }
    case 'block': {
      const size = options.blockSize ?? 64;
      const m = blockMask(n, kept, size);
      return { ...base, stats: blockMaskStats(m), data: { blocks: m.blocks, blockSize: m.blockSize, mask: bytesToBase64(m.mask) }, layout: 'blocks×blocks uint8, 1 when any pair in the block pair may attend' };
    }
    case 'longformer': {
      const m = longformerMask(n, { window: options.window ?? 256, globalTokens: options.globalTokens ?? new Int32Array(0) });
      return { ...base, stats: maskStats(m), data: { words: bytesToBase64(new Uint8Array(m.words.buffer, m.words.byteOffset, m.words.byteLength)), window: options.window ?? 256 }, layout: 'row-major bitset: local window plus global tokens (the pinned ones)' };
    }
  }
}
