import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl } from './appProtocol.js';

/** The renderer's Content-Security-Policy: our own code only (`'self'` is app://bundle), no remote content, no eval. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `npm run dev` only: React Refresh injects an inline preamble and Vite's client talks over a
 * WebSocket to the dev server, so the dev policy allows both. Packaged builds use the strict one.
 */
export function contentSecurityPolicy(devServer: string | undefined): string {
  if (!devServer) return CONTENT_SECURITY_POLICY;
  const ws = devServer.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", `connect-src 'self' ${ws}`);
}

/** Window options with Electron's security checklist applied. */
export function secureWindowOptions(preload: string, bounds: { width: number; height: number; x?: number; y?: number }): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Finite Memory Studio',
    backgroundColor: '#101418',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Denies every permission request, sets the CSP header, and refuses every request but the app's own (app://bundle) and local data. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(process.env.ELECTRON_RENDERER_URL)] } });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const local = /^(devtools|data|blob):/.test(details.url) || isAppUrl(details.url) || isDevServer(details.url);
    callback({ cancel: !local });
  });
}

/** Blocks navigation away from the app and every new window. */
export function lockDownContents(contents: WebContents, appUrl: () => string): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl()) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** A page of ours: the app origin, or electron-vite's dev server in `npm run dev` (not its WebSocket). */
export function isAppPage(url: string): boolean {
  return isAppUrl(url) || (isDevServer(url) && /^https?:/.test(url));
}

/** electron-vite's dev server (only in `npm run dev`): same host and port, http or its HMR WebSocket. */
export function isDevServer(url: string): boolean {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (!dev) return false;
  try {
    const target = new URL(url);
    const server = new URL(dev);
    return target.host === server.host && [server.protocol, server.protocol.replace(/^http/, 'ws')].includes(target.protocol);
  } catch {
    return false;
  }
}
