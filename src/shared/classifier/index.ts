export { classify } from './classify';
export { TAXONOMY } from './taxonomy';
export type { ExtractorName, RowMatch, TaxonomyRow } from './types';
