/**
 * Reader for the Microsoft Research Paraphrase Corpus layout (TSV: Quality, #1 ID,
 * #2 ID, #1 String, #2 String). Fields are split on tabs only: the strings carry
 * unbalanced quote characters, so a CSV-style reader would mangle them.
 */
import { readFileSync } from 'node:fs';

export interface LabelledPair {
  label: 0 | 1;
  idA: string;
  idB: string;
  a: string;
  b: string;
}

export function parseMsrp(content: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    const fields = line.split('\t');
    if (fields.length < 5 || (fields[0] !== '0' && fields[0] !== '1')) continue; // header, blank lines
    pairs.push({ label: fields[0] === '1' ? 1 : 0, idA: fields[1], idB: fields[2], a: fields[3], b: fields[4] });
  }
  return pairs;
}

export function readMsrp(path: string): LabelledPair[] {
  return parseMsrp(readFileSync(path, 'utf8'));
}
