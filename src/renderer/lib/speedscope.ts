import { notify } from '../state/stores';

/** The speedscope viewer's page, served beside the app (copied from the speedscope package into the build). */
export const SPEEDSCOPE_PAGE = 'speedscope/index.html';

/** Browser mode: the viewer's window, opened on the click, waiting for the profile. */
let pending: Window | null = null;
/** The profile the viewer last loaded: kept while the viewer may read it, let go for the next one. */
let shownBlob: string | undefined;

/**
 * "Open in speedscope", on the click, before the engine is asked for the profile (exportProfile with
 * `view`): in browser mode the viewer's window opens now, in the click's user gesture, so no pop-up
 * blocker stops it when the profile arrives (on the desktop main opens it then). False when the browser
 * blocked it (and says so).
 */
export function prepareViewerWindow(): boolean {
  if (window.fms) return true;
  pending = window.open('', 'fms-speedscope');
  if (pending) return true;
  notify('error', 'The browser blocked the speedscope window: allow pop-ups for this page and try again.');
  return false;
}

/** The engine's answer: the profile shown in the viewer (a blob it reads on this origin, or main's window on the desktop). */
export function viewProfileEffect(json: string, title: string): void {
  if (window.fms) {
    window.fms.openSpeedscope(json, title).catch((err: Error) => notify('error', `Cannot open speedscope: ${err.message}`));
    return;
  }
  const win = pending;
  pending = null;
  if (!win || win.closed) return notify('error', 'The speedscope window was closed before the profile arrived; try again.');
  if (shownBlob) URL.revokeObjectURL(shownBlob);
  shownBlob = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  win.location.href = new URL(`${SPEEDSCOPE_PAGE}#profileURL=${encodeURIComponent(shownBlob)}&title=${encodeURIComponent(title)}`, document.baseURI).href;
}
