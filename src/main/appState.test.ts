import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStateStore } from './appState.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fms-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULTS = { bounds: { width: 1400, height: 900 }, recent: [] };
const stateFile = () => path.join(dir, 'state.json');

describe('AppStateStore', () => {
  it('starts from defaults when there is no file', () => {
    expect(new AppStateStore(dir).state).toEqual(DEFAULTS);
    expect(new AppStateStore(path.join(dir, 'not', 'yet')).state).toEqual(DEFAULTS);
  });

  it.each(['{not json', '', 'null', '[1,2]', '{"recent": "a.json", "bounds": 7}'])('falls back to defaults for the corrupt file %j', (text) => {
    writeFileSync(stateFile(), text);
    expect(new AppStateStore(dir).state).toEqual(DEFAULTS);
  });

  it('keeps the recent files when only the window bounds are bad', () => {
    writeFileSync(stateFile(), JSON.stringify({ bounds: { width: 10, height: 10 }, recent: ['/a.json'] }));
    expect(new AppStateStore(dir).state).toEqual({ ...DEFAULTS, recent: ['/a.json'] });
  });

  it('adds recent files newest first, without duplicates, at most 10', () => {
    const store = new AppStateStore(dir);
    for (let i = 0; i < 12; i++) store.addRecent(`/s/${i}.json`);
    expect(store.state.recent).toHaveLength(10);
    expect(store.state.recent[0]).toBe('/s/11.json');
    expect(store.state.recent.at(-1)).toBe('/s/2.json');
    store.addRecent('/s/5.json');
    expect(store.state.recent).toHaveLength(10);
    expect(store.state.recent[0]).toBe('/s/5.json');
    expect(store.state.recent.filter((f) => f === '/s/5.json')).toHaveLength(1);
  });

  it('survives a reload, atomically written', () => {
    const store = new AppStateStore(dir);
    store.addRecent('/a.json');
    store.addRecent('/b.json');
    store.setBounds({ width: 1000, height: 700, x: 20, y: 30 });
    const again = new AppStateStore(dir);
    expect(again.state).toEqual({ bounds: { width: 1000, height: 700, x: 20, y: 30 }, recent: ['/b.json', '/a.json'] });
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toEqual(again.state);
  });

  it('tells listeners when the recent list changes', () => {
    const store = new AppStateStore(dir);
    const seen: string[][] = [];
    const off = store.onRecentChange(() => seen.push([...store.state.recent]));
    store.addRecent('/a.json');
    store.setBounds({ width: 900, height: 600 });
    off();
    store.addRecent('/b.json');
    expect(seen).toEqual([['/a.json']]);
  });

  it('creates its folder when it saves', () => {
    const nested = path.join(dir, 'user', 'data');
    new AppStateStore(nested).addRecent('/x.json');
    expect(new AppStateStore(nested).state.recent).toEqual(['/x.json']);
  });
});
