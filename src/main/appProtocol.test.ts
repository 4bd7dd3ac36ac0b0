import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, appHandler, isAppUrl, registerAppScheme, resolveAppPath, serveApp } from './appProtocol.js';
import { protocol, resetFakes } from './testing/fakeElectron.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

let dir: string;
let root: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(path.join(tmpdir(), 'fms-app-'));
  root = path.join(dir, 'out', 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>FMS</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(root, 'assets', 'font file.woff2'), 'w');
  writeFileSync(path.join(root, 'assets', 'blob.bin'), 'b');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  writeFileSync(path.join(dir, 'out', 'main.js'), 'outside too');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** As Electron calls the handler; `url` is passed as is (no URL normalisation by a Request). */
const get = (url: string, method = 'GET') => appHandler(root, "default-src 'self'")({ url, method });

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme and serves it once ready', async () => {
    registerAppScheme();
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    serveApp(root, "default-src 'self'");
    const handler = protocol.handlers.get('app');
    const res = await handler!(new Request(APP_INDEX_URL));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>FMS</title>');
  });

  it('serves index.html (also for the bare origin) and assets with their content types and the CSP', async () => {
    for (const url of ['app://bundle/index.html', 'app://bundle/', 'app://bundle', 'app://bundle/index.html?x=1#top']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const js = await get('app://bundle/assets/index-abc.js');
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await get('app://bundle/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('app://bundle/assets/font%20file.woff2')).headers.get('content-type')).toBe('font/woff2');
    expect((await get('app://bundle/assets/blob.bin')).headers.get('content-type')).toBe('application/octet-stream');
    const head = await get('app://bundle/index.html', 'HEAD');
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/../../main.js',
    'app://bundle/%2e%2e/%2e%2e/etc/passwd',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/..%2F..%2Fmain.js',
    'app://bundle/..%5csecret.txt',
    'app://bundle/assets/..%5c..%5csecret.txt',
    'app://bundle/%2fetc%2fpasswd',
    'app://bundle/C:%5cWindows%5cwin.ini',
    'app://bundle/index.html%00.js',
    'app://bundle/%252e%252e/secret.txt',
    'app://bundle/assets',
    'app://bundle/missing.js',
    'app://other/index.html',
    'app://bundle:8080/index.html',
    'file:///etc/passwd',
  ])('answers 404 for %s, never a file outside the renderer folder', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found');
  });

  it.each(['app://bundle/%E0%A4%A', 'app://bundle/%zz', 'app://bundle/assets/%', 'app://[bad', 'not a url', ''])('answers 400 for the malformed %j without throwing', async (url) => {
    expect((await get(url)).status).toBe(400);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://bundle/index.html', 'POST')).status).toBe(405);
  });

  it('does not follow a symlink out of the renderer folder', async () => {
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    expect((await get('app://bundle/assets/link.txt')).status).toBe(404);
  });

  it('resolves paths inside the folder only', () => {
    expect(resolveAppPath(root, 'app://bundle/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://bundle/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://bundle/a/%2e%2e/b')).toBe(path.join(root, 'b')); // URL parsing already removed the dot segments
    expect(resolveAppPath(root, 'app://bundle/..%2f')).toBe(404);
    expect(resolveAppPath(root, 'app://bundle/assets%2findex-abc.js')).toBe(404); // an encoded separator, even one staying inside
    expect(resolveAppPath(root, 'app://bundle/%')).toBe(400);
  });

  it('knows its own origin', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://bundle.example/')).toBe(false);
    expect(isAppUrl('app:bundle')).toBe(false);
    expect(isAppUrl('::')).toBe(false);
  });
});
