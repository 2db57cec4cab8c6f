/**
 * Where the trained models are: `models/` at the package's root, two levels
 * above this module both in the sources (src/analyze) and built (dist/analyze).
 * Every model is found from here, so that a bundle of the analysis modules
 * (src/pipeline/pool.ts, `startWorker`) needs to place only this module.
 */
export function modelFile(name: string): URL {
  return new URL(`../../models/${name}`, import.meta.url);
}
