import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { ENGINE_PORT_MESSAGE } from '../shared/bridge.js';
import { FakeWebContents, forked, resetFakes, type FakePort } from './testing/fakeElectron.js';
import { createHostManager } from './hostManager.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

beforeEach(() => {
  resetFakes();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup(window: { contents?: FakeWebContents } = { contents: new FakeWebContents() }) {
  const { contents } = window;
  const onGiveUp = vi.fn();
  const hosts = createHostManager({
    entry: '/app/out/main/engine-host.js',
    autosavePath: '/data/autosave.json',
    modelsDir: '/data/models',
    contents: () => contents as unknown as WebContents | undefined,
    onGiveUp,
  });
  return { hosts, contents, onGiveUp };
}

/** The port the host got and the port the window got must be the two ends of one channel. */
function expectConnected(hostPort: FakePort, windowPort: FakePort) {
  const received: unknown[] = [];
  hostPort.on('message', (e: { data: unknown }) => received.push(e.data));
  windowPort.postMessage({ type: 'hello' });
  expect(received).toEqual([{ type: 'hello' }]);
}

describe('createHostManager', () => {
  it('forks the host with its env and hands one end of a channel to the host and one to the window', () => {
    const { hosts, contents } = setup();
    hosts.start();
    expect(forked).toHaveLength(1);
    const host = forked[0];
    expect(host.modulePath).toBe('/app/out/main/engine-host.js');
    expect(host.options.env).toMatchObject({ FMS_AUTOSAVE: '/data/autosave.json', FMS_MODELS_DIR: '/data/models' });
    expect(host.options.env?.FMS_RESTART_REASON).toBeUndefined();
    expect(host.messages).toHaveLength(1);
    expect(host.messages[0].ports).toHaveLength(1);
    expect(contents?.posted).toHaveLength(1);
    const posted = contents?.posted[0];
    expect(posted?.channel).toBe(ENGINE_PORT_MESSAGE);
    expect(posted?.ports).toHaveLength(1);
    expectConnected(host.messages[0].ports[0], posted?.ports[0] as FakePort);
  });

  it('restarts a host that exited after the backoff, says why in the env, and reconnects the window', () => {
    const { hosts, contents } = setup();
    hosts.start();
    forked[0].emit('exit', 3);
    vi.advanceTimersByTime(249);
    expect(forked).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(forked).toHaveLength(2);
    const second = forked[1];
    expect(second.options.env).toMatchObject({ FMS_AUTOSAVE: '/data/autosave.json', FMS_MODELS_DIR: '/data/models' });
    expect(second.options.env?.FMS_RESTART_REASON).toMatch(/exited unexpectedly \(code 3\); restarted after 250 ms/);
    expect(hosts.current?.proc).toBe(second);
    expect(second.messages).toHaveLength(1);
    expect(contents?.posted).toHaveLength(2);
    const newWindowPort = contents?.posted[1].ports[0] as FakePort;
    expect(newWindowPort).not.toBe(contents?.posted[0].ports[0]);
    expectConnected(second.messages[0].ports[0], newWindowPort);
  });

  it('stop() kills the host and prevents restarts', () => {
    const { hosts, contents } = setup();
    hosts.start();
    hosts.stop();
    expect(forked[0].killed).toBe(true);
    forked[0].emit('exit', 1);
    vi.advanceTimersByTime(60_000);
    expect(forked).toHaveLength(1);
    expect(contents?.posted).toHaveLength(1);
  });

  it('restart() (the Engine menu) replaces the host', () => {
    const { hosts } = setup();
    hosts.start();
    hosts.restart();
    expect(forked[0].killed).toBe(true);
    vi.advanceTimersByTime(250);
    expect(forked).toHaveLength(2);
    expect(forked[1].options.env?.FMS_RESTART_REASON).toBeDefined();
  });

  it('keeps the ports until a window exists (the window asks for one when it loads)', () => {
    const closed = new FakeWebContents();
    closed.destroyed = true;
    for (const contents of [undefined, closed]) {
      resetFakes();
      const { hosts } = setup({ contents });
      hosts.start();
      expect(forked).toHaveLength(1);
      expect(forked[0].messages).toHaveLength(0);
      expect(closed.posted).toHaveLength(0);
    }
  });

  it('gives up after crashing too often and tells the user', () => {
    const { hosts, onGiveUp } = setup();
    hosts.start();
    for (let i = 0; i < 6; i++) {
      forked[forked.length - 1].emit('exit', 1);
      vi.advanceTimersByTime(10_000);
    }
    expect(forked).toHaveLength(6);
    expect(onGiveUp).toHaveBeenCalledOnce();
    expect(onGiveUp.mock.calls[0][0]).toMatch(/crashed 6 times in a minute/);
    expect(hosts.current).toBeUndefined();
  });
});
