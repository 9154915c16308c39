import { armError } from '../responses';
import type { Answer } from '../types';

export interface QueryWindow {
    after: number;
    before: number;
    filters: { operand: string; operator: string; values: string[] }[];
    offset: number;
}

const asObject = (body: unknown): Record<string, unknown> =>
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** Parses ADF's RunFilterParameters; both times are required, as in the real API. */
export function parseQuery(body: unknown): QueryWindow | Answer {
    const b = asObject(body);
    const after = Date.parse(String(b['lastUpdatedAfter'] ?? ''));
    const before = Date.parse(String(b['lastUpdatedBefore'] ?? ''));
    if (Number.isNaN(after) || Number.isNaN(before)) {
        return armError(
            400,
            'BadRequest',
            "The request needs 'lastUpdatedAfter' and 'lastUpdatedBefore' as ISO date-times.",
        );
    }
    const filters: QueryWindow['filters'] = [];
    for (const f of Array.isArray(b['filters']) ? b['filters'] : []) {
        const o = asObject(f);
        const values = Array.isArray(o['values']) ? o['values'].map(String) : [];
        filters.push({ operand: String(o['operand'] ?? ''), operator: String(o['operator'] ?? ''), values });
    }
    let offset = 0;
    const token = b['continuationToken'];
    if (typeof token === 'string' && token !== '') {
        offset = Number(
            Buffer.from(token, 'base64url')
                .toString('utf8')
                .replace(/^offset:/, ''),
        );
        if (!Number.isInteger(offset) || offset < 0)
            return armError(400, 'BadRequest', 'The continuation token is invalid.');
    }
    return { after, before, filters, offset };
}

export function filterMatches(operator: string, values: string[], actual: string): Answer | boolean {
    switch (operator.toLowerCase()) {
        case 'equals':
        case 'in':
            return values.includes(actual);
        case 'notequals':
        case 'notin':
            return !values.includes(actual);
        default:
            return armError(400, 'BadRequest', `Filter operator '${operator}' is not supported.`);
    }
}

/** One page of rows with the token for the next, null on the last page. */
export function page<T>(rows: T[], offset: number, size: number): { value: T[]; continuationToken: string | null } {
    const next = offset + size;
    return {
        value: rows.slice(offset, next),
        continuationToken: next < rows.length ? Buffer.from(`offset:${next}`).toString('base64url') : null,
    };
}
