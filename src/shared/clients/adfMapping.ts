import type { AdfRunSummary } from '../ports';
import type { RunError, RunState } from '../domain';

/** The fields of an ADF pipeline run this project reads. */
export interface AdfPipelineRun {
    runId?: string;
    runGroupId?: string;
    pipelineName?: string;
    status?: string;
    message?: string;
    runStart?: string | null;
    runEnd?: string | null;
    lastUpdated?: string | null;
}

export interface AdfActivityRun {
    activityName?: string;
    activityType?: string;
    status?: string;
    error?: { errorCode?: string; message?: string; failureType?: string } | null;
}

export interface AdfPage<T> {
    value?: T[];
    continuationToken?: string | null;
}

const STATES: Record<string, RunState['state']> = {
    Queued: 'queued',
    InProgress: 'running',
    // Canceling is still running: only Cancelled ends polling.
    Canceling: 'running',
    Succeeded: 'succeeded',
    Failed: 'failed',
    Cancelled: 'cancelled',
};

export function adfState(status: string | undefined): RunState['state'] {
    return (status !== undefined && STATES[status]) || 'unknown';
}

export function monitoringUrl(runId: string, factoryResourceId: string): string {
    const run = encodeURIComponent(runId);
    return `https://adf.azure.com/en/monitoring/pipelineruns/${run}?factory=${encodeURIComponent(factoryResourceId)}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function time(value: string | null | undefined): number | undefined {
    if (!value) return undefined;
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
}

/** The lastUpdated window for queryActivityruns: the run's span with an hour either side, else the last 7 days. */
export function activityWindow(
    run: AdfPipelineRun,
    now: Date,
): { lastUpdatedAfter: string; lastUpdatedBefore: string } {
    const start = time(run.runStart);
    const end = time(run.runEnd) ?? time(run.lastUpdated);
    const after = start !== undefined ? start - HOUR : now.getTime() - 7 * DAY;
    const before = Math.max(end !== undefined ? end + HOUR : now.getTime() + HOUR, after + HOUR);
    return { lastUpdatedAfter: new Date(after).toISOString(), lastUpdatedBefore: new Date(before).toISOString() };
}

export function activityErrors(rows: AdfActivityRun[]): RunError[] {
    return rows
        .filter((row) => row.status === 'Failed')
        .map((row) => ({
            scope: 'activity' as const,
            name: row.activityName ?? '(unnamed activity)',
            type: row.activityType || undefined,
            code: row.error?.errorCode || undefined,
            failureType: row.error?.failureType || undefined,
            message: row.error?.message ?? '',
        }));
}

/** A run of the same run group, other than the failed one, started at or after `notBefore` (newest first). */
export function findRecoveryRun(
    runs: AdfPipelineRun[],
    failedRunId: string,
    notBefore: string,
): AdfPipelineRun | undefined {
    const floor = time(notBefore) ?? Infinity;
    const started = (r: AdfPipelineRun) => time(r.runStart) ?? time(r.lastUpdated);
    return runs
        .filter((r) => r.runId && r.runId !== failedRunId && (started(r) ?? -Infinity) >= floor)
        .sort((a, b) => (started(b) ?? 0) - (started(a) ?? 0))[0];
}

const MAX_LOOKUP_MESSAGE = 2000;

/**
 * The failed runs a run lookup found, each once, of the named pipeline only (compared in NFC form), with the
 * fields the investigation needs; messages are clipped so the orchestration history stays small.
 */
export function runSummaries(runs: AdfPipelineRun[], pipelineName?: string): AdfRunSummary[] {
    const wanted = pipelineName?.normalize('NFC');
    const seen = new Set<string>();
    const out: AdfRunSummary[] = [];
    for (const r of runs) {
        if (!r.runId || !r.pipelineName || r.status !== 'Failed' || seen.has(r.runId.toLowerCase())) continue;
        if (wanted !== undefined && r.pipelineName.normalize('NFC') !== wanted) continue;
        seen.add(r.runId.toLowerCase());
        const summary: AdfRunSummary = { runId: r.runId, pipelineName: r.pipelineName, status: r.status };
        if (r.runGroupId) summary.runGroupId = r.runGroupId;
        if (r.message) summary.message = r.message.slice(0, MAX_LOOKUP_MESSAGE);
        if (r.runStart) summary.runStart = r.runStart;
        if (r.runEnd) summary.runEnd = r.runEnd;
        if (r.lastUpdated) summary.lastUpdated = r.lastUpdated;
        out.push(summary);
    }
    return out;
}
