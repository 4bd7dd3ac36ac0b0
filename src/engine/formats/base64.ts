/**
 * Standard base64 (RFC 4648, with padding) for typed arrays, without Buffer, so it runs in browsers too.
 * Decoding is strict: canonical padded input only, so decode -> encode gives back the same text.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const ascii = new TextDecoder();

export function bytesToBase64(u8: Uint8Array): string {
  const n = u8.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (u8[i] << 16) | (u8[i + 1] << 8) | u8[i + 2];
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = ENCODE[(v >>> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (u8[i] << 16) | (i + 1 < n ? u8[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = i + 1 < n ? ENCODE[(v >>> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

function sextet(s: string, at: number): number {
  const code = s.charCodeAt(at);
  const v = code < 128 ? DECODE[code] : -1;
  if (v >= 0) return v;
  if (code === PAD) throw new Error(`invalid base64: misplaced padding "=" at position ${at}`);
  throw new Error(`invalid base64: unexpected character ${JSON.stringify(s[at])} at position ${at}`);
}

export function base64ToBytes(s: string): Uint8Array {
  if (typeof s !== 'string') throw new Error('invalid base64: expected a string');
  if (s.length % 4 !== 0) throw new Error(`invalid base64: length ${s.length} is not a multiple of 4`);
  if (s.length === 0) return new Uint8Array(0);
  const pad = s.charCodeAt(s.length - 1) !== PAD ? 0 : s.charCodeAt(s.length - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  const full = s.length - (pad ? 4 : 0);
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const v = (sextet(s, i) << 18) | (sextet(s, i + 1) << 12) | (sextet(s, i + 2) << 6) | sextet(s, i + 3);
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad) {
    const i = full;
    const c = pad === 1 ? sextet(s, i + 2) : 0;
    const v = (sextet(s, i) << 18) | (sextet(s, i + 1) << 12) | (c << 6);
    if ((pad === 1 ? v & 0xff : v & 0xffff) !== 0) {
      throw new Error(`invalid base64: non-zero bits before the padding at position ${s.length - pad}`);
    }
    out[o++] = v >>> 16;
    if (pad === 1) out[o++] = (v >>> 8) & 255;
  }
  return out;
}

/** Little-endian Int32 values, whatever the platform's byte order. */
export function int32ToBase64(a: Int32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setInt32(i * 4, a[i], true);
  return bytesToBase64(bytes);
}

export function base64ToInt32(s: string): Int32Array {
  const bytes = base64ToBytes(s);
  if (bytes.length % 4 !== 0) {
    throw new Error(`invalid Int32 data: ${bytes.length} bytes is not a multiple of 4`);
  }
  const out = new Int32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
