import type { Classification, FailureDetails, RunError, Source } from '../domain';
import { extractFacts, innerErrorCode } from './extract';
import { TAXONOMY } from './taxonomy';
import { type TaxonomyRow, tierOf } from './types';

interface Match {
    row: TaxonomyRow;
    rowIndex: number;
    tier: number;
    error: RunError;
    inner: string | undefined;
}

const SCOPE_RANK: Record<RunError['scope'], number> = { activity: 0, task: 0, run: 1 };
const TIERS = TAXONOMY.map(tierOf);

function same(a: string | undefined, b: string): boolean {
    return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function rowMatches(row: TaxonomyRow, source: Source, error: RunError, inner: string | undefined): boolean {
    if (row.source !== 'any' && row.source !== source) return false;
    const m = row.match;
    const codes = [error.code, inner].filter((c): c is string => c !== undefined && c !== '');
    if (m.codes && !codes.some((c) => m.codes?.some((x) => same(c, x)))) return false;
    if (m.codePattern && !codes.some((c) => m.codePattern?.test(c))) return false;
    if (m.terminationTypes && !m.terminationTypes.some((t) => same(error.terminationType, t))) return false;
    if (m.failureType && !same(error.failureType, m.failureType)) return false;
    if (m.message && !m.message.test(error.message)) return false;
    return true;
}

function bestRowFor(source: Source, error: RunError): Match | undefined {
    const inner = innerErrorCode(error.message);
    let best: Match | undefined;
    TAXONOMY.forEach((row, rowIndex) => {
        const tier = TIERS[rowIndex] ?? 3;
        if (best && (best.tier < tier || (best.tier === tier && best.rowIndex < rowIndex))) return;
        if (rowMatches(row, source, error, inner)) best = { row, rowIndex, tier, error, inner };
    });
    return best;
}

function rank(m: Match): [number, number, number] {
    return [m.tier, SCOPE_RANK[m.error.scope], m.rowIndex];
}

function better(a: Match, b: Match): boolean {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) < (y[i] ?? 0);
    return false;
}

/** The errors to classify: the run message counts as a run-level error when no run error was given. */
function errorsOf(details: FailureDetails): RunError[] {
    const errors = [...details.errors];
    if (details.runMessage && !errors.some((e) => e.scope === 'run')) {
        errors.push({ scope: 'run', name: 'run', message: details.runMessage });
    }
    return errors;
}

function where(error: RunError, code: string | undefined, inner?: string): string {
    const innerText = inner && inner !== code ? ` (ErrorCode=${inner})` : '';
    return `${error.scope} '${error.name}'${code ? `, code ${code}${innerText}` : ''}`;
}

function verdict(retryable: boolean | null): string {
    if (retryable === true) return 'retryable';
    if (retryable === false) return 'not retryable';
    return 'a first guess only (no rule decides on a rerun)';
}

function unknown(errors: RunError[], details: FailureDetails): Classification {
    const first = errors.find((e) => e.scope !== 'run') ?? errors[0];
    if (!first) {
        const why = details.found ? 'the run reported no error details' : 'the failed run was not found';
        return {
            errorClass: 'unknown',
            ruleId: 'none',
            retryable: null,
            reason: `No rule applies: ${why}; class unknown, no rule decides on a rerun`,
            extracted: {},
        };
    }
    const code = first.code ?? innerErrorCode(first.message);
    const excerpt = first.message.replace(/\s+/g, ' ').slice(0, 120);
    const c: Classification = {
        errorClass: 'unknown',
        ruleId: 'none',
        retryable: null,
        reason: `No taxonomy rule matches ${where(first, code)} ("${excerpt}"); class unknown, no rule decides on a rerun`,
        extracted: extractFacts([], first.message),
    };
    if (code) c.errorCode = code;
    return c;
}

/** Deterministic, table-driven classification of a failed run: the most specific matching row wins. */
export function classify(source: Source, details: FailureDetails): Classification {
    const errors = errorsOf(details);
    let best: Match | undefined;
    for (const error of errors) {
        const m = bestRowFor(source, error);
        if (m && (!best || better(m, best))) best = m;
    }
    if (!best) return unknown(errors, details);
    const { row, error, inner } = best;
    const sibling = errors.find((e) => e !== error && e.code && rowMatches(row, source, e, innerErrorCode(e.message)));
    const errorCode = error.code ?? inner ?? sibling?.code;
    const extracted = extractFacts(row.extract ?? [], error.message);
    if (inner && inner !== error.code) extracted.innerErrorCode = inner;
    const classification: Classification = {
        errorClass: row.errorClass,
        ruleId: row.id,
        retryable: row.retryable,
        reason: `${row.label} is ${row.errorClass} and ${verdict(row.retryable)}: rule ${row.id} (${where(error, errorCode, inner)})`,
        extracted,
    };
    if (errorCode) classification.errorCode = errorCode;
    return classification;
}
