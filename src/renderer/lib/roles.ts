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
