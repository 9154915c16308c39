import { dbxError } from '../responses';
import type { Answer } from '../types';
import type { DatabricksDemo } from './databricks';
import { JOBS, latestAttempt, phaseOf, type Attempt } from './dbx-model';

const asObject = (body: unknown): Record<string, unknown> =>
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

const asId = (value: unknown): number | undefined =>
    (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d+$/.test(value))
        ? Number(value)
        : undefined;

/** POST jobs/runs/repair: same run id, a new attempt; from the second repair on `latest_repair_id` is required. */
export function dbxRepair(demo: DatabricksDemo, workspace: string, body: unknown): Answer {
    const b = asObject(body);
    const runId = asId(b['run_id']);
    if (runId === undefined) return dbxError(400, 'INVALID_PARAMETER_VALUE', 'run_id is required.');
    const run = demo.runIn(workspace, runId);
    if (!run) return dbxError(404, 'RESOURCE_DOES_NOT_EXIST', `Run ${runId} does not exist.`);
    const latest = latestAttempt(run);
    if (phaseOf(latest, demo.clock()) !== 'DONE') {
        return dbxError(400, 'INVALID_STATE', `Run ${runId} is still in progress and cannot be repaired.`);
    }
    const repairs = run.attempts.filter((a) => a.repairId !== undefined);
    const lastRepairId = repairs[repairs.length - 1]?.repairId;
    const given = b['latest_repair_id'];
    if (lastRepairId !== undefined && given === undefined) {
        return dbxError(400, 'INVALID_PARAMETER_VALUE', 'latest repair ID needs to be provided');
    }
    if (given !== undefined && asId(given) !== lastRepairId) {
        return dbxError(
            400,
            'INVALID_PARAMETER_VALUE',
            `latest_repair_id ${String(given)} is not the latest repair of run ${runId}.`,
        );
    }
    const failed = demo.failedTasks(run);
    let keys: string[];
    if (b['rerun_all_failed_tasks'] === true) {
        keys = failed;
    } else if (Array.isArray(b['rerun_tasks']) && b['rerun_tasks'].length > 0) {
        keys = b['rerun_tasks'].map(String);
        const unknown = keys.filter((k) => !run.job.tasks.some((t) => t.key === k));
        if (unknown.length)
            return dbxError(400, 'INVALID_PARAMETER_VALUE', `Unknown task keys: ${unknown.join(', ')}.`);
        if (b['rerun_dependent_tasks'] === true) {
            for (const t of run.job.tasks)
                if (t.dependsOn.some((d) => keys.includes(d)) && !keys.includes(t.key)) keys.push(t.key);
        }
    } else {
        return dbxError(400, 'INVALID_PARAMETER_VALUE', 'Either rerun_tasks or rerun_all_failed_tasks must be set.');
    }
    if (keys.length === 0)
        return dbxError(400, 'INVALID_PARAMETER_VALUE', `Run ${runId} has no failed tasks to repair.`);
    const repairId = demo.newRepairId();
    const attempt: Attempt = {
        type: 'REPAIR',
        repairId,
        startMs: demo.clock(),
        outcome: 'SUCCESS',
        taskRuns: new Map(keys.map((k) => [k, demo.newId()] as const)),
    };
    run.attempts.push(attempt);
    return { status: 200, body: { repair_id: repairId } };
}

/**
 * POST jobs/run-now: a new run (which fails like the scheduled ones); the idempotency token returns the same run.
 * Tokens are per workspace, so they are kept under `<workspace id>:<token>`.
 */
export function dbxRunNow(demo: DatabricksDemo, workspace: string, body: unknown): Answer {
    const b = asObject(body);
    const jobId = asId(b['job_id']);
    const job = Object.values(JOBS).find((j) => j.jobId === jobId);
    if (!job) return dbxError(400, 'INVALID_PARAMETER_VALUE', `Job ${String(b['job_id'] ?? '')} does not exist.`);
    const token = b['idempotency_token'];
    if (token !== undefined && (typeof token !== 'string' || token.length > 64)) {
        return dbxError(400, 'INVALID_PARAMETER_VALUE', 'idempotency_token must be a string of at most 64 characters.');
    }
    const key = typeof token === 'string' ? `${workspace}:${token}` : undefined;
    const known = key === undefined ? undefined : demo.idempotency.get(key);
    const existing = known === undefined ? undefined : demo.runIn(workspace, known);
    const run = existing ?? demo.createRun(job, demo.clock(), 'ONE_TIME', workspace);
    if (key !== undefined) demo.idempotency.set(key, run.runId);
    return { status: 200, body: { run_id: run.runId, number_in_job: run.numberInJob } };
}
