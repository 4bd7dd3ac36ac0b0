import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentType, pathSegments } from '../shared/staticPaths.js';

/**
 * Serves a file from `root`; refuses paths that leave it. Returns 'bad' for a malformed path, false when
 * there is no such file.
 */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string> = {}): boolean | 'bad' {
  const segments = pathSegments(urlPath);
  if (segments === 400) return 'bad';
  if (segments === 404) return false;
  const file = path.resolve(root, ...segments);
  if (!file.startsWith(path.resolve(root) + path.sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  createReadStream(file)
    .on('error', () => res.destroy()) // removed between the check and the read: end the response, never crash
    .pipe(res);
  return true;
}
