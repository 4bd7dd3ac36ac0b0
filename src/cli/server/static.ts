import { createReadStream, existsSync, statSync } from 'node:fs';
import { decodePath } from './target.js';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.jsonl': 'application/x-ndjson',
  '.map': 'application/json',
};

/**
 * Serves a file from `root`; refuses paths that leave it. Returns 'bad' for a malformed path, false when
 * there is no such file.
 */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string> = {}): boolean | 'bad' {
  const rel = decodePath(urlPath === '/' ? '/index.html' : urlPath);
  if (rel === undefined) return 'bad';
  const file = path.resolve(root, `.${rel}`);
  if (!file.startsWith(path.resolve(root) + path.sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  createReadStream(file)
    .on('error', () => res.destroy()) // removed between the check and the read: end the response, never crash
    .pipe(res);
  return true;
}
