import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './appProtocol.js';
import { secureWindowOptions } from './security.js';

/** speedscope's viewer, served with the app (copied from the speedscope package into the build). */
export const SPEEDSCOPE_URL = `${APP_ORIGIN}/speedscope/index.html`;

/**
 * Shows a speedscope profile in speedscope's own viewer, in a window of its own (no preload: it talks to
 * nothing). speedscope fetches a profile URL only over http(s), so the window opens with its local-file
 * parameter (which installs `window.speedscope.loadFileFromBase64`; the file:// script it then asks for is
 * refused like any request off the app's origin) and the profile is handed to that loader once the page
 * has loaded. Resolves with the window.
 */
export async function openSpeedscopeWindow(json: string, title: string): Promise<BrowserWindow> {
  const options = secureWindowOptions('', { width: 1280, height: 820 });
  delete options.webPreferences?.preload;
  const win = new BrowserWindow({ ...options, title: `${title} - speedscope`, show: true });
  const name = `${title.replace(/[^\w.]+/g, '-').replace(/^-|-$/g, '').slice(0, 100) || 'profile'}.speedscope.json`;
  await win.loadURL(`${SPEEDSCOPE_URL}#localProfilePath=${encodeURIComponent(name)}&title=${encodeURIComponent(title)}`);
  const base64 = Buffer.from(json, 'utf8').toString('base64');
  await win.webContents.executeJavaScript(`window.speedscope.loadFileFromBase64(${JSON.stringify(name)}, ${JSON.stringify(base64)})`);
  return win;
}
