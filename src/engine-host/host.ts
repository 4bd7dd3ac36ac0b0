import { createContext } from './context.js';
import { CommandIntake } from './intake.js';
import type { HostOptions } from './options.js';
import { onParentMessage } from './parentMessages.js';
import { restoreAtStart } from './startup.js';
import { finishTelemetry } from './telemetry.js';

export type { HostOptions } from './options.js';

export type Host = Awaited<ReturnType<typeof createHost>>;

/** The engine host: checks client commands, runs them on the engine one at a time, batches its events to one client. */
export async function createHost(options: HostOptions) {
  const ctx = createContext(options);
  const intake = new CommandIntake(ctx, options.parent);
  const { parent } = options;
  parent?.onMessage((message) => onParentMessage(ctx, parent, message));

  const restored = restoreAtStart(ctx, options);
  // turn export loads beside the restore and starts after it: the restored session's turns are not exported again
  const telemetry = ctx.telemetrySwitch.start(ctx);
  const startup = restored.then(async () => {
    ctx.telemetry = await telemetry;
  });
  // Commands wait until a restore has finished (and export is ready), so a client never sees a half-restored session.
  options.transport.onMessage((data) => {
    void startup.then(() => intake.receive(data));
  });
  await startup;
  // after a restart, the model connection comes back first in line (a download shows its progress)
  const remembered = options.restartReason !== undefined ? await ctx.backend.recall() : undefined;
  if (remembered) intake.enqueue({ type: 'setBackend', backend: remembered });

  return {
    get engine() {
      return ctx.state.engine;
    },
    batcher: ctx.batcher,
    /** Stops work, writes the pending autosave, sends the spans still queued, and lets go of the backend. */
    dispose: async () => {
      ctx.work.abort();
      await ctx.autosave?.flush().catch(() => undefined);
      await finishTelemetry(ctx.telemetry);
      ctx.batcher.dispose();
      await ctx.backend.dispose();
    },
    autosave: ctx.autosave,
  };
}
