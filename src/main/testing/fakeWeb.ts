import { EventEmitter } from 'node:events';

type Callback<T> = (response: T) => void;
type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: Callback<{ responseHeaders?: Record<string, string[]> }>) => void;
type RequestListener = (details: { url: string }, callback: Callback<{ cancel?: boolean }>) => void;

/** Electron's Session as far as main uses it: permission handlers and webRequest hooks. */
export class FakeSession {
  permissionRequest: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | undefined;
  onHeadersReceived: HeadersListener | undefined;
  onBeforeRequest: RequestListener | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => void (this.onHeadersReceived = listener),
    onBeforeRequest: (listener: RequestListener) => void (this.onBeforeRequest = listener),
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
    this.permissionCheck = handler;
  }
}

let nextRoutingId = 1;

/** A frame as main sees it (WebFrameMain): its URL and where it sits in the page. */
export class FakeWebFrameMain {
  readonly processId = 7;
  readonly routingId = nextRoutingId++;
  constructor(
    public url = '',
    readonly parent: FakeWebFrameMain | null = null,
  ) {}
}

/** A WebContents that records what main sends to the page. */
export class FakeWebContents extends EventEmitter {
  destroyed = false;
  readonly mainFrame = new FakeWebFrameMain();
  readonly posted: { channel: string; message: unknown; ports: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  /** Scripts main ran in the page (executeJavaScript). */
  readonly executed: string[] = [];

  async executeJavaScript(code: string): Promise<unknown> {
    this.executed.push(code);
    return undefined;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: string, message: unknown, ports: unknown[] = []): void {
    this.posted.push({ channel, message, ports });
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an event that main may cancel; returns whether it called preventDefault(). */
  cancellable(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

/** A BrowserWindow that never shows anything. */
export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.webContents.destroyed);
  }
  readonly webContents = new FakeWebContents();
  url: string | undefined;
  shown = false;

  constructor(readonly options: { width: number; height: number; x?: number; y?: number; [key: string]: unknown }) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    this.webContents.mainFrame.url = url;
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.webContents.destroyed;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  getBounds() {
    const { width, height, x = 0, y = 0 } = this.options;
    return { width, height, x, y };
  }
}
