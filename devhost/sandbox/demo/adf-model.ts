import { randomUUID } from 'node:crypto';
import { PIPELINES, type ActivityDef } from './adf-pipelines';
import { adfTime, QUEUED_MS, RUN_MS } from './constants';

export { PIPELINES } from './adf-pipelines';

export interface AdfRun {
    runId: string;
    runGroupId: string;
    pipelineName: string;
    parameters: Record<string, unknown>;
    invokedBy: { name: string; id: string; invokedByType: string };
    createdMs: number;
    isLatest: boolean;
    /** Activities this run executes, in order; the run fails at `failsAt` when set. */
    activities: { def: ActivityDef; activityRunId: string }[];
    failsAt?: string;
}

export function newRun(init: {
    runId?: string;
    pipelineName: string;
    createdMs: number;
    recovery: boolean;
    startActivity?: string;
    runGroupId?: string;
    parameters?: Record<string, unknown>;
    invokedBy: AdfRun['invokedBy'];
}): AdfRun {
    const def = PIPELINES[init.pipelineName]!;
    const start = init.startActivity ? def.activities.findIndex((a) => a.name === init.startActivity) : 0;
    const fails = !(init.recovery && def.recoveryHeals);
    const failIndex = def.activities.findIndex((a) => a.name === def.failing);
    const end = fails && failIndex >= start ? failIndex + 1 : def.activities.length;
    const runId = init.runId ?? randomUUID();
    return {
        runId,
        runGroupId: init.runGroupId ?? runId,
        pipelineName: init.pipelineName,
        parameters: init.parameters ?? {},
        invokedBy: init.invokedBy,
        createdMs: init.createdMs,
        isLatest: true,
        activities: def.activities.slice(Math.max(start, 0), end).map((a) => ({ def: a, activityRunId: randomUUID() })),
        ...(fails && failIndex >= start && { failsAt: def.failing }),
    };
}

export type AdfStatus = 'Queued' | 'InProgress' | 'Succeeded' | 'Failed';

export function runStatus(run: AdfRun, now: number): AdfStatus {
    const elapsed = now - run.createdMs;
    if (elapsed < QUEUED_MS) return 'Queued';
    if (elapsed < RUN_MS) return 'InProgress';
    return run.failsAt ? 'Failed' : 'Succeeded';
}

export function lastUpdatedMs(run: AdfRun, now: number): number {
    const status = runStatus(run, now);
    return run.createdMs + (status === 'Queued' ? 0 : status === 'InProgress' ? QUEUED_MS : RUN_MS);
}

export function runBody(run: AdfRun, now: number): Record<string, unknown> {
    const status = runStatus(run, now);
    const done = status === 'Succeeded' || status === 'Failed';
    const failure = run.failsAt ? PIPELINES[run.pipelineName]!.error(run.failsAt, run.createdMs) : undefined;
    return {
        id: `${PIPELINES[run.pipelineName]!.factory.id}/pipelineruns/${run.runId}`,
        runId: run.runId,
        debugRunId: null,
        runGroupId: run.runGroupId,
        isLatest: run.isLatest,
        pipelineName: run.pipelineName,
        parameters: run.parameters,
        runDimensions: {},
        invokedBy: run.invokedBy,
        runStart: adfTime(run.createdMs),
        runEnd: done ? adfTime(run.createdMs + RUN_MS) : null,
        durationInMs: done ? RUN_MS : null,
        status,
        message: status === 'Failed' && failure ? `Operation on target ${run.failsAt} failed: ${failure.message}` : '',
        lastUpdated: adfTime(lastUpdatedMs(run, now)),
        annotations: [],
    };
}

/** Activity rows that exist at `now`, each with the time it was last updated. */
export function activityRows(run: AdfRun, now: number): { row: Record<string, unknown>; updatedMs: number }[] {
    const slot = (RUN_MS - QUEUED_MS) / Math.max(run.activities.length, 1);
    const rows: { row: Record<string, unknown>; updatedMs: number }[] = [];
    run.activities.forEach(({ def, activityRunId }, i) => {
        const startMs = run.createdMs + QUEUED_MS + i * slot;
        const endMs = startMs + slot;
        if (now < startMs) return;
        const finished = now >= endMs;
        const failed = finished && run.failsAt === def.name;
        const error = failed
            ? { ...PIPELINES[run.pipelineName]!.error(def.name, run.createdMs), target: def.name, details: [] }
            : { errorCode: '', message: '', failureType: '', target: def.name, details: '' };
        const row = {
            activityRunEnd: finished ? adfTime(endMs) : null,
            activityName: def.name,
            activityRunStart: adfTime(startMs),
            activityType: def.type,
            durationInMs: finished ? Math.round(slot) : null,
            retryAttempt: null,
            error,
            activityRunId,
            iterationHash: '',
            input: {},
            linkedServiceName: '',
            output: { effectiveIntegrationRuntime: 'AutoResolveIntegrationRuntime (West Europe)' },
            userProperties: {},
            pipelineName: run.pipelineName,
            pipelineRunId: run.runId,
            status: finished ? (failed ? 'Failed' : 'Succeeded') : 'InProgress',
            recoveryStatus: 'None',
            integrationRuntimeNames: ['AutoResolveIntegrationRuntime'],
            executionDetails: { integrationRuntime: [{ name: 'AutoResolveIntegrationRuntime', type: 'Managed' }] },
        };
        rows.push({ row, updatedMs: finished ? endMs : startMs });
    });
    return rows;
}
