import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One received span, decoded from OTLP/HTTP JSON: ids in hex, times in ns (bigint), attributes as plain values. */
export interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
  status?: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}

interface KeyValue {
  key: string;
  value: AnyValue;
}

function value(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

const attributesOf = (list: KeyValue[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));

/** Spans of one ExportTraceServiceRequest in OTLP's JSON encoding (what OTLPTraceExporter sends). */
export function decodeTraces(body: string): ReceivedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans?: Array<{
      resource?: { attributes?: KeyValue[] };
      scopeSpans?: Array<{ spans?: Array<{ name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; startTimeUnixNano: string | number; endTimeUnixNano: string | number; attributes?: KeyValue[]; status?: { code?: number; message?: string } }> }>;
    }>;
  };
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          name: s.name,
          kind: s.kind,
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          start: BigInt(s.startTimeUnixNano),
          end: BigInt(s.endTimeUnixNano),
          attributes: attributesOf(s.attributes),
          ...(s.status ? { status: s.status } : {}),
          resource,
        });
      }
    }
  }
  return out;
}

export interface OtlpReceiver {
  /** The base endpoint (for OTEL_EXPORTER_OTLP_ENDPOINT): traces go to `${endpoint}/v1/traces`. */
  endpoint: string;
  spans: ReceivedSpan[];
  /** POST requests received (refused ones too). */
  requests: number;
  /** Headers of the last request. */
  lastHeaders: Record<string, string | string[] | undefined>;
  /** Resolves once at least `n` spans have arrived (or, refusing, once `n` requests have). */
  waitFor(n: number, what?: 'spans' | 'requests'): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real OTLP/HTTP receiver on 127.0.0.1 for tests: accepts POST /v1/traces with a JSON body and answers 200
 * with an empty partial-success, or `status` (e.g. 500) to refuse every export.
 */
export async function startOtlpReceiver(options: { status?: number } = {}): Promise<OtlpReceiver> {
  const status = options.status ?? 200;
  let waiters: Array<() => void> = [];
  const receiver: OtlpReceiver = {
    endpoint: '',
    spans: [],
    requests: 0,
    lastHeaders: {},
    waitFor: (n, what = 'spans') =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if ((what === 'spans' ? receiver.spans.length : receiver.requests) >= n) resolve();
          else waiters.push(check);
        };
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      receiver.requests++;
      receiver.lastHeaders = req.headers;
      if (status === 200) receiver.spans.push(...decodeTraces(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{}' : '{"message":"refused"}');
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
