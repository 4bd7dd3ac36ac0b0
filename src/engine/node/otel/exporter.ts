/**
 * The OpenTelemetry side of turn export: the official SDK (a BasicTracerProvider with a BatchSpanProcessor) and
 * its OTLP/HTTP trace exporter, which read OTEL_EXPORTER_OTLP_* and OTEL_SERVICE_NAME themselves. Loaded only
 * when an endpoint is set (index.ts imports this module on demand).
 */
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { BasicTracerProvider, BatchSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtelSdk } from './sdk.js';
import { layoutSpans } from '../../formats/profileExport.js';
import type { TurnRecord } from './turnRecorder.js';

export interface TurnExporterOptions {
  /** The traces URL (otelTracesUrl of `env`). */
  url: string;
  /** Where OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_SCHEDULE_DELAY and the exporter's timeout are read. */
  env: Record<string, string | undefined>;
  /** service.name when OTEL_SERVICE_NAME does not say. */
  serviceName: string;
  version: string;
  /** Converts the engine's clock (ms) to ms since the epoch. */
  toEpochMs: (engineMs: number) => number;
  /** Called once, the first time an export fails, with one line saying why. */
  onFirstFailure: (line: string) => void;
  /** Spans held for export beyond the processor's queue (a replay ends its turns faster than they can be sent). */
  maxBacklogSpans?: number;
}

/** What export came to: spans made, spans the collector took, and the first failure, if any. */
export interface ExportSummary {
  spans: number;
  exported: number;
  dropped: number;
  failure?: string;
}

const DEFAULT_QUEUE = 2048;
const DEFAULT_BACKLOG = 65_536;
/** The exporter's deadline per export, retries included, unless OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT says: an unreachable collector must not hold a CLI's exit for long. */
const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_DELAY_MS = 1000;

/**
 * Turns into spans, with a bounded queue: the processor holds at most `maxQueueSize` spans not yet settled by
 * the exporter, and the turns that do not fit wait in a backlog of at most `maxBacklogSpans` spans (beyond
 * that they are dropped and counted). A failed export is counted, never thrown: the chat or replay goes on.
 */
export class TurnExporter {
  readonly #provider: BasicTracerProvider;
  readonly #processor: BatchSpanProcessor;
  readonly #tracer: Tracer;
  readonly #options: TurnExporterOptions;
  readonly #sdk: OtelSdk;
  readonly #maxQueue: number;
  readonly #maxBacklog: number;
  #backlog: TurnRecord[] = [];
  #backlogSpans = 0;
  /** Spans handed to the processor whose export has not settled. */
  #inFlight = 0;
  #spans = 0;
  #exported = 0;
  #failure: string | undefined;

  constructor(sdk: OtelSdk, options: TurnExporterOptions) {
    this.#sdk = sdk;
    this.#options = options;
    const { BasicTracerProvider, BatchSpanProcessor } = sdk.trace;
    const { detectResources, envDetector, resourceFromAttributes } = sdk.resources;
    const { env } = options;
    this.#maxQueue = positive(env.OTEL_BSP_MAX_QUEUE_SIZE) ?? DEFAULT_QUEUE;
    this.#maxBacklog = options.maxBacklogSpans ?? DEFAULT_BACKLOG;
    const timed = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT || env.OTEL_EXPORTER_OTLP_TIMEOUT;
    // the URL as `env` gives it (the same rule as the SDK's); headers, compression and the rest the SDK reads from process.env
    const exporter = new sdk.otlp.OTLPTraceExporter({ url: options.url, ...(timed ? {} : { timeoutMillis: DEFAULT_TIMEOUT_MS }) });
    this.#processor = new BatchSpanProcessor(this.#watch(exporter), {
      maxQueueSize: this.#maxQueue,
      ...(env.OTEL_BSP_SCHEDULE_DELAY ? {} : { scheduledDelayMillis: DEFAULT_DELAY_MS }),
    });
    const resource = resourceFromAttributes({ [sdk.semconv.ATTR_SERVICE_NAME]: options.serviceName }).merge(detectResources({ detectors: [envDetector] }));
    this.#provider = new BasicTracerProvider({ resource, spanProcessors: [this.#processor] });
    this.#tracer = this.#provider.getTracer('finite-memory-studio', options.version);
  }

  /** Queues one turn's spans (the turn and its profiler spans) for export. */
  add(record: TurnRecord): void {
    const size = 1 + record.spans.length;
    this.#spans += size;
    if (this.#backlogSpans + size > this.#maxBacklog) return; // dropped: counted as not exported
    this.#backlog.push(record);
    this.#backlogSpans += size;
    this.#drain();
  }

  /**
   * Sends everything still queued and stops the SDK. Without a failure so far the whole backlog is sent; after
   * one, what is left in the backlog is dropped (each export would wait for the collector's deadline).
   */
  async finish(): Promise<ExportSummary> {
    try {
      while (this.#backlog.length > 0 && this.#failure === undefined) {
        await this.#processor.forceFlush();
        this.#drain();
      }
      this.#backlog = [];
      this.#backlogSpans = 0;
      await this.#provider.shutdown();
    } catch (err) {
      this.#fail(err);
    }
    return { spans: this.#spans, exported: this.#exported, dropped: this.#spans - this.#exported, ...(this.#failure ? { failure: this.#failure } : {}) };
  }

  /** Moves backlog turns into the processor while they fit in its queue. */
  #drain(): void {
    let i = 0;
    for (; i < this.#backlog.length; i++) {
      const size = 1 + this.#backlog[i].spans.length;
      if (this.#inFlight + size > this.#maxQueue) break;
      this.#inFlight += size;
      this.#backlogSpans -= size;
      this.#emit(this.#backlog[i]);
    }
    if (i > 0) this.#backlog = i === this.#backlog.length ? [] : this.#backlog.slice(i);
  }

  /** Creates the turn's span and its profiler spans (nested as the profiler nested them), all with their own times. */
  #emit(record: TurnRecord): void {
    const toEpoch = this.#options.toEpochMs;
    const placed = layoutSpans(record.spans);
    let start = Infinity;
    let end = -Infinity;
    for (const p of placed) {
      start = Math.min(start, p.start);
      end = Math.max(end, p.end);
    }
    if (!Number.isFinite(start)) start = end = record.closedAt;
    if (record.reply?.at !== undefined) end = Math.max(end, record.reply.at); // a failed generation ran after its last span
    const { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } = this.#sdk.api;
    const model = record.model;
    const failed = record.reply?.error !== undefined;
    const turn = this.#tracer.startSpan(
      model ? `chat ${model}` : 'chat',
      { kind: record.reply ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: toEpoch(start), attributes: turnAttributes(this.#sdk, record) },
      ROOT_CONTEXT,
    );
    if (failed) turn.setStatus({ code: SpanStatusCode.ERROR, message: record.reply?.error });
    const stack: Span[] = [];
    for (const p of placed) {
      stack.length = p.depth;
      const span = this.#tracer.startSpan(p.span.name, { startTime: toEpoch(p.start) }, trace.setSpan(ROOT_CONTEXT, stack.at(-1) ?? turn));
      span.end(toEpoch(p.end));
      stack.push(span);
    }
    turn.end(toEpoch(end));
  }

  /** Wraps the exporter to count what it sent and report its first failure; its errors go nowhere else. */
  #watch(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans, done) => {
        exporter.export(spans, (result) => {
          this.#inFlight -= spans.length;
          if (result.code === 0) this.#exported += spans.length;
          else this.#fail(result.error);
          done(result);
          this.#drain();
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: async () => exporter.forceFlush?.(),
    };
  }

  #fail(err: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = `export to ${this.#options.url} failed: ${reason(err)}`;
    this.#options.onFirstFailure(this.#failure);
  }
}

/** The shortest true reason of an export error: a socket error's code, an HTTP status, or the message. */
function reason(err: unknown): string {
  if (err === undefined || err === null) return 'unknown error';
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  if (typeof e.code === 'number') return `HTTP ${e.code}${e.message ? ` ${String(e.message)}` : ''}`;
  if (Array.isArray(e.errors) && e.errors.length > 0) return reason(e.errors[0]);
  return typeof e.message === 'string' && e.message ? e.message : String(err);
}

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * A turn's attributes: the GenAI semantic conventions' chat attributes (the backend's token counts when it gave
 * them, else ours: the prompt the engine built and the assistant's tokens) and ours under `fms.`.
 */
export function turnAttributes(sdk: OtelSdk, record: TurnRecord): Attributes {
  const { stats, reply } = record;
  const { ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_RESPONSE_FINISH_REASONS, ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, GEN_AI_OPERATION_NAME_VALUE_CHAT } = sdk.incubating;
  const { ATTR_ERROR_TYPE } = sdk.semconv;
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: reply?.usage?.inputTokens ?? record.promptTokens,
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: reply?.usage?.outputTokens ?? record.outputTokens,
    'fms.policy': record.policy,
    'fms.context.tokens': stats.contextTokens,
    'fms.evicted.tokens': stats.evictedTokens,
    'fms.engine.ms': stats.engineMs,
    'fms.turn': stats.turn,
    'fms.max_tokens': record.maxTokens,
  };
  if (record.recalledTokens !== undefined) attributes['fms.recalled.tokens'] = record.recalledTokens;
  if (record.model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = record.model;
  if (reply?.finishReason) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [reply.finishReason];
  if (reply?.error !== undefined) attributes[ATTR_ERROR_TYPE] = reply.errorType ?? 'generation';
  return attributes;
}
