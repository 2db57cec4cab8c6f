/** Worker thread body for `ArticlePool`: analyses and prepares articles sent by the main thread. */
import { parentPort } from 'node:worker_threads';
import { runPackedJob, type ArticleJob } from './pool.js';

parentPort!.on('message', (message: { id: number; job: ArticleJob }) => {
  try {
    const { result, transfer } = runPackedJob(message.job);
    parentPort!.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
