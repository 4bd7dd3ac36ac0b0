export { RecallIndex, reciprocalRankFusion } from './recallIndex.js';
export type { FusedItem, RecallHit, RecallIndexOptions, RecallSearchOptions, RecallSpan } from './recallIndex.js';
export { STOPWORDS, recallTerms } from './terms.js';
