/**
 * JSON for transports that cannot structured-clone (WebSocket): Float64Arrays are tagged so they
 * come back as Float64Arrays. MessagePort and process IPC send objects as they are.
 */
const TAG = '$f64';

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Float64Array ? { [TAG]: Array.from(v) } : v));
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = (v as Record<string, unknown>)[TAG];
      if (Array.isArray(tagged) && Object.keys(v).length === 1) return Float64Array.from(tagged as number[]);
    }
    return v;
  });
}
