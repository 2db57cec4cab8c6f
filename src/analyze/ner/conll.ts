/**
 * Reader for the CoNLL-2003 format the tagger is trained and benchmarked on
 * (scripts/train-ner.ts, bench/ner.ts) and the phrase tagger is trained on
 * (scripts/train-phrases.ts). Not used at run time.
 */
import { readFileSync } from 'node:fs';

/** A sentence's words with their entity tags, and the part-of-speech and chunk columns. */
export interface ConllSentence { words: string[]; tags: string[]; partsOfSpeech?: string[]; chunks?: string[] }
export type ConllDocument = ConllSentence[];

/** Reads a CoNLL-2003 file (`token POS chunk tag`, `-DOCSTART-` between documents). */
export function readConll(file: string): ConllDocument[] {
  const documents: ConllDocument[] = [];
  let document: ConllDocument = [];
  let sentence: ConllSentence = { words: [], tags: [], partsOfSpeech: [], chunks: [] };
  const endSentence = (): void => {
    if (sentence.words.length > 0) document.push(sentence);
    sentence = { words: [], tags: [], partsOfSpeech: [], chunks: [] };
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '-DOCSTART-') {
      endSentence();
      if (document.length > 0) documents.push(document);
      document = [];
    } else if (fields.length < 2 || fields[0] === '') endSentence();
    else {
      sentence.words.push(fields[0]!);
      sentence.tags.push(fields[fields.length - 1]!);
      sentence.partsOfSpeech!.push(fields.length >= 4 ? fields[1]! : '');
      sentence.chunks!.push(fields.length >= 4 ? fields[2]! : '');
    }
  }
  endSentence();
  if (document.length > 0) documents.push(document);
  return documents;
}
