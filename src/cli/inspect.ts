import { analyze } from '../analyze/index.js';
import type { Analysis } from '../analyze/types.js';
import { analysisJson } from '../present/analysis.js';
import { formatMessage } from '../errors.js';
import { extract } from '../extract/index.js';
import { readSources } from '../sources/index.js';
import type { ExtractedArticle } from '../types.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.js';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show one article\'s analysis: sentences, entities with roles and aliases, quotes with speakers, quantities, dates.',
  usage: 'inspect FILE [--json]',
  help: ['--json             the complete analysis as JSON (schema: docs/schema/analysis.schema.json)'],
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give one file (or - for stdin)');
    let failed = false;
    for await (const item of readSources(positionals)) {
      if ('file' in item) continue;
      if ('message' in item) { io.stderr.write(`${formatMessage(item.message)}\n`); failed = true; continue; }
      const { article, messages } = extract(item.document);
      for (const m of messages) io.stderr.write(`${formatMessage(m)}\n`);
      if (!article) { failed = true; continue; }
      const analysis = analyze(article);
      io.stdout.write(values.json ? `${JSON.stringify(analysisJson(article, analysis))}\n` : renderAnalysis(article, analysis));
    }
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};

function renderAnalysis(article: ExtractedArticle, analysis: Analysis): string {
  const json = analysisJson(article, analysis);
  const actorName = new Map(json.actors.map((a) => [a.id, a.name]));
  const out: string[] = [`== ${article.input}`, `${article.title ?? '(no title)'}${article.published ? ` · ${article.published}` : ''}`, ''];
  out.push(`SENTENCES (${json.sentences.length})`);
  json.sentences.forEach((s, i) => out.push(`  ${String(i + 1).padStart(3)}. ${article.text.slice(s.span[0], s.span[1]).replace(/\s+/g, ' ')}`));
  out.push('', `ACTORS (${json.actors.length})`);
  for (const a of json.actors) {
    const roles = a.roles.map((r) => `${r.title}${r.affiliation ? ` (${actorName.get(r.affiliation) ?? r.affiliation})` : ''}`);
    out.push(`  ${a.id.padEnd(4)} ${a.name} [${a.type}] key=${a.key}${roles.length ? ` — ${roles.join('; ')}` : ''}${a.aliases.length ? ` · aliases: ${a.aliases.join(', ')}` : ''}`);
  }
  out.push('', `QUOTES (${json.quotes.length})`);
  for (const q of json.quotes) {
    const who = q.speaker ? `${q.speaker.text ?? '?'}${q.speaker.actor ? ` → ${actorName.get(q.speaker.actor) ?? q.speaker.actor}` : ''}` : 'unknown speaker';
    out.push(`  ${q.direct ? '“' : '~'} ${q.text.replace(/\s+/g, ' ')}${q.direct ? '”' : ''}\n      — ${who}${q.cue ? ` (${q.cue.text})` : ''}`);
  }
  out.push('', `QUANTITIES (${json.quantities.length})`);
  for (const q of json.quantities) out.push(`  ${q.text.padEnd(28)} ${q.bound === 'exact' ? '' : `${q.bound} `}${q.value} ${q.unit}`);
  out.push('', `DATES (${json.dates.length})`);
  for (const d of json.dates) out.push(`  ${d.text.padEnd(28)} ${d.date} (${d.granularity}${d.relative ? ', relative to publication' : ''})`);
  return `${out.join('\n')}\n\n`;
}
