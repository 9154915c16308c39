import type { ErrorClass, RunError } from '../domain';

export type ExtractorName = 'blobPath' | 'integrationRuntime' | 'package' | 'endpoint' | 'blockedUntil';

/** Criteria of one taxonomy row; every criterion given must hold. Codes compare case-insensitively. */
export interface RowMatch {
    /** The error's code, or the inner `ErrorCode=` of a wrapper message (ADF 2200...). */
    codes?: readonly string[];
    codePattern?: RegExp;
    /** Databricks `termination_details.type`. */
    terminationTypes?: readonly string[];
    /** ADF `failureType`: only a first guess. */
    failureType?: 'UserError' | 'SystemError';
    message?: RegExp;
}

export interface TaxonomyRow {
    id: string;
    source: 'adf' | 'databricks' | 'any';
    /** What the row recognises, as it reads in a decision reason. */
    label: string;
    match: RowMatch;
    errorClass: ErrorClass;
    /** null: a first guess at the class that does not decide on a rerun. */
    retryable: boolean | null;
    extract?: readonly ExtractorName[];
    /** A minimal error this row classifies (the unit tests run every example). */
    example: Omit<RunError, 'scope' | 'name'> & Partial<Pick<RunError, 'scope' | 'name'>>;
}

/**
 * Specificity: structured codes first, then messages, then the Databricks termination type,
 * then the ADF failure type (first guess).
 */
export function tierOf(row: TaxonomyRow): number {
    if (row.match.codes || row.match.codePattern) return 0;
    if (row.match.message) return 1;
    if (row.match.terminationTypes) return 2;
    return 3;
}
