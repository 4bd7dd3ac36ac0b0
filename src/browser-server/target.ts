/**
 * A request target, parsed without ever throwing: `undefined` for anything that is not an origin-form
 * path ("/x?y"): "//[", "http://...", "*", bad percent-encoding, NUL bytes. The caller answers 400.
 */
export function parseTarget(raw: string | undefined, base: string): URL | undefined {
  if (!raw || raw[0] !== '/' || raw.startsWith('//') || raw.length > 8192) return undefined;
  try {
    return new URL(raw, base);
  } catch {
    return undefined;
  }
}
