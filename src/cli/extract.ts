import { extract } from '../extract/index.js';
import { formatMessage } from '../errors.js';
import { readSources } from '../sources/index.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.js';
import { parseMaxBytes } from './ingest.js';

export const extractCommand: Command = {
  name: 'extract',
  summary: 'Extract text and metadata from inputs without touching a database; one JSON line per input with --json.',
  usage: 'extract FILE... [--json] [--max-bytes N]',
  help: ['--json             one JSON object per line: {input, title, text, author, published, outlet, url, language, provenance, removed}', '--max-bytes N      largest input accepted (default 20 MB)'],
  options: { json: { type: 'boolean' }, 'max-bytes': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('give at least one file, folder, glob or - (stdin)');
    let failed = 0;
    for await (const item of readSources(positionals, { maxBytes: parseMaxBytes(values['max-bytes'] as string | undefined) })) {
      if ('file' in item) continue;
      if ('message' in item) { io.stderr.write(`${formatMessage(item.message)}\n`); failed++; continue; }
      const { article, messages } = extract(item.document);
      for (const m of messages) io.stderr.write(`${formatMessage(m)}\n`);
      if (!article) { failed++; continue; }
      if (values.json) io.stdout.write(`${JSON.stringify(article)}\n`);
      else {
        const meta = [article.outlet, article.published, article.author.join(', ')].filter(Boolean).join(' · ');
        io.stdout.write(`== ${article.input}\n${article.title ?? '(no title)'}${meta ? `\n${meta}` : ''}\n\n${article.text}\n`);
        if (article.provenance.length > 0) io.stdout.write(`\nprovenance: ${article.provenance.map((p) => p.origin).join(', ')}\n`);
        io.stdout.write('\n');
      }
    }
    return failed > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
