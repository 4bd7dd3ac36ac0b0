/**
 * Runs a sweep's jobs on worker threads: each worker loads the tokenizer once and asks for the next job when it
 * is done with one (dynamic distribution: a slow policy does not hold up a worker's queue). Results are keyed
 * by grid index, so the output's order does not depend on the number of workers.
 */
import { Worker } from 'node:worker_threads';
import type { HubSettings } from '../engine/node/hubEndpoint.js';
import type { EngineConfig } from '../shared/config.js';
import type { ChatMessageData } from '../shared/protocol.js';
import type { PlantedFactsFile } from './sweepFacts.js';
import type { RunFigures } from './sweepRun.js';

/** A chat as every worker holds it (sent once, at the worker's start). */
export interface SweepChat {
  messages: ChatMessageData[];
  planted?: PlantedFactsFile;
}

export interface SweepWorkerData {
  tokenizer: string;
  chats: SweepChat[];
  /** HF_ENDPOINT and the models folder, for a tokenizer loaded from the Hub (applied in each worker: transformers.js's env is per thread). */
  hub?: HubSettings;
}

/** One run for a worker: the grid index, the chat (an index into the chats) and the full configuration. */
export interface SweepJob {
  index: number;
  file: number;
  config: EngineConfig;
}

/** What a worker posts: ready (tokenizer loaded), a run's figures, or an error (with the run's index, or at start). */
export type WorkerReply = { type: 'ready' } | { type: 'result'; index: number; figures: RunFigures } | { type: 'error'; index?: number; message: string };

export interface PoolOptions {
  /** The worker's module (dist/cli/sweepWorker.js). */
  worker: URL;
  /** The module is TypeScript (run from the sources): each thread registers tsx's loader first (threads do not inherit it). */
  typescript?: boolean;
  data: SweepWorkerData;
  jobs: readonly SweepJob[];
  workers: number;
  /** Called after each run with the runs done so far. */
  onRun?: (done: number, total: number) => void;
}

/**
 * Runs every job; resolves with each job's figures by grid index. The first error (a run that throws, a worker
 * that cannot load the tokenizer or exits early) stops every worker and rejects with its message.
 */
export function runPool(options: PoolOptions): Promise<Map<number, RunFigures>> {
  const { jobs, data } = options;
  const results = new Map<number, RunFigures>();
  const count = Math.max(1, Math.min(options.workers, jobs.length));
  if (jobs.length === 0) return Promise.resolve(results);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    const feed = (w: Worker): void => {
      // a worker with no job left idles until the last run is in; then every worker is terminated
      if (next < jobs.length) w.postMessage(jobs[next++]);
    };
    for (let i = 0; i < count; i++) {
      const w = options.typescript
        ? new Worker(`import('tsx/esm/api').then(({ register }) => (register(), import(${JSON.stringify(options.worker.href)})))`, { eval: true, workerData: data })
        : new Worker(options.worker, { workerData: data });
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (reply.type === 'error') return finish(new Error(reply.index === undefined ? reply.message : `run ${reply.index}: ${reply.message}`));
        if (reply.type === 'result') {
          results.set(reply.index, reply.figures);
          options.onRun?.(results.size, jobs.length);
          if (results.size === jobs.length) return finish();
        }
        feed(w);
      });
      w.on('error', (err) => finish(err));
      w.on('exit', (code) => finish(new Error(`a sweep worker exited (code ${code}) with ${jobs.length - results.size} runs left`)));
    }
  });
}
