/** Worker thread body for `LinkThread`: one linker, fed the prepared texts the main thread sends, answering each request in one message. */
import { parentPort } from 'node:worker_threads';
import { Linker, type PreparedText } from '../link/index.js';
import { storedLink, type LinkReply, type LinkRequest } from './link-thread.js';

const linker = new Linker();

parentPort!.on('message', (request: LinkRequest) => {
  let reply: LinkReply;
  try {
    const links = request.items.map(({ meta, shingles, features, bounds, vocabulary }) => {
      const input = { ...meta, text: '', title: null, sentences: [] };
      const prepared: PreparedText = { shingles, content: [], sentences: { features, bounds }, vocabulary };
      if (request.kind === 'remember') {
        linker.remember(input, prepared);
        return [];
      }
      return linker.add(input, prepared).map(storedLink);
    });
    reply = { links };
  } catch (error) {
    reply = { error: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
