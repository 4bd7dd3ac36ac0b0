/**
 * A stand-in for the 'electron' module in main-process tests:
 * `vi.mock('electron', () => import('./testing/fakeElectron.js'))`. Records what main does.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { FakeBrowserWindow, FakeSession } from './fakeWeb.js';

export { FakeBrowserWindow, FakeBrowserWindow as BrowserWindow, FakeSession, FakeWebContents } from './fakeWeb.js';

/** One end of a MessageChannelMain: what one end posts, the other end's listeners receive. */
export class FakePort extends EventEmitter {
  peer: FakePort | undefined;
  started = false;
  start(): void {
    this.started = true;
  }
  postMessage(data: unknown): void {
    this.peer?.emit('message', { data, ports: [] });
  }
  close(): void {
    this.peer = undefined;
  }
}

export class MessageChannelMain {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

/** A forked utility process: records messages, exits when killed or when a test says so. */
export class FakeUtilityProcess extends EventEmitter {
  readonly messages: { message: unknown; ports: FakePort[] }[] = [];
  killed = false;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { env?: Record<string, string | undefined>; serviceName?: string },
  ) {
    super();
  }
  postMessage(message: unknown, ports: FakePort[] = []): void {
    this.messages.push({ message, ports });
  }
  kill(): boolean {
    this.killed = true;
    this.emit('exit', 0);
    return true;
  }
}

export const forked: FakeUtilityProcess[] = [];
export const utilityProcess = {
  fork: vi.fn((modulePath: string, args: string[] = [], options = {}) => {
    const proc = new FakeUtilityProcess(modulePath, args, options);
    forked.push(proc);
    return proc;
  }),
};

/** ipcMain: `invoke()` calls a handle() handler the way a renderer's ipcRenderer.invoke would. */
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ sender: undefined }, ...args);
  }
}
export const ipcMain = new FakeIpcMain();

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
  showErrorBox: vi.fn(),
};

/** Reversible but not plain: a marker, then the bytes XOR 0x5a. */
const scramble = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
export const safeStorage = {
  available: true,
  isEncryptionAvailable: () => safeStorage.available,
  encryptString: (text: string): Buffer => Buffer.concat([Buffer.from('ENC1'), scramble(Buffer.from(text, 'utf8'))]),
  decryptString: (data: Buffer): string => {
    if (data.subarray(0, 4).toString() !== 'ENC1') throw new Error('not encrypted by us');
    return scramble(data.subarray(4)).toString('utf8');
  },
};

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export const session = { defaultSession: new FakeSession() };

class FakeApp extends EventEmitter {
  userData = '/tmp/fms-fake-user-data';
  singleInstance = true;
  #resolveReady: () => void = () => undefined;
  #ready = this.#newReady();
  quit = vi.fn();
  requestSingleInstanceLock = (): boolean => this.singleInstance;
  getPath = (_name: string): string => this.userData;
  getName = (): string => 'Finite Memory Studio';
  getVersion = (): string => '0.1.0';
  whenReady = (): Promise<void> => this.#ready;
  /** Resolves whenReady() the way Electron does once it has started. */
  ready(): void {
    this.#resolveReady();
  }
  /** A not-yet-ready app without listeners, as if Electron started again. */
  reset(): void {
    this.removeAllListeners();
    this.#ready = this.#newReady();
    this.singleInstance = true;
  }
  #newReady(): Promise<void> {
    return new Promise<void>((resolve) => (this.#resolveReady = resolve));
  }
}
export const app = new FakeApp();

/** Forgets everything recorded (call in beforeEach). */
export function resetFakes(): void {
  forked.length = 0;
  FakeBrowserWindow.all.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  safeStorage.available = true;
  session.defaultSession = new FakeSession();
  app.reset();
  vi.clearAllMocks();
}
