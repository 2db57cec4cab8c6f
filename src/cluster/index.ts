/**
 * Cluster stage: streaming story clustering with stable ids.
 * `new StoryClusterer().assign(article)` per article; `export()`/`import()` to persist.
 */
export { StoryClusterer, defaultClustererOptions, type ClustererDelta, type ClustererOptions } from './clusterer.js';
export type { AssignResult, ClusterableArticle, ClustererState, StorySnapshot } from './types.js';
