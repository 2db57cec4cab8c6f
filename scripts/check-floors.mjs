// Runs every benchmark suite that has a floor in bench/floors.json against the
// shared evaluation sets, and fails if any figure is below its floor.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const shared = path.resolve(process.argv[2] ?? '../shared/bench');
const floors = JSON.parse(readFileSync('bench/floors.json', 'utf8'));
/** Where each suite's data lives under ../shared/bench. */
const dataFor = {
  extract: 'extraction/scrapinghub',
  ner: 'ner/conll2003/valid.txt',
  phrases: 'ner/conll2003/valid.txt',
  quotes: 'quotes/polnear/dev',
  speakers: 'quotes/polnear/train',
  cluster: 'clustering/googlenews',
  paraphrase: 'paraphrase/msrp',
  contradictions: 'extraction/scrapinghub',
};
/** Extra arguments per suite: quality only (the cluster suite's generated scale runs are speed figures). */
const extraArgs = { cluster: ['--scale', '0'] };
const suites = [...new Set(Object.keys(floors).map((key) => key.split('.')[0]))];
let failed = false;
for (const suite of suites) {
  const data = dataFor[suite];
  if (!data) { console.error(`no data path known for suite ${suite}`); failed = true; continue; }
  console.log(`\n== bench ${suite} --data ${path.join(shared, data)}`);
  const result = spawnSync('npx', ['tsx', 'bench/run.ts', suite, '--data', path.join(shared, data), '--all-floors', ...(extraArgs[suite] ?? [])], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
