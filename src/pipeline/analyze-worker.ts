/** Worker thread body for `AnalysisPool`: analyses articles sent by the main thread. */
import { parentPort } from 'node:worker_threads';
import { analyze } from '../analyze/index.js';

parentPort!.on('message', (job: { id: number; text: string; published: string | null }) => {
  try {
    parentPort!.postMessage({ id: job.id, analysis: analyze(job) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).stack ?? String(error) });
  }
});
