import { formatMessage } from '../errors.js';
import { reextractAll } from '../pipeline/ingest.js';
import { openStore } from '../store/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_FAILED, EXIT_OK, type Command } from './command.js';
import { summarize } from './ingest.js';

export const reextractCommand: Command = {
  name: 'reextract',
  summary: 'Re-run extraction over every raw input kept in the database (after the extractor improved).',
  usage: 'reextract [--db FILE]',
  help: [dbHelp],
  options: { ...dbOption },
  async run({ values }, io) {
    const store = await openStore(storeOptions(values, io.env));
    try {
      const summary = await reextractAll(store, (event) => {
        if (event.kind === 'document') for (const m of event.messages) io.stderr.write(`${formatMessage(m)}\n`);
      });
      io.stdout.write(`${summarize(summary).replace('ingested', 're-extracted')}\n`);
      return summary.failed > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
