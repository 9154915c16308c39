import type { TaxonomyRow } from '../types';
import { ADF_CODE_ROWS } from './adfCodes';
import { ADF_INNER_ROWS } from './adfInner';
import { DATABRICKS_ROWS } from './databricks';
import { FIRST_GUESS_ROWS, MESSAGE_ROWS } from './messages';
import { RETRYABLE_ROWS } from './retryable';

/** The deterministic taxonomy (error-taxonomy.md). Among rows of the same tier, the earlier row wins. */
export const TAXONOMY: readonly TaxonomyRow[] = [
    ...ADF_CODE_ROWS,
    ...ADF_INNER_ROWS,
    ...DATABRICKS_ROWS,
    ...MESSAGE_ROWS,
    ...RETRYABLE_ROWS,
    ...FIRST_GUESS_ROWS,
];
