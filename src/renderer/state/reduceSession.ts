import { assertNever, type BackendStatus, type EventBatch } from '../../shared/protocol.js';
import { Draft, eventsOf, RESETS, type EventOf } from '../../shared/view/draft.js';
import { reduceAutosaved } from '../../shared/view/reduceAutosaved.js';
import { formatCount } from '../lib/formatNumber.js';
import { notify, sessionStore, type SessionState } from './stores.js';
import { nextDownload } from './downloadProgress.js';

/** Side effects a batch can ask for (downloads differ between Electron and the browser). */
export interface BatchEffects {
  saveText: (name: string, text: string) => void;
  /** Shows a speedscope profile in the speedscope viewer the app serves (a profileExport asked for with `view`). */
  viewProfile?: (json: string, title: string) => void;
}

export const SESSION_EVENTS = [
  ...RESETS,
  'warning',
  'error',
  'replayProgress',
  'configChanged',
  'backendChanged',
  'modelProgress',
  'sessionSaved',
  'profileExport',
  'autosaved',
  'openProgress',
  'engineStopped',
  'hostRestarted',
  'telemetryChanged',
] as const;

/**
 * The session store but the conversation (see reduceChat): connection, session info, backend,
 * downloads, replay and upload progress, autosaves. Notices and downloads happen as their events come.
 */
export function reduceSession(state: SessionState, batch: EventBatch, effects: BatchEffects): Partial<SessionState> {
  const d = new Draft<SessionState>(state);
  for (const e of eventsOf(batch.events, SESSION_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        d.set({ replay: undefined, info: e.session, backend: e.backend, connection: 'connected', engineStopped: undefined, backendConnecting: false, ...(e.limits ? { limits: e.limits } : {}) });
        if (e.backendStatus) d.set(backendStatusPatch(e.backendStatus));
        d.set({ telemetry: e.telemetry ?? { source: 'off' } });
        break;
      case 'telemetryChanged': {
        const { type, ...status } = e;
        void type;
        d.set({ telemetry: status });
        notify('info', status.endpoint ? `Turns are exported to ${status.endpoint} (OpenTelemetry).` : 'Turn export (OpenTelemetry) is off.');
        break;
      }
      case 'sessionLoaded':
        // every reason but 'new' replays the conversation next: the first progress comes a chunk later,
        // and until the replay ends the stats are partial (total unknown until then)
        d.set({ info: e.session, replay: e.reason !== 'new' ? { done: 0, total: 0 } : undefined });
        if (e.reason === 'open') d.set({ upload: undefined });
        break;
      case 'warning':
        if (!sessionStore.getState().notices.some((n) => n.text === e.message)) notify('info', e.message); // notices change as they come
        break;
      case 'error':
        onError(d, e);
        break;
      case 'replayProgress':
        d.set({ replay: { done: e.done, total: e.total } }); // until the replay's closing configChanged (its stats come first)
        break;
      case 'configChanged': {
        // a replay ends with the config it ran under (also when it had no messages to report progress on)
        const info = d.get('info');
        if (d.get('replay')) d.set({ replay: undefined });
        if (info) d.set({ info: { ...info, config: e.config } });
        break;
      }
      case 'backendChanged':
        d.set({ backend: e.backend, ...backendStatusPatch(e), backendConnecting: false, download: undefined });
        if (e.message) notify('error', e.message);
        else if (e.note) notify('info', e.note);
        break;
      case 'modelProgress':
        d.set({ download: nextDownload(d.get('download'), e) });
        break;
      case 'sessionSaved':
        onSaved(d, e, effects);
        break;
      case 'profileExport':
        if (e.view && effects.viewProfile) effects.viewProfile(e.json, e.title ?? 'profile');
        else effects.saveText(e.format === 'speedscope' ? 'profile.speedscope.json' : 'profile.trace.json', e.json);
        break;
      case 'autosaved':
        break; // reduceAutosaved, with the hello's, after the loop
      case 'openProgress': {
        const up = d.get('upload');
        if (up?.id === e.id) d.set({ upload: { ...up, received: e.received, total: e.total } });
        break;
      }
      case 'engineStopped':
        d.set({ engineStopped: e.reason, connection: 'failed' });
        break;
      case 'hostRestarted':
        notify('info', `The engine restarted: ${e.reason}. ${e.restoredMessages} messages were restored from the autosave.`);
        break;
      default:
        assertNever(e, 'event');
    }
  }
  const autosaved = reduceAutosaved(state.autosaved, batch);
  if (autosaved !== state.autosaved) d.set({ autosaved });
  return d.patch;
}

/** The session store's view of a backend status (from backendChanged, or a hello for a reloaded page). */
function backendStatusPatch(s: BackendStatus): Pick<SessionState, 'backendReady' | 'backendMessage' | 'backendModels' | 'backendNote'> {
  return { backendReady: s.ready, backendMessage: s.message, backendModels: s.models, backendNote: s.note };
}

function onError(d: Draft<SessionState>, e: EventOf<'error'>): void {
  if (e.code !== 'busy' && d.get('replay')) d.set({ replay: undefined }); // a failed replay ends without progress
  if (e.command?.startsWith('open') && d.get('upload')) d.set({ upload: undefined }); // a refused upload ends
  if (e.command === 'setBackend') d.set({ backendConnecting: false }); // refused before any backendChanged
  notify('error', e.repeated ? `${e.message} (and ${formatCount(e.repeated)} more like it)` : e.message);
}

function onSaved(d: Draft<SessionState>, e: EventOf<'sessionSaved'>, effects: BatchEffects): void {
  const info = d.get('info');
  if (e.text !== undefined) effects.saveText(`${(info?.title ?? 'session').replace(/[^\w.-]+/g, '-')}.json`, e.text);
  notify('info', e.path ? `Saved ${e.path} (${(e.bytes / 1024).toFixed(1)} KB)` : `Session downloaded (${(e.bytes / 1024).toFixed(1)} KB)`);
  if (e.path && info) d.set({ info: { ...info, path: e.path } });
}
