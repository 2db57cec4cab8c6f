/** Worker thread body for `ArticlePool`: analyses and prepares the batches of articles the main thread sends, and answers each batch in one message. */
import { parentPort } from 'node:worker_threads';
import { runPackedJob, type ArticleJob, type PackedResult } from './pool.js';

parentPort!.on('message', async (message: { jobs: Array<{ id: number; job: ArticleJob }> }) => {
  const results: Array<{ id: number; result?: PackedResult; error?: string }> = [];
  const transfer: ArrayBuffer[] = [];
  for (const { id, job } of message.jobs) {
    try {
      const packed = await runPackedJob(job);
      results.push({ id, result: packed.result });
      transfer.push(...packed.transfer);
    } catch (error) {
      results.push({ id, error: (error as Error).stack ?? String(error) });
    }
  }
  parentPort!.postMessage({ results }, transfer);
});
