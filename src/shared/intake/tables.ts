import type { LegacyTables } from './commonSchema';

export interface RunRow {
    pipelineName?: string;
    runId?: string;
    resourceId?: string;
    /** Where the row came from in the body, for error messages. */
    path?: string;
}

function firstIndex(columns: string[], names: string[]): number {
    for (const name of names) {
        const i = columns.indexOf(name);
        if (i >= 0) return i;
    }
    return -1;
}

function cell(row: unknown[], index: number): string | undefined {
    if (index < 0) return undefined;
    const v = row[index];
    if (typeof v === 'string') return v.trim() === '' ? undefined : v;
    if (typeof v === 'number') return String(v);
    return undefined;
}

/** Reads run identities from embedded search results by column name (never by position). */
export function runRowsOf(results: LegacyTables, at = 'SearchResult'): RunRow[] {
    const rows: RunRow[] = [];
    for (const [t, table] of results.tables.entries()) {
        const columns = table.columns.map((c) => c.name.toLowerCase());
        const pipeline = firstIndex(columns, ['pipelinename']);
        const runId = firstIndex(columns, ['runid', 'pipelinerunid']);
        const resource = firstIndex(columns, ['_resourceid', 'resourceid']);
        for (const [i, row] of table.rows.entries()) {
            const r: RunRow = { path: `${at}.tables[${t}].rows[${i}]` };
            const p = cell(row, pipeline);
            const id = cell(row, runId);
            const res = cell(row, resource);
            if (p !== undefined) r.pipelineName = p;
            if (id !== undefined) r.runId = id;
            if (res !== undefined) r.resourceId = res;
            rows.push(r);
        }
    }
    return rows;
}
