/**
 * `npm run bench -- <suite> [--data DIR] [...]`: each suite is `bench/<suite>.ts`
 * exporting `run(args)`. A suite prints its figures and returns the quality
 * figures it measured; those named in `bench/floors.json` are checked here, so a
 * figure below its floor fails the run (exit code 1). With `--all-floors` (as
 * scripts/check-floors.mjs runs it), a floor of this suite that the run did not
 * measure fails it too: a figure that silently disappears is not a figure met.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface SuiteResult {
  /** Quality figures keyed as in floors.json, e.g. `{ "extract.f1": 0.97 }`. */
  figures: Record<string, number>;
}

export type Suite = (args: string[]) => Promise<SuiteResult>;

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const [suite, ...given] = process.argv.slice(2);
  const allFloors = given.includes('--all-floors');
  const args = given.filter((arg) => arg !== '--all-floors');
  if (!suite || suite === '--help' || !/^[a-z-]+$/.test(suite)) {
    console.log('usage: npm run bench -- <suite> [--data DIR]\nsuites: extract, ner, phrases, quotes, speakers, cluster, cluster-cpu, link-cpu, scale, paraphrase, contradictions, brief, analyze, serve, warc, workers\n--all-floors: fail when a floor of the suite was not measured');
    process.exit(suite ? 0 : 2);
  }
  let module: { run: Suite };
  try {
    module = await import(pathToFileURL(path.join(here, `${suite}.ts`)).href);
  } catch (error) {
    console.error(`unknown benchmark suite "${suite}": ${(error as Error).message}`);
    process.exit(2);
  }
  const { figures } = await module.run(args);
  const floors = JSON.parse(readFileSync(path.join(here, 'floors.json'), 'utf8')) as Record<string, number>;
  let failed = false;
  for (const [name, value] of Object.entries(figures)) {
    const floor = floors[name];
    if (floor === undefined) continue;
    const ok = value >= floor;
    console.log(`floor ${name}: ${value.toFixed(5)} ${ok ? '>=' : '<'} ${floor} ${ok ? 'ok' : 'BELOW FLOOR'}`);
    if (!ok) failed = true;
  }
  for (const name of Object.keys(floors).filter((key) => key.startsWith(`${suite}.`) && !(key in figures))) {
    console.log(`floor ${name}: not measured by this run${allFloors ? ' NOT MET' : ''}`);
    if (allFloors) failed = true;
  }
  if (failed) process.exit(1);
}

export { option } from './args.js';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
