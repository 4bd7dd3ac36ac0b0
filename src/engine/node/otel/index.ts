/**
 * OpenTelemetry export of every engine turn, on when OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set. Each turn becomes one span after the GenAI semantic conventions
 * (`chat <model>`) with the engine's profiler spans of the turn as its children. This module is light: the SDK
 * loads (exporter.ts) only when an endpoint is set, so a run without one pays nothing.
 */
import type { EngineEvent, HostEvent } from '../../../shared/protocol.js';
import { otelTracesUrl } from './config.js';
import type { ExportSummary } from './exporter.js';
import { TurnRecorder, type RecorderOptions, type ReplyInfo, type TurnRecord } from './turnRecorder.js';

export { otelTracesUrl } from './config.js';
export type { ReplyInfo, TurnRecord } from './turnRecorder.js';
export type { ExportSummary } from './exporter.js';

export interface TurnTelemetryOptions extends RecorderOptions {
  env: Record<string, string | undefined>;
  /** service.name when OTEL_SERVICE_NAME does not set one. */
  serviceName: string;
  version: string;
  /** Converts the engine's clock to ms since the epoch (default: the clock is performance.now()). */
  toEpochMs?: (engineMs: number) => number;
  /** Called once, with one line, the first time an export fails. */
  onFirstFailure: (line: string) => void;
  maxBacklogSpans?: number;
}

/** Turn export for one engine's owner: feed it the engine's events, tell it about replies, finish it at the end. */
export interface TurnTelemetry {
  /** The traces URL export goes to. */
  readonly url: string;
  /** Takes one engine event (host events are ignored). */
  observe(event: EngineEvent | HostEvent): void;
  /** The reply of `turn` is being generated: its span waits for `reply`. */
  awaitReply(turn: number): void;
  /** How the reply of `turn` ended. */
  reply(turn: number, info: ReplyInfo): void;
  /** Exports turns recorded elsewhere (made by hand or by another recorder). */
  exportTurns(records: readonly TurnRecord[]): void;
  /** Sends what is queued and stops; says how many spans were dropped and why. */
  finish(): Promise<ExportSummary>;
}

/** Starts turn export when the environment names an endpoint; undefined (nothing loaded) when it does not. */
export async function startTurnTelemetry(options: TurnTelemetryOptions): Promise<TurnTelemetry | undefined> {
  const url = otelTracesUrl(options.env);
  if (!url) return undefined;
  const [{ TurnExporter }, { loadOtelSdk }] = await Promise.all([import('./exporter.js'), import('./sdk.js')]);
  const origin = performance.timeOrigin;
  const exporter = new TurnExporter(await loadOtelSdk(), {
    url,
    env: options.env,
    serviceName: options.serviceName,
    version: options.version,
    toEpochMs: options.toEpochMs ?? ((ms) => origin + ms),
    onFirstFailure: options.onFirstFailure,
    ...(options.maxBacklogSpans !== undefined ? { maxBacklogSpans: options.maxBacklogSpans } : {}),
  });
  const recorder = new TurnRecorder(options, (record) => exporter.add(record));
  let finished: Promise<ExportSummary> | undefined;
  return {
    url,
    observe: (event) => recorder.observe(event),
    awaitReply: (turn) => recorder.awaitReply(turn),
    reply: (turn, info) => recorder.reply(turn, info),
    exportTurns: (records) => records.forEach((r) => exporter.add(r)),
    finish: () => {
      if (!finished) {
        recorder.release();
        finished = exporter.finish();
      }
      return finished;
    },
  };
}

/** The CLI's line about spans that did not reach the collector (undefined when all did). */
export function droppedLine(summary: ExportSummary): string | undefined {
  if (summary.dropped === 0) return undefined;
  const why = summary.failure ? ` (${summary.failure})` : '';
  return `fms: OpenTelemetry: ${summary.dropped} span${summary.dropped === 1 ? '' : 's'} dropped${why}\n`;
}
