/**
 * Serving the built renderer's files (browser mode's HTTP server and the app's app:// protocol): the
 * content types, and a URL path turned into safe path segments. Runtime-neutral; each server joins the
 * segments to its own folder.
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type of a file name by its extension (application/octet-stream when unknown). */
export function contentType(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[name.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/**
 * A URL path's segments, each percent-decoded, never throwing: 400 when an escape does not decode, 404
 * when a segment could leave the folder or name something else (`.`, `..`, a separator, NUL, a drive
 * colon, whether it came encoded or not). `/` is `index.html`.
 */
export function pathSegments(pathname: string): string[] | 400 | 404 {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 400;
    }
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) return 404;
    segments.push(segment);
  }
  return segments.length > 0 ? segments : ['index.html'];
}
