import { version } from '../../package.json';
import { isOtlpEndpoint, type HostEvent, type TelemetryStatus } from '../shared/protocol.js';
import { otelTracesUrl } from '../engine/node/otel/config.js';
import type { TurnTelemetry } from '../engine/node/otel/index.js';
import { JsonMemory } from './backendMemory.js';
import type { HostContext } from './context.js';

type Env = Record<string, string | undefined>;

/**
 * The engine's turn export (OpenTelemetry) and where it goes: the environment's OTEL_EXPORTER_OTLP_ENDPOINT
 * (or _TRACES_ENDPOINT), unless the Settings chose an endpoint (or none), which is remembered beside the
 * autosave and wins over the environment from then on. The SDK loads only when an endpoint is in use.
 */
export class HostTelemetry {
  readonly #env: Env;
  /** The Settings' endpoint ('' for none); without it a restart goes back to the environment's endpoint. */
  readonly #memory: JsonMemory<string>;
  #status: TelemetryStatus = { source: 'off' };

  constructor(env: Env | undefined, file: string | undefined) {
    this.#env = env ?? {};
    this.#memory = new JsonMemory(file, 'telemetry settings', (value) => {
      const endpoint = (value as { endpoint?: unknown } | null)?.endpoint;
      return typeof endpoint === 'string' && (endpoint === '' || isOtlpEndpoint(endpoint)) ? endpoint : undefined;
    });
  }

  get status(): TelemetryStatus {
    return this.#status;
  }

  /** At start: export to the endpoint the Settings remembered, else the environment's (the caller installs it once a restore is done). */
  async start(ctx: HostContext): Promise<TurnTelemetry | undefined> {
    return this.#use(ctx, await this.#memory.recall());
  }

  /** The Settings' endpoint ('' for none): the current export sends what it holds and stops, the new one starts. */
  async set(ctx: HostContext, endpoint: string): Promise<void> {
    await finishTelemetry(ctx.telemetry);
    ctx.telemetry = undefined;
    ctx.telemetry = await this.#use(ctx, endpoint);
    await this.#memory.remember({ endpoint });
    ctx.emit({ type: 'telemetryChanged', ...this.#status });
  }

  async #use(ctx: HostContext, settings: string | undefined): Promise<TurnTelemetry | undefined> {
    const env: Env = settings === undefined ? this.#env : { ...this.#env, OTEL_EXPORTER_OTLP_ENDPOINT: settings || undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined };
    const telemetry = await startHostTelemetry(ctx, env);
    const endpoint = telemetry ? (settings || this.#env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || this.#env.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined;
    this.#status = endpoint ? { endpoint, source: settings === undefined ? 'environment' : 'settings' } : { source: 'off' };
    return telemetry;
  }

}

/**
 * Turn export for the host's engine (OpenTelemetry, on when `env` names an OTLP endpoint; the SDK loads only
 * then). The spans carry the connected model and the session's policy. The first failed export is said once,
 * as a `telemetry-export-failed` warning the UI shows and on stderr; the host goes on.
 */
export async function startHostTelemetry(ctx: HostContext, env: Env | undefined): Promise<TurnTelemetry | undefined> {
  if (!env || !otelTracesUrl(env)) return undefined;
  try {
    const { startTurnTelemetry } = await import('../engine/node/otel/index.js');
    return await startTurnTelemetry({
      env,
      serviceName: 'fms-engine-host',
      version,
      clock: ctx.clock,
      context: () => ({ model: ctx.backend.current?.model, policy: ctx.state.config.policy }),
      onFirstFailure: (line) => {
        const message = `OpenTelemetry: ${line}; spans are dropped while it fails`;
        process.stderr.write(`engine-host: ${message}\n`);
        ctx.emit({ type: 'warning', turn: ctx.state.engine.turn, code: 'telemetry-export-failed', message });
      },
    });
  } catch (err) {
    // the SDK did not load: the host runs without export, and says so
    process.stderr.write(`engine-host: OpenTelemetry export is off: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** Sends the spans still queued; spans that never reached the collector are counted on stderr. */
export async function finishTelemetry(telemetry: TurnTelemetry | undefined): Promise<void> {
  if (!telemetry) return;
  const summary = await telemetry.finish();
  if (summary.dropped > 0) process.stderr.write(`engine-host: OpenTelemetry: ${summary.dropped} spans dropped${summary.failure ? ` (${summary.failure})` : ''}\n`);
}

/** Hands an event to turn export: the engine's events, and a reply's outcome (chatDone) to its turn. */
export function observeForTelemetry(telemetry: TurnTelemetry, event: HostEvent): void {
  if (event.type === 'chatDone') {
    const usage = event.backendUsage ? { inputTokens: event.backendUsage.promptTokens, outputTokens: event.backendUsage.completionTokens } : undefined;
    telemetry.reply(event.turn, { finishReason: event.finishReason, ...(usage ? { usage } : {}) });
  } else telemetry.observe(event);
}
