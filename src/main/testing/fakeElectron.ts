/**
 * A stand-in for the 'electron' module in main-process tests:
 * `vi.mock('electron', () => import('./testing/fakeElectron.js'))`. Records what main does.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { FakeBrowserWindow, FakeSession, type FakeWebContents, type FakeWebFrameMain } from './fakeWeb.js';

export { FakeBrowserWindow, FakeBrowserWindow as BrowserWindow, FakeSession, FakeWebContents, FakeWebFrameMain } from './fakeWeb.js';

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

/**
 * A forked utility process: records messages, exits when killed or when a test says so. Like the
 * real host it answers a grant with `granted` (unless `answerGrants` is off) and exits after a
 * `shutdown` (unless `exitOnShutdown` is off: a host stuck in its autosave), each a tick later.
 */
export class FakeUtilityProcess extends EventEmitter {
  readonly messages: { message: unknown; ports: FakePort[] }[] = [];
  killed = false;
  exited = false;
  answerGrants = true;
  exitOnShutdown = true;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { env?: Record<string, string | undefined>; serviceName?: string },
  ) {
    super();
  }
  /** The parent messages it got (grants, secrets, shutdown), without the port hand-offs. */
  get control(): { type: string; [key: string]: unknown }[] {
    return this.messages.map((m) => m.message as { type: string }).filter((m) => m.type !== 'port');
  }
  postMessage(message: unknown, ports: FakePort[] = []): void {
    if (this.exited) throw new Error('postMessage after exit');
    this.messages.push({ message, ports });
    const m = message as { type?: string; handle?: string };
    if (m.type === 'grant' && this.answerGrants) void Promise.resolve().then(() => !this.exited && this.emit('message', { type: 'granted', handle: m.handle }));
    if (m.type === 'shutdown' && this.exitOnShutdown) void Promise.resolve().then(() => this.exit(0));
  }
  kill(): boolean {
    this.killed = true;
    this.exit(0);
    return true;
  }
  /** Exits (once), as a crash or a clean exit would. */
  exit(code: number | null): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code);
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
  /** As the first window's main frame would invoke it. */
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.invokeFrom(fromWindow(), channel, ...args);
  }
  async invokeFrom(event: FakeIpcEvent, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

export interface FakeIpcEvent {
  sender: FakeWebContents | undefined;
  senderFrame: FakeWebFrameMain | null;
}
/** The event of an IPC message from a window's main frame (or from `frame`, e.g. an iframe). */
export function fromWindow(win = FakeBrowserWindow.all[0], frame?: FakeWebFrameMain): FakeIpcEvent {
  return { sender: win?.webContents, senderFrame: frame ?? win?.webContents.mainFrame ?? null };
}
export const ipcMain = new FakeIpcMain();

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
  showErrorBox: vi.fn(),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
};

/** Reversible but not plain: a marker, then the bytes XOR 0x5a. */
const scramble = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
export const safeStorage = {
  available: true,
  /** Linux only in Electron: 'basic_text' means no keyring (the "encryption" is a fixed key). */
  backend: 'gnome_libsecret' as 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown',
  isEncryptionAvailable: () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
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

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
/** protocol: records privileged schemes and keeps handlers, which tests call with a Request. */
export const protocol = {
  privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges?: Record<string, boolean> }[]) => void protocol.privileged.push(...schemes)),
  handle: vi.fn((scheme: string, handler: ProtocolHandler) => {
    if (protocol.handlers.has(scheme)) throw new Error(`second handler for ${scheme}`);
    protocol.handlers.set(scheme, handler);
  }),
};

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
  /** Emits an event main may cancel (before-quit); returns whether it called preventDefault(). */
  cancellableEmit(event: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) });
    return prevented;
  }
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
  safeStorage.backend = 'gnome_libsecret';
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
  app.reset();
  vi.clearAllMocks();
}
