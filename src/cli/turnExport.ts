import type { TurnTelemetry } from '../engine/node/otel/index.js';
import { otelTracesUrl } from '../engine/node/otel/config.js';
import { VERSION } from './help.js';

/** A command's turn export: the recorder to feed, and the end that sends what is queued. */
export interface CliTurnExport {
  telemetry: TurnTelemetry;
  /** Sends the spans still queued before the process ends; says on stderr how many never reached the collector. */
  finish(): Promise<void>;
}

/**
 * OpenTelemetry export of a command's turns (fms replay, fms chat) when the environment names an OTLP
 * endpoint; undefined otherwise (the SDK loads only then). A failing collector is one line on stderr,
 * the dropped-spans line at the end; the command's output and exit code stay the same.
 */
export async function startTurnExport(context: () => { model?: string; policy: string }): Promise<CliTurnExport | undefined> {
  if (!otelTracesUrl(process.env)) return undefined;
  const { startTurnTelemetry, droppedLine } = await import('../engine/node/otel/index.js');
  let finishing = false;
  const telemetry = await startTurnTelemetry({
    env: process.env,
    serviceName: 'fms',
    version: VERSION,
    clock: () => performance.now(),
    context,
    // a failure while finishing is said once, by the dropped-spans line
    onFirstFailure: (line) => void (finishing || process.stderr.write(`fms: OpenTelemetry: ${line}\n`)),
  });
  if (!telemetry) return undefined;
  return {
    telemetry,
    finish: async () => {
      finishing = true;
      const line = droppedLine(await telemetry.finish());
      if (line) process.stderr.write(line);
    },
  };
}
