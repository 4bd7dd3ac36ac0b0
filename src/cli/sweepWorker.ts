/**
 * The worker thread of `fms sweep` (bundled as dist/cli/sweepWorker.js): loads the tokenizer once, then
 * replays the runs the main thread hands it one at a time and posts each run's figures back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyHubSettings } from '../engine/node/hubEndpoint.js';
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import { runOne } from './sweepRun.js';
import type { SweepJob, SweepWorkerData, WorkerReply } from './sweepPool.js';

const port = parentPort;
if (!port) throw new Error('sweepWorker.js runs in a worker thread (fms sweep starts it)');
const data = workerData as SweepWorkerData;
const post = (reply: WorkerReply): void => port.postMessage(reply);

try {
  if (data.hub) await applyHubSettings(data.hub);
  const tokenizer = await loadTokenizer(data.tokenizer, { allowRemote: true });
  port.on('message', (job: SweepJob) => {
    try {
      const chat = data.chats[job.file];
      post({ type: 'result', index: job.index, figures: runOne(chat.messages, tokenizer, job.config, chat.planted) });
    } catch (err) {
      post({ type: 'error', index: job.index, message: (err as Error).message });
    }
  });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
