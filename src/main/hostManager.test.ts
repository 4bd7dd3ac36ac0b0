import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { ENGINE_PORT_MESSAGE } from '../shared/bridge.js';
import { FakeWebContents, forked, resetFakes, type FakePort } from './testing/fakeElectron.js';
import { createHostManager, grant, GRANT_TIMEOUT_MS } from './hostManager.js';
import { SHUTDOWN_GRACE_MS } from './utilityHost.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

beforeEach(() => {
  resetFakes();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup(window: { contents?: FakeWebContents } = { contents: new FakeWebContents() }, apiKey?: string) {
  const { contents } = window;
  const onGiveUp = vi.fn();
  const hosts = createHostManager({
    entry: '/app/out/main/engine-host.js',
    autosavePath: '/data/autosave.json',
    modelsDir: '/data/models',
    contents: () => contents as unknown as WebContents | undefined,
    apiKey: () => apiKey,
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

const crashUntilGiveUp = () => {
  for (let i = 0; i < 6; i++) {
    forked[forked.length - 1].exit(1);
    vi.advanceTimersByTime(10_000);
  }
};

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
    expect(host.control).toEqual([]); // no key saved: no secret message
    expect(contents?.posted).toHaveLength(1);
    const posted = contents?.posted[0];
    expect(posted?.channel).toBe(ENGINE_PORT_MESSAGE);
    expect(posted?.ports).toHaveLength(1);
    expectConnected(host.messages[0].ports[0], posted?.ports[0] as FakePort);
  });

  it('hands every host the saved API key before its port, on start and after each restart', () => {
    const { hosts } = setup(undefined, 'sk-saved');
    hosts.start();
    expect(forked[0].messages.map((m) => m.message)).toEqual([{ type: 'secret', name: 'openai-api-key', value: 'sk-saved' }, { type: 'port' }]);
    forked[0].exit(3);
    vi.advanceTimersByTime(250);
    expect(forked[1].control).toEqual([{ type: 'secret', name: 'openai-api-key', value: 'sk-saved' }]);
    hosts.sendApiKey(undefined);
    hosts.sendApiKey('sk-new');
    expect(forked[1].control.slice(1)).toEqual([
      { type: 'secret', name: 'openai-api-key' },
      { type: 'secret', name: 'openai-api-key', value: 'sk-new' },
    ]);
  });

  it('restarts a host that exited after the backoff, says why in the env, and reconnects the window', () => {
    const { hosts, contents } = setup();
    hosts.start();
    forked[0].exit(3);
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

  it('stop() asks the host to shut down, waits for it to exit, and prevents restarts', async () => {
    const { hosts, contents } = setup();
    hosts.start();
    await hosts.stop();
    expect(forked[0].control).toEqual([{ type: 'shutdown' }]);
    expect(forked[0].exited).toBe(true);
    expect(forked[0].killed).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(forked).toHaveLength(1);
    expect(contents?.posted).toHaveLength(1);
  });

  it('stop() kills a host that does not exit within the grace period', async () => {
    const { hosts } = setup();
    hosts.start();
    forked[0].exitOnShutdown = false;
    let stopped = false;
    const stopping = hosts.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(SHUTDOWN_GRACE_MS - 1);
    expect(stopped).toBe(false);
    expect(forked[0].killed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(forked[0].killed).toBe(true);
  });

  it('restart() (the Engine menu) replaces the host after it finished its autosave', async () => {
    const { hosts } = setup();
    hosts.start();
    hosts.restart();
    expect(forked[0].control.at(-1)).toEqual({ type: 'shutdown' });
    await vi.advanceTimersByTimeAsync(0);
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
      hosts.requestPort(new FakeWebContents() as unknown as WebContents);
      expect(forked[0].messages).toHaveLength(1);
    }
  });

  it('gives up after crashing too often and tells the window (also after a reload), without a blocking dialog', () => {
    const { hosts, contents, onGiveUp } = setup();
    hosts.start();
    crashUntilGiveUp();
    expect(forked).toHaveLength(6);
    expect(onGiveUp).toHaveBeenCalledOnce();
    const reason = onGiveUp.mock.calls[0][0] as string;
    expect(reason).toMatch(/crashed 6 times in a minute/);
    expect(hosts.current).toBeUndefined();
    expect(contents?.sent).toEqual([{ channel: 'fms:engine-stopped', args: [reason] }]);
    hosts.requestPort(contents as unknown as WebContents);
    expect(contents?.sent).toHaveLength(2);
    expect(contents?.sent[1]).toEqual({ channel: 'fms:engine-stopped', args: [reason] });
  });

  it('restart() after a give-up starts a fresh host that may crash again before the next give-up', () => {
    const { hosts, contents, onGiveUp } = setup(undefined, 'sk-saved');
    hosts.start();
    crashUntilGiveUp();
    hosts.restart();
    expect(forked).toHaveLength(7);
    expect(forked[6].options.env?.FMS_RESTART_REASON).toBe('restarted by the user');
    expect(forked[6].control).toEqual([{ type: 'secret', name: 'openai-api-key', value: 'sk-saved' }]);
    expect(contents?.posted.at(-1)?.channel).toBe(ENGINE_PORT_MESSAGE);
    forked[6].exit(1);
    vi.advanceTimersByTime(250);
    expect(forked).toHaveLength(8);
    expect(onGiveUp).toHaveBeenCalledOnce();
  });
});

describe('grant', () => {
  it('posts a grant under a fresh opaque handle and resolves once the host answers granted', async () => {
    const { hosts } = setup();
    hosts.start();
    const [a, b] = await Promise.all([hosts.grant('/s/a.json', 'read'), hosts.grant('/s/b.json', 'write')]);
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,100}$/);
    expect(b).not.toBe(a);
    expect(forked[0].control).toEqual([
      { type: 'grant', handle: a, path: '/s/a.json', mode: 'read' },
      { type: 'grant', handle: b, path: '/s/b.json', mode: 'write' },
    ]);
  });

  it('ignores answers for other handles and credits, and times out with a clear error', async () => {
    const { hosts } = setup();
    hosts.start();
    const host = forked[0];
    host.answerGrants = false;
    const pending = hosts.grant('/s/a.json', 'read');
    host.emit('message', { type: 'granted', handle: 'someone-elses-handle' });
    host.emit('message', { type: 'credit', commands: 3 });
    host.emit('message', undefined);
    const rejected = expect(pending).rejects.toThrow(/did not take the file within 10 s/);
    await vi.advanceTimersByTimeAsync(GRANT_TIMEOUT_MS);
    await rejected;
  });

  it('rejects when the host exits before answering, and when there is no host', async () => {
    const { hosts } = setup();
    hosts.start();
    forked[0].answerGrants = false;
    const pending = hosts.grant('/s/a.json', 'read');
    forked[0].exit(1);
    await expect(pending).rejects.toThrow(/engine stopped before it could take the file/);
    await expect(hosts.grant('/s/a.json', 'read')).rejects.toThrow(/engine is not running/);
    await expect(grant(undefined, '/s/a.json', 'read')).rejects.toThrow(/engine is not running/);
  });
});
