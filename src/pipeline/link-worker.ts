/** Worker thread body for `LinkThread`: one linker, fed the prepared texts the main thread sends, answering each request in one message. */
import { parentPort } from 'node:worker_threads';
import { Linker } from '../link/index.js';
import { storedLink, unpackRequest, type LinkReply, type LinkRequest } from './link-thread.js';

const linker = new Linker();

parentPort!.on('message', (request: LinkRequest) => {
  let reply: LinkReply;
  try {
    const prepared = unpackRequest(request);
    const links = request.metas.map((meta, i) => {
      const input = { ...meta, text: '', title: null, sentences: [] };
      if (request.kind === 'remember') {
        linker.remember(input, prepared[i]!);
        return [];
      }
      return linker.add(input, prepared[i]!).map(storedLink);
    });
    reply = { links };
  } catch (error) {
    reply = { error: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
