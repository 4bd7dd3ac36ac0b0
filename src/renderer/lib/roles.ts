import type { Role } from '../../shared/protocol';

export const ROLE_COLORS: Record<Role, string> = {
  system: 'var(--system)',
  user: 'var(--user)',
  assistant: 'var(--assistant)',
  tool: 'var(--tool)',
};

const colors = new Map<string, string>();
let colorsTheme: string | undefined;

/**
 * Canvas needs concrete colours: the CSS variable's value, read once per theme. Reading it on every
 * draw made the canvases' draws recalculate the page's styles (dirty after the other views' commits
 * in the same frame) before they could start.
 */
export function cssColor(name: string): string {
  const theme = document.documentElement.dataset.theme;
  if (theme !== colorsTheme) {
    colors.clear();
    colorsTheme = theme;
  }
  let color = colors.get(name);
  if (color === undefined) colors.set(name, (color = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888'));
  return color;
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
