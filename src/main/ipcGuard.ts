import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { z } from 'zod';
import { isAppPage } from './security.js';

type IpcEvent = IpcMainEvent | IpcMainInvokeEvent;

export interface GuardOptions {
  /** Our one window: only its main frame may talk to main. */
  window: () => BrowserWindow | undefined;
  /** Whether a frame URL is one of our pages (default: app://bundle, or the dev server in `npm run dev`). */
  isAppPage?: (url: string) => boolean;
  /** Where refusals are reported, once per channel (default: console.warn). */
  warn?: (message: string) => void;
}

const sameFrame = (a: WebFrameMain, b: WebFrameMain): boolean => a === b || (a.processId === b.processId && a.routingId === b.routingId);

/**
 * Registers IPC handlers that answer only our window's main frame showing one of our pages, with
 * arguments that pass their zod schema. Anything else is refused (invoke rejects, send is dropped)
 * and reported once per channel, without echoing what was sent.
 */
export class IpcGuard {
  readonly #o: GuardOptions;
  readonly #warned = new Set<string>();

  constructor(options: GuardOptions) {
    this.#o = options;
  }

  /** Why this event may not be answered, or undefined when it may. */
  refusal(event: IpcEvent): string | undefined {
    const win = this.#o.window();
    if (!win || win.isDestroyed() || event.sender !== win.webContents) return 'not from the app window';
    const frame = event.senderFrame;
    if (!frame || frame.parent || !sameFrame(frame, event.sender.mainFrame)) return 'not from the main frame';
    if (!(this.#o.isAppPage ?? isAppPage)(frame.url)) return 'not from an app page';
    return undefined;
  }

  handle<A extends z.ZodTuple>(channel: string, args: A, handler: (event: IpcMainInvokeEvent, args: z.output<A>) => unknown): void {
    ipcMain.handle(channel, (event, ...raw: unknown[]) => {
      const why = this.refusal(event);
      if (why) throw new Error(this.#refuse(channel, why));
      const parsed = args.safeParse(raw);
      if (!parsed.success) throw new Error(this.#refuse(channel, `invalid arguments (${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.code}`).join(', ')})`));
      return handler(event, parsed.data);
    });
  }

  on(channel: string, handler: (event: IpcMainEvent) => void): void {
    ipcMain.on(channel, (event, ...raw: unknown[]) => {
      const why = this.refusal(event) ?? (raw.length > 0 ? 'unexpected arguments' : undefined);
      if (why) return void this.#refuse(channel, why);
      handler(event);
    });
  }

  #refuse(channel: string, why: string): string {
    const message = `${channel} refused: ${why}`;
    if (!this.#warned.has(channel)) {
      this.#warned.add(channel);
      (this.#o.warn ?? console.warn)(`fms: ${message} (further refusals on this channel are not logged)`);
    }
    return message;
  }
}
