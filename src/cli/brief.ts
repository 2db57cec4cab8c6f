import type { Briefing } from '../brief/types.js';
import { refreshBriefing } from '../pipeline/process.js';
import { openStore } from '../store/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.js';
import { formatHelp, formatOptions, parseFormat, writeBriefings } from './output.js';

export const briefCommand: Command = {
  name: 'brief',
  summary: 'Show the briefing of a story from the database.',
  usage: 'brief STORY_ID [--db FILE] [--format text|md|json|html] [--out FILE] [--rebuild]',
  help: [dbHelp, ...formatHelp, '--rebuild          build the briefing again from the current articles'],
  options: { ...dbOption, ...formatOptions, rebuild: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give one story id (see triangulate stories)');
    const format = parseFormat(values.format, values.out);
    const store = await openStore(storeOptions(values, io.env));
    try {
      const story = await store.getStory(positionals[0]!);
      if (!story) {
        io.stderr.write(`triangulate brief: no story "${positionals[0]}" in ${store.location}; run triangulate stories to see the ids\n`);
        return EXIT_FAILED;
      }
      const saved = values.rebuild ? null : await store.getBriefing(story.id);
      const briefing = saved && saved.articleCount === story.articleCount ? (JSON.parse(saved.data) as Briefing) : await refreshBriefing(store, story.id);
      await writeBriefings(store, briefing ? [briefing] : [], format, values.out as string | undefined, io);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
