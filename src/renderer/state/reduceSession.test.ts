import { describe, expect, it } from 'vitest';
import type { EventBatch, HostEvent } from '../../shared/protocol.js';
import { DEFAULT_CONFIG } from '../../shared/config.js';
import { emptySnapshot } from '../../shared/view/snapshot.js';
import { reduceSession } from './reduceSession.js';
import { sessionStore, type SessionState } from './stores.js';

const server = { kind: 'openai', baseUrl: 'http://127.0.0.1:8080', model: 'llama3.2' } as const;
const batch = (events: HostEvent[]): EventBatch => ({ type: 'batch', seq: 1, events, merged: 0, sentAt: 1000 });
const reduce = (state: SessionState, ...events: HostEvent[]): SessionState => ({ ...state, ...reduceSession(state, batch(events), { saveText: () => {} }) });
const connecting = (): SessionState => ({ ...sessionStore.getState(), backendConnecting: true });
const notices = () => sessionStore.getState().notices.map((n) => `${n.kind}: ${n.text}`);
/** A hello as a reloaded page gets it; this reducer reads its session, backend, backendStatus and the snapshot's autosave. */
const hello = (backendStatus?: object): HostEvent =>
  ({ type: 'helloAck', protocolVersion: 3, host: 'h', session: { title: 't', messages: 0, config: DEFAULT_CONFIG, tokenizer: 'qwen3' }, snapshot: emptySnapshot(), backend: server, ...(backendStatus ? { backendStatus } : {}) }) as unknown as HostEvent;

describe('reduceSession: what Connect said', () => {
  it('keeps the listed models and the note of a working connection, and says the note once', () => {
    const s = reduce(connecting(), { type: 'backendChanged', backend: server, ready: true, models: ['llama3.2:latest', 'qwen'], note: 'the server does not list "llama3.2"' });
    expect(s).toMatchObject({ backend: server, backendReady: true, backendConnecting: false, backendMessage: undefined, backendModels: ['llama3.2:latest', 'qwen'], backendNote: 'the server does not list "llama3.2"' });
    expect(notices().at(-1)).toBe('info: the server does not list "llama3.2"');
  });

  it('shows an unreachable server as not connected, with the reason, and forgets the old list', () => {
    const before = reduce(connecting(), { type: 'backendChanged', backend: server, ready: true, models: ['m'] });
    const s = reduce({ ...before, backendConnecting: true }, { type: 'backendChanged', backend: server, ready: false, message: 'cannot connect to http://127.0.0.1:8080/v1/models: ECONNREFUSED' });
    expect(s).toMatchObject({ backendReady: false, backendConnecting: false, backendModels: undefined, backendNote: undefined, backendMessage: 'cannot connect to http://127.0.0.1:8080/v1/models: ECONNREFUSED' });
    expect(notices().at(-1)).toBe('error: cannot connect to http://127.0.0.1:8080/v1/models: ECONNREFUSED');
  });

  it('takes the backend status from a hello, so a reloaded page shows a connected server as connected', () => {
    const fresh = { ...sessionStore.getState(), backendReady: false };
    expect(reduce(fresh, hello({ ready: true, note: 'the server lists no models; using "llama3.2"' }))).toMatchObject({ backendReady: true, backendNote: 'the server lists no models; using "llama3.2"' });
    expect(reduce({ ...fresh, backendReady: true }, hello({ ready: false, message: 'HTTP 401' }))).toMatchObject({ backendReady: false, backendMessage: 'HTTP 401' });
  });

  it('stops "connecting…" when the engine refuses the setBackend command itself', () => {
    const s = reduce(connecting(), { type: 'error', code: 'no-backend', message: 'this host cannot create model backends', command: 'setBackend' });
    expect(s.backendConnecting).toBe(false);
    expect(reduce(connecting(), { type: 'error', code: 'busy', message: 'busy', command: 'chat' }).backendConnecting).toBe(true);
  });
});
