/**
 * What the same-process A/B suites (cluster-cpu, link-cpu, analyze --baseline) share: a stage's
 * modules as they were at a git revision, loaded beside the current ones;
 * rounds that alternate between the two; CPU time, medians and the first
 * difference between the two sides' traces.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The module `entry` of `src/<stage>` at git revision `rev`: every .ts file
 * of the stage (subfolders too) written to a temporary directory in the same
 * layout, its imports within the stage kept, those leaving it pointed back
 * into this tree's src. With `models`, the trained models of that revision
 * are written beside it as `models/` two levels above the stage, where
 * src/analyze/models.ts looks for them. The caller removes the copy with
 * `cleanup` when done.
 */
export async function stageAtRevision<T>(rev: string, stage: string, entry: string, options: { models?: boolean } = {}): Promise<{ module: T; cleanup: () => void }> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const dir = mkdtempSync(path.join(tmpdir(), `triangulate-${stage}-baseline-`));
  const copy = path.join(dir, 'src', stage);
  for (const name of git('ls-tree', '-r', '--name-only', `${rev}:src/${stage}`).split('\n').filter((n) => n.endsWith('.ts'))) {
    const source = git('show', `${rev}:src/${stage}/${name}`);
    const here = path.dirname(path.join(root, 'src', stage, name));
    const rewritten = source.replace(/from '(\.\.?\/[^']+)\.js'/g, (whole, rel: string) => {
      const target = path.resolve(here, `${rel}.ts`);
      return target.startsWith(path.join(root, 'src', stage) + path.sep) ? whole : `from '${pathToFileURL(target).href}'`;
    });
    mkdirSync(path.dirname(path.join(copy, name)), { recursive: true });
    writeFileSync(path.join(copy, name), rewritten);
  }
  if (options.models) {
    mkdirSync(path.join(dir, 'models'));
    for (const name of git('ls-tree', '--name-only', `${rev}:models`).split('\n').filter(Boolean)) {
      writeFileSync(path.join(dir, 'models', name), execFileSync('git', ['show', `${rev}:models/${name}`], { cwd: root, maxBuffer: 1 << 28 }));
    }
  }
  const module = (await import(pathToFileURL(path.join(copy, entry)).href)) as T;
  return { module, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `rounds` rounds of each side, the order alternating so that neither side
 * always runs first after the other's garbage; only the current side
 * without a baseline.
 */
export function alternatingRounds<R>(rounds: number, hasBaseline: boolean, run: (side: 'baseline' | 'current') => R): Record<'baseline' | 'current', R[]> {
  const results: Record<'baseline' | 'current', R[]> = { baseline: [], current: [] };
  for (let i = 0; i < rounds; i++) {
    const order: Array<'baseline' | 'current'> = hasBaseline ? (i % 2 ? ['current', 'baseline'] : ['baseline', 'current']) : ['current'];
    for (const side of order) results[side].push(run(side));
  }
  return results;
}

export const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Index and both sides of the first difference between two traces, or null. */
export function firstDifference(a: string[], b: string[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `entry ${i}:\n  baseline ${(a[i] ?? '(none)').slice(0, 300)}\n  current  ${(b[i] ?? '(none)').slice(0, 300)}`;
  }
  return null;
}
