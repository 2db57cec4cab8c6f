import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * Where the trained models are: `models/` at the package's root, two levels
 * above this module both in the sources (src/analyze) and built (dist/analyze).
 * Every model is found from here, so that a bundle of the analysis modules
 * (src/pipeline/pool.ts, `startWorker`) needs to place only this module.
 */
export function modelFile(name: string): URL {
  return new URL(`../../models/${name}`, import.meta.url);
}

/** Reads a model as the training scripts write it: gzipped JSON (half the size of plain JSON). */
export function readModel<T>(file: string | URL): T {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as T;
}

/** The model `name` in models/, or null when the file is missing (the analysis then goes without it). */
export function readModelIfPresent<T>(name: string): T | null {
  try {
    return readModel<T>(modelFile(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return null;
  }
}
