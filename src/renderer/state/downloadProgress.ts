import type { HostEvent } from '../../shared/protocol.js';

/** The model download the Settings dialog shows: one file, with what picks it (its size, whether it is done). */
export interface DownloadShown {
  file: string;
  percent: number;
  /** Bytes, 0 while unknown. */
  total: number;
  done: boolean;
}

type ModelProgress = Extract<HostEvent, { type: 'modelProgress' }>;

/**
 * The download to show after a modelProgress event; undefined once the model is loaded (`ready`).
 * Files load side by side (the weights beside generation_config.json), so a small file that finishes
 * must not hide a larger one still in flight: an event takes the line when it is about the file shown,
 * when the shown file is done, or when its file is at least as large.
 */
export function nextDownload(shown: DownloadShown | undefined, e: ModelProgress): DownloadShown | undefined {
  if (e.status === 'ready') return undefined;
  const next = { file: e.file, percent: e.percent, total: e.total, done: e.status === 'done' || e.percent >= 100 };
  return !shown || shown.done || shown.file === e.file || e.total >= shown.total ? next : shown;
}
