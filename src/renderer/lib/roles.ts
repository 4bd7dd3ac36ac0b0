import type { Role } from '../../shared/protocol';

export const ROLE_COLORS: Record<Role, string> = {
  system: 'var(--system)',
  user: 'var(--user)',
  assistant: 'var(--assistant)',
  tool: 'var(--tool)',
};

/** Canvas needs concrete colours: read the CSS variables once per draw. */
export function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function evictedOf(ranges: readonly number[] | undefined): number {
  if (!ranges) return 0;
  let n = 0;
  for (let i = 0; i < ranges.length; i += 3) n += ranges[i + 1] - ranges[i];
  return n;
}

/**
 * Distinct tokens covered by [from, to, seq] triples: a span evicted, recalled and evicted again
 * appears twice in the list but is one span of the message.
 */
export function coveredOf(ranges: readonly number[] | undefined): number {
  if (!ranges || ranges.length === 0) return 0;
  const spans: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 3) spans.push([ranges[i], ranges[i + 1]]);
  spans.sort((a, b) => a[0] - b[0]);
  let n = 0;
  let at = -Infinity;
  for (const [from, to] of spans) {
    const start = Math.max(from, at);
    if (to > start) n += to - start;
    at = Math.max(at, to);
  }
  return n;
}
