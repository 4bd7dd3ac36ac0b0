import type { DownloadProgress } from '../../backend.js';

/** The fields of a transformers.js progress event that we read. */
export interface ProgressEvent {
  status: string;
  name?: string;
  file?: string;
  model?: string;
  progress?: number;
  loaded?: number;
  total?: number;
}

const FILE_STATUSES = new Set(['initiate', 'download', 'progress', 'done']);

/** Maps a transformers.js `progress_callback` event to ours; undefined for aggregate events. */
export function toDownloadProgress(e: ProgressEvent): DownloadProgress | undefined {
  if (e.status === 'ready') return { file: e.model ?? e.name ?? '', loaded: 0, total: 0, percent: 100, status: 'ready' };
  if (!FILE_STATUSES.has(e.status)) return undefined;
  const loaded = e.loaded ?? 0;
  const total = e.total ?? 0;
  const percent = e.progress ?? (e.status === 'done' ? 100 : total > 0 ? (100 * loaded) / total : 0);
  return {
    file: e.file ?? e.name ?? '',
    loaded,
    total,
    percent: Math.max(0, Math.min(100, percent)),
    status: e.status as DownloadProgress['status'],
  };
}

/** A progress_callback for one load: `done` events carry the file's last known byte counts. */
export function progressCallback(onProgress: (p: DownloadProgress) => void): (e: ProgressEvent) => void {
  const sizes = new Map<string, { loaded: number; total: number }>();
  return (e) => {
    const p = toDownloadProgress(e);
    if (!p) return;
    if (p.status === 'progress') sizes.set(p.file, { loaded: p.loaded, total: p.total });
    else if (p.status === 'done') Object.assign(p, sizes.get(p.file));
    onProgress(p);
  };
}
