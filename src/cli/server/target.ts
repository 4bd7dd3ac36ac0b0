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

/** A URL path decoded, or undefined when its percent-encoding is malformed or it holds NUL or a backslash. */
export function decodePath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  return /[\0\\]/.test(decoded) ? undefined : decoded;
}
