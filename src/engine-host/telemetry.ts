import { version } from '../../package.json';
import type { HostEvent } from '../shared/protocol.js';
import { otelTracesUrl } from '../engine/node/otel/config.js';
import type { TurnTelemetry } from '../engine/node/otel/index.js';
import type { HostContext } from './context.js';

/**
 * Turn export for the host's engine (OpenTelemetry, on when `env` names an OTLP endpoint; the SDK loads only
 * then). The spans carry the connected model and the session's policy. The first failed export is said once,
 * as a `telemetry-export-failed` warning the UI shows and on stderr; the host goes on.
 */
export async function startHostTelemetry(ctx: HostContext, env: Record<string, string | undefined> | undefined): Promise<TurnTelemetry | undefined> {
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

/** Hands an event to turn export: the engine's events, and a reply's outcome (chatDone) to its turn. */
export function observeForTelemetry(telemetry: TurnTelemetry, event: HostEvent): void {
  if (event.type === 'chatDone') {
    const usage = event.backendUsage ? { inputTokens: event.backendUsage.promptTokens, outputTokens: event.backendUsage.completionTokens } : undefined;
    telemetry.reply(event.turn, { finishReason: event.finishReason, ...(usage ? { usage } : {}) });
  } else telemetry.observe(event);
}
