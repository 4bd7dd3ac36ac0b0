import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { FakeSession, FakeWebContents, resetFakes } from './testing/fakeElectron.js';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, isAppPage, lockDownContents, lockDownSession, secureWindowOptions } from './security.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

beforeEach(() => resetFakes());
afterEach(() => vi.unstubAllEnvs());

describe('secureWindowOptions', () => {
  it("applies Electron's security checklist and keeps the preload", () => {
    const o = secureWindowOptions('/app/out/preload/index.cjs', { width: 1200, height: 800 });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o).toMatchObject({ width: 1200, height: 800, title: 'Finite Memory Studio', show: false });
  });
});

function lockedSession(): FakeSession {
  const s = new FakeSession();
  lockDownSession(s as unknown as Session);
  return s;
}

describe('lockDownSession', () => {
  it('denies every permission request and check', () => {
    const s = lockedSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      s.permissionRequest?.(undefined, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(s.permissionCheck?.(undefined, permission)).toBe(false);
    }
  });

  it('adds a strict Content-Security-Policy to every response, keeping the other headers', () => {
    const s = lockedSession();
    const callback = vi.fn();
    s.onHeadersReceived?.({ url: 'app://bundle/index.html', responseHeaders: { 'X-Other': ['1'] } }, callback);
    const headers = callback.mock.calls[0][0].responseHeaders as Record<string, string[]>;
    expect(headers['X-Other']).toEqual(['1']);
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    const policy = headers['Content-Security-Policy'][0];
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it.each([
    'https://example.com/track.js',
    'http://192.168.1.10/',
    'ws://evil.example/socket',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'file:///app/out/renderer/index.html',
    'app://other/index.html',
    'not a url',
  ])('cancels the request %s', (url) => {
    const s = lockedSession();
    const callback = vi.fn();
    s.onBeforeRequest?.({ url }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: true });
  });

  it.each(['app://bundle/index.html', 'app://bundle/assets/index-1234.js', 'devtools://devtools/bundled/inspector.html', 'data:image/png;base64,AAAA', 'blob:app://bundle/1234'])(
    'allows the local request %s',
    (url) => {
      const s = lockedSession();
      const callback = vi.fn();
      s.onBeforeRequest?.({ url }, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: false });
    },
  );

  it("allows electron-vite's dev server only when it is the renderer URL", () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    const s = lockedSession();
    const decide = (url: string) => {
      const callback = vi.fn();
      s.onBeforeRequest?.({ url }, callback);
      return callback.mock.calls[0][0];
    };
    expect(decide('http://localhost:5173/src/main.tsx')).toEqual({ cancel: false });
    expect(decide('ws://localhost:5173/?token=hmr')).toEqual({ cancel: false });
    expect(decide('http://localhost:5174/src/main.tsx')).toEqual({ cancel: true });
    expect(decide('http://localhost:51730/src/main.tsx')).toEqual({ cancel: true });
    expect(decide('https://localhost:5173.evil.example/')).toEqual({ cancel: true });
  });
});

describe('lockDownContents', () => {
  const appUrl = 'app://bundle/index.html';

  function locked(): FakeWebContents {
    const contents = new FakeWebContents();
    lockDownContents(contents as unknown as WebContents, () => appUrl);
    return contents;
  }

  it('prevents navigation to any other URL but lets the app reload itself', () => {
    const contents = locked();
    expect(contents.cancellable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.cancellable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.cancellable('will-navigate', 'app://bundle/other.html')).toBe(true);
    expect(contents.cancellable('will-navigate', appUrl)).toBe(false);
  });

  it('denies window.open and refuses to attach webviews', () => {
    const contents = locked();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: appUrl })).toEqual({ action: 'deny' });
    expect(contents.cancellable('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('dev-server policy', () => {
  it('relaxes only script-src (inline React Refresh preamble) and connect-src (Vite client) in dev', () => {
    expect(contentSecurityPolicy(undefined)).toBe(CONTENT_SECURITY_POLICY);
    const dev = contentSecurityPolicy('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
    expect(dev).toContain("object-src 'none'");
  });
});

describe('isAppPage', () => {
  it('is the app origin, or the dev server page (not its WebSocket) in dev', () => {
    expect(isAppPage('app://bundle/index.html')).toBe(true);
    expect(isAppPage('app://BUNDLE/index.html')).toBe(true);
    for (const url of ['app://bundle.evil/index.html', 'file:///app/out/renderer/index.html', 'http://localhost:5173/', 'https://evil.example/', '', 'app:']) expect(isAppPage(url)).toBe(false);
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    expect(isAppPage('http://localhost:5173/')).toBe(true);
    expect(isAppPage('ws://localhost:5173/')).toBe(false);
    expect(isAppPage('http://localhost:5174/')).toBe(false);
  });
});
