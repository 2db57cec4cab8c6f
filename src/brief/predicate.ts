/**
 * Does a piece of a sentence state something? A clause that aligns across
 * outlets is a fact only if it has a verb: "In a significant shift in U.S.
 * foreign policy" shares words with other outlets' framing, but says nothing
 * that could be corroborated. Parts of speech come from wink-nlp's English
 * model, loaded on first use (about 0.3 s and 35 MB, paid by briefing only).
 */
import { createRequire } from 'node:module';

interface PosTagger {
  readDoc(text: string): { tokens(): { out(what: unknown): string[] } };
  its: { pos: unknown };
}

let tagger: PosTagger | null = null;

function loadTagger(): PosTagger {
  if (!tagger) {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as (model: unknown, pipe: string[]) => PosTagger;
    tagger = winkNLP(require('wink-eng-lite-web-model'), ['pos']);
  }
  return tagger;
}

/** Part-of-speech tags (Universal Dependencies set) of the text's tokens. */
export function partsOfSpeech(text: string): string[] {
  const nlp = loadTagger();
  return nlp.readDoc(text).tokens().out(nlp.its.pos);
}

/** True when the text holds a verb or auxiliary: it can state a fact, not only frame one. */
export function hasPredicate(text: string): boolean {
  return partsOfSpeech(text).some((tag) => tag === 'VERB' || tag === 'AUX');
}
