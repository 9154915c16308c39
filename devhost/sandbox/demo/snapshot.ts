import { z } from 'zod';
import type { AdfDemo } from './adf';
import { PIPELINES, type AdfRun } from './adf-model';
import { DEMO_WORKSPACE_ID, DEMO_WORKSPACES } from './constants';
import type { DatabricksDemo } from './databricks';
import { JOBS, type DbxRun } from './dbx-model';

const id = z.number().int().nonnegative();

const AdfRunSchema = z.object({
    runId: z.string().min(1),
    runGroupId: z.string().min(1),
    pipelineName: z.string().refine((name) => name in PIPELINES, 'unknown pipeline'),
    parameters: z.record(z.string(), z.unknown()),
    invokedBy: z.object({ name: z.string(), id: z.string(), invokedByType: z.string() }),
    createdMs: z.number().finite(),
    isLatest: z.boolean(),
    activities: z.array(z.object({ name: z.string(), type: z.string(), activityRunId: z.string() })),
    failsAt: z.string().optional(),
});

const AttemptSchema = z.object({
    type: z.enum(['ORIGINAL', 'REPAIR']),
    repairId: id.optional(),
    startMs: z.number().finite(),
    outcome: z.enum(['SUCCESS', 'CLOUD_FAILURE']),
    taskRuns: z.array(z.tuple([z.string(), id])),
});

const DbxRunSchema = z.object({
    runId: id,
    /** Absent in files written before the demo had a second workspace. */
    workspace: z
        .string()
        .refine((ws) => ws in DEMO_WORKSPACES, 'unknown workspace')
        .optional(),
    job: z.string().refine((name) => name in JOBS, 'unknown job'),
    numberInJob: id,
    trigger: z.enum(['PERIODIC', 'ONE_TIME']),
    attempts: z.array(AttemptSchema).min(1),
});

/** The demo's whole state as plain JSON: times are stored, never timers, so progress resumes by the clock. */
export const DemoStateSchema = z.object({
    version: z.literal(1),
    adf: z.object({ runs: z.array(AdfRunSchema) }),
    databricks: z.object({
        counters: z.object({ nextId: id, nextRepair: id, jobRuns: id }),
        runs: z.array(DbxRunSchema),
        idempotency: z.array(z.tuple([z.string(), id])),
    }),
});
export type DemoState = z.infer<typeof DemoStateSchema>;

function adfRunState(run: AdfRun): DemoState['adf']['runs'][number] {
    return {
        runId: run.runId,
        runGroupId: run.runGroupId,
        pipelineName: run.pipelineName,
        parameters: run.parameters,
        invokedBy: run.invokedBy,
        createdMs: run.createdMs,
        isLatest: run.isLatest,
        activities: run.activities.map(({ def, activityRunId }) => ({ ...def, activityRunId })),
        ...(run.failsAt !== undefined && { failsAt: run.failsAt }),
    };
}

function dbxRunState(run: DbxRun): DemoState['databricks']['runs'][number] {
    const jobKey = Object.keys(JOBS).find((k) => JOBS[k] === run.job) ?? run.job.name;
    return {
        runId: run.runId,
        workspace: run.workspace,
        job: jobKey,
        numberInJob: run.numberInJob,
        trigger: run.trigger,
        attempts: run.attempts.map((a) => ({
            type: a.type,
            ...(a.repairId !== undefined && { repairId: a.repairId }),
            startMs: a.startMs,
            outcome: a.outcome,
            taskRuns: [...a.taskRuns],
        })),
    };
}

export function snapshotDemo(adf: AdfDemo, databricks: DatabricksDemo): DemoState {
    return {
        version: 1,
        adf: { runs: [...adf.runs.values()].map(adfRunState) },
        databricks: {
            counters: { ...databricks.counters },
            runs: [...databricks.runs.values()].map(dbxRunState),
            idempotency: [...databricks.idempotency],
        },
    };
}

/** Replaces the demo's state with a validated snapshot. */
export function restoreDemo(adf: AdfDemo, databricks: DatabricksDemo, state: DemoState): void {
    adf.runs.clear();
    for (const r of state.adf.runs) {
        const { activities, failsAt, ...rest } = r;
        adf.runs.set(r.runId, {
            ...rest,
            activities: activities.map(({ name, type, activityRunId }) => ({ def: { name, type }, activityRunId })),
            ...(failsAt !== undefined && { failsAt }),
        });
    }
    databricks.runs.clear();
    for (const r of state.databricks.runs) {
        databricks.runs.set(r.runId, {
            runId: r.runId,
            workspace: r.workspace ?? DEMO_WORKSPACE_ID,
            job: JOBS[r.job]!,
            numberInJob: r.numberInJob,
            trigger: r.trigger,
            attempts: r.attempts.map(({ taskRuns, repairId, ...a }) => ({
                ...a,
                ...(repairId !== undefined && { repairId }),
                taskRuns: new Map(taskRuns),
            })),
        });
    }
    databricks.idempotency.clear();
    for (const [token, runId] of state.databricks.idempotency) databricks.idempotency.set(token, runId);
    Object.assign(databricks.counters, state.databricks.counters);
}
