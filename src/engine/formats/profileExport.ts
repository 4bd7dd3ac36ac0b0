import type { ProfileSpan } from '../../shared/protocol';

/** A span placed for export: times clipped so that every span nests inside the one below it. */
export interface PlacedSpan {
  span: ProfileSpan;
  start: number;
  end: number;
  depth: number;
}

interface SpanNode {
  span: ProfileSpan;
  children: SpanNode[];
}

/**
 * Orders spans for export, parents before children, and nests them properly whatever the input.
 * The tree is rebuilt from end order (the profiler's own order: children end before their parent),
 * which also settles zero-length spans sharing a timestamp. Spans from several turns, or given out of
 * order, are laid out in time order. Overlapping spans that do not nest are clipped to their parent;
 * spans with non-finite times are skipped. The result is sorted by start.
 */
export function layoutSpans(spans: readonly ProfileSpan[]): PlacedSpan[] {
  const byEnd = spans
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end))
    .sort((a, b) => Math.max(a.start, a.end) - Math.max(b.start, b.end)); // stable: keeps given order on ties
  const pending: SpanNode[] = [];
  for (const span of byEnd) {
    const children: SpanNode[] = [];
    for (let top = pending.at(-1); top !== undefined && isChild(top.span, span); top = pending.at(-1)) {
      children.push(top);
      pending.pop();
    }
    pending.push({ span, children: children.reverse() });
  }
  const order: Array<{ span: ProfileSpan; depth: number }> = [];
  const visit = (node: SpanNode, depth: number): void => {
    order.push({ span: node.span, depth });
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const root of pending.sort((a, b) => a.span.start - b.span.start)) visit(root, 0);

  const placed: PlacedSpan[] = [];
  const stack: PlacedSpan[] = [];
  let now = -Infinity;
  for (const { span, depth } of order) {
    // Close what ended before this span; at a shared instant close only what is not its ancestor.
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      if (top.end > span.start || (top.end === span.start && stack.length <= depth)) break;
      now = Math.max(now, top.end);
      stack.pop();
    }
    const start = Math.max(span.start, now);
    const parent = stack.at(-1);
    const end = Math.max(start, Math.min(span.end, parent === undefined ? Infinity : parent.end));
    const item: PlacedSpan = { span, start, end, depth: stack.length };
    now = start;
    stack.push(item);
    placed.push(item);
  }
  return placed;
}

function isChild(child: ProfileSpan, parent: ProfileSpan): boolean {
  return child.depth > parent.depth && child.start >= parent.start && child.end <= Math.max(parent.start, parent.end);
}

export interface SpeedscopeEvent {
  type: 'O' | 'C';
  frame: number;
  at: number;
}

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: Array<{ name: string }> };
  profiles: Array<{
    type: 'evented';
    name: string;
    unit: 'milliseconds';
    startValue: number;
    endValue: number;
    events: SpeedscopeEvent[];
  }>;
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

export const EXPORTER = 'finite-memory-studio';

/** A speedscope evented profile (https://www.speedscope.app/file-format-schema.json), times in ms. */
export function toSpeedscope(spans: readonly ProfileSpan[], options: { name: string }): SpeedscopeFile {
  const frames: Array<{ name: string }> = [];
  const frameIndex = new Map<string, number>();
  const events: SpeedscopeEvent[] = [];
  const open: Array<{ frame: number; end: number }> = [];
  const closeUntil = (depth: number): void => {
    while (open.length > depth) {
      const top = open.pop()!;
      events.push({ type: 'C', frame: top.frame, at: top.end });
    }
  };
  const placed = layoutSpans(spans);
  for (const p of placed) {
    closeUntil(p.depth);
    let frame = frameIndex.get(p.span.name);
    if (frame === undefined) {
      frame = frames.push({ name: p.span.name }) - 1;
      frameIndex.set(p.span.name, frame);
    }
    events.push({ type: 'O', frame, at: p.start });
    open.push({ frame, end: p.end });
  }
  closeUntil(0);
  const startValue = events.length > 0 ? events[0].at : 0;
  const endValue = events.length > 0 ? events[events.length - 1].at : 0;
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'evented', name: options.name, unit: 'milliseconds', startValue, endValue, events }],
    name: options.name,
    activeProfileIndex: 0,
    exporter: EXPORTER,
  };
}

export type ChromeTraceEvent =
  | { name: string; cat: string; ph: 'X'; ts: number; dur: number; pid: number; tid: number; args: { turn: number } }
  | { name: 'process_name' | 'thread_name'; ph: 'M'; ts: 0; pid: number; tid: number; args: { name: string } };

/** Chrome trace / Perfetto JSON: complete events, `ts`/`dur` in microseconds (whole nanoseconds). */
export function toChromeTrace(
  spans: readonly ProfileSpan[],
  options: { pid?: number; tid?: number } = {},
): { traceEvents: ChromeTraceEvent[]; displayTimeUnit: 'ms' } {
  const pid = options.pid ?? 1;
  const tid = options.tid ?? 1;
  // Whole nanoseconds: viewers read µs as int64 ns, so integer ns keep parents and children exactly nested.
  const complete = layoutSpans(spans).map((p) => {
    const startNs = Math.round(p.start * 1e6);
    const durNs = Math.round(p.end * 1e6) - startNs;
    return { p, startNs, durNs };
  });
  complete.sort((a, b) => a.startNs - b.startNs || b.durNs - a.durNs); // stable: parent first on full ties
  const traceEvents: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid, tid, args: { name: 'Finite Memory Studio' } },
    { name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name: 'engine' } },
  ];
  for (const { p, startNs, durNs } of complete) {
    const { name, turn } = p.span;
    traceEvents.push({ name, cat: 'engine', ph: 'X', ts: startNs / 1000, dur: durNs / 1000, pid, tid, args: { turn } });
  }
  return { traceEvents, displayTimeUnit: 'ms' };
}
