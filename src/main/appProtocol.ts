import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { contentType, pathSegments } from '../shared/staticPaths.js';

/** The renderer is served from app://bundle/ (a standard, secure origin), not from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Whether `url` is on the app's own origin (app://bundle). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST;
  } catch {
    return false;
  }
}

/** Before the app is ready: app:// is a standard, secure scheme (its own origin, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Once the app is ready: serve app://bundle/ from `root` (the built renderer) and nothing else, each response with `csp`. */
export function serveApp(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, appHandler(root, csp));
}

/**
 * The file under `root` that `url` names, or the HTTP status to answer: 400 for a URL or escape that
 * does not parse, 404 for another host or a path that would leave `root` (encoded separators, `..`).
 */
export function resolveAppPath(root: string, url: string): string | 400 | 404 {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 400;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST) return 404;
  const segments = pathSegments(u.pathname);
  if (typeof segments === 'number') return segments;
  const file = path.resolve(root, ...segments);
  return isInside(path.resolve(root), file) ? file : 404;
}

const isInside = (root: string, file: string): boolean => {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

const status = (code: 400 | 404 | 405): Response => new Response(code === 400 ? 'Bad Request' : code === 404 ? 'Not Found' : 'Method Not Allowed', { status: code, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** The app:// handler: GET/HEAD of regular files under `root` (symlinks out of it refused); never throws. */
export function appHandler(root: string, csp?: string): (request: Pick<Request, 'url' | 'method'>) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return status(405);
    const file = resolveAppPath(root, request.url);
    if (typeof file !== 'string') return status(file);
    try {
      const [realRoot, real] = await Promise.all([realpath(root), realpath(file)]);
      if (!isInside(realRoot, real) || !(await stat(real)).isFile()) return status(404);
      const body = request.method === 'HEAD' ? null : await readFile(real);
      const headers: Record<string, string> = { 'content-type': contentType(real), 'x-content-type-options': 'nosniff' };
      // webRequest may not see custom-protocol responses: the policy travels with them
      if (csp) headers['content-security-policy'] = csp;
      return new Response(body, { headers });
    } catch {
      return status(404);
    }
  };
}
