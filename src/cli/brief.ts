import { diffBriefings } from '../brief/diff.js';
import type { Briefing } from '../brief/types.js';
import { renderDiff } from '../present/index.js';
import { refreshBriefing } from '../pipeline/process.js';
import { openStore } from '../store/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.js';
import { parseSince } from './live.js';
import { formatHelp, formatOptions, parseFormat, writeBriefings, writeRendered } from './output.js';

export const briefCommand: Command = {
  name: 'brief',
  summary: 'Show the briefing of a story from the database.',
  usage: 'brief STORY_ID [--db FILE] [--format text|md|json|html] [--out FILE] [--rebuild] [--since TIME]',
  help: [
    dbHelp, ...formatHelp, '--rebuild          build the briefing again from the current articles',
    '--since TIME       only what changed since then (ISO date or time, or 6h, 2d… ago): new sources, new facts, facts that',
    '                   gained or lost support, new contradictions, new quotes (text, md or json; the JSON follows',
    '                   docs/schema/diff.schema.json, as GET /api/stories/ID?since=TIME does)',
  ],
  options: { ...dbOption, ...formatOptions, rebuild: { type: 'boolean' }, since: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give one story id (see triangulate stories)');
    const format = parseFormat(values.format, values.out);
    const since = values.since === undefined ? null : parseSince(values.since as string);
    if (since && format === 'html') throw new UsageError('--since shows changes as text, md or json');
    const store = await openStore(storeOptions(values, io.env));
    try {
      const story = await store.getStory(positionals[0]!);
      if (!story) {
        io.stderr.write(`triangulate brief: no story "${positionals[0]}" in ${store.location}; run triangulate stories to see the ids\n`);
        return EXIT_FAILED;
      }
      const saved = values.rebuild ? null : await store.getBriefing(story.id);
      // Current when built for as many articles, or after the story last changed (a revision replaces an article without changing the count).
      const current = saved && (saved.articleCount === story.articleCount || saved.builtAt >= story.updatedAt);
      const briefing = current ? (JSON.parse(saved.data) as Briefing) : await refreshBriefing(store, story.id);
      if (since && briefing) {
        const earlier = await store.getBriefing(story.id, since);
        const diff = diffBriefings(earlier ? (JSON.parse(earlier.data) as Briefing) : null, briefing, earlier?.builtAt ?? null);
        writeRendered(renderDiff(diff, briefing, format as 'text' | 'md' | 'json', { width: Math.min(io.stdout.columns ?? 100, 120) }), values.out as string | undefined, io);
        return EXIT_OK;
      }
      await writeBriefings(store, briefing ? [briefing] : [], format, values.out as string | undefined, io);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
