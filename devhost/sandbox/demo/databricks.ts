import { dbxError } from '../responses';
import type { ServiceCall } from '../server';
import type { Answer } from '../types';
import { DEMO_WORKSPACE_ID, DEMO_WORKSPACES } from './constants';
import { dbxRepair, dbxRunNow } from './dbx-actions';
import {
    CLOUD_FAILURE_MESSAGE,
    currentTasks,
    runBody,
    runPageUrl,
    taskState,
    type Attempt,
    type DbxRun,
    type JobDef,
} from './dbx-model';

export class DatabricksDemo {
    readonly runs = new Map<number, DbxRun>();
    readonly idempotency = new Map<string, number>();
    /** The next ids to hand out; persisted with the runs so ids stay unique across restarts. */
    readonly counters = { nextId: 880_010_000_000_000, nextRepair: 90_001, jobRuns: 0 };

    constructor(readonly clock: () => number) {}

    newId(): number {
        return this.counters.nextId++;
    }

    newRepairId(): number {
        return this.counters.nextRepair++;
    }

    /**
     * A run of the job whose original attempt started at `startMs` and ends with a cloud failure; `ids` fixes the
     * run id and the task run ids (in task order) instead of handing out new ones.
     */
    createRun(
        job: JobDef,
        startMs: number,
        trigger: DbxRun['trigger'],
        workspace = DEMO_WORKSPACE_ID,
        ids?: { runId: number; taskRunIds: number[] },
    ): DbxRun {
        const runId = ids?.runId ?? this.newId();
        const taskRuns = new Map(job.tasks.map((t, i) => [t.key, ids?.taskRunIds[i] ?? this.newId()] as const));
        const attempt: Attempt = { type: 'ORIGINAL', startMs, outcome: 'CLOUD_FAILURE', taskRuns };
        const numberInJob = ++this.counters.jobRuns;
        const run: DbxRun = { runId, workspace, job, numberInJob, trigger, attempts: [attempt] };
        this.runs.set(runId, run);
        return run;
    }

    /** The run with this id in the workspace; runs of other workspaces do not exist there. */
    runIn(workspace: string, runId: number): DbxRun | undefined {
        const run = this.runs.get(runId);
        return run?.workspace === workspace ? run : undefined;
    }

    handle(call: ServiceCall): Answer {
        const workspace = Object.keys(DEMO_WORKSPACES).find((id) => DEMO_WORKSPACES[id] === call.route.host);
        if (!workspace) return dbxError(404, 'ENDPOINT_NOT_FOUND', `Unknown workspace host ${call.route.host}.`);
        const op = call.route.path.replace(/^\/api\/2\.[12]\//, '');
        const query = call.route.query;
        if (call.method === 'GET' && op === 'jobs/runs/get') return this.get(workspace, query);
        if (call.method === 'GET' && op === 'jobs/runs/get-output') return this.getOutput(workspace, query);
        if (call.method === 'POST' && op === 'jobs/runs/repair') return dbxRepair(this, workspace, call.body);
        if (call.method === 'POST' && op === 'jobs/run-now') return dbxRunNow(this, workspace, call.body);
        return dbxError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${call.method} ${call.route.path}'.`);
    }

    private runIdParam(query: URLSearchParams): number | Answer {
        const raw = query.get('run_id') ?? '';
        if (!/^\d+$/.test(raw)) return dbxError(400, 'INVALID_PARAMETER_VALUE', `Invalid run_id '${raw}'.`);
        return Number(raw);
    }

    private get(workspace: string, query: URLSearchParams): Answer {
        const id = this.runIdParam(query);
        if (typeof id !== 'number') return id;
        const run = this.runIn(workspace, id);
        if (!run) return dbxError(404, 'RESOURCE_DOES_NOT_EXIST', `Run ${id} does not exist.`);
        return { status: 200, body: runBody(run, this.clock(), query.get('include_history') === 'true') };
    }

    private getOutput(workspace: string, query: URLSearchParams): Answer {
        const id = this.runIdParam(query);
        if (typeof id !== 'number') return id;
        if (this.runIn(workspace, id)) {
            return dbxError(
                400,
                'INVALID_PARAMETER_VALUE',
                'Retrieving the output of runs with multiple tasks is not supported. ' +
                    'Please retrieve the output of each individual task run instead.',
            );
        }
        const now = this.clock();
        for (const run of this.runs.values()) {
            if (run.workspace !== workspace) continue;
            for (const attempt of run.attempts) {
                for (const [key, taskRunId] of attempt.taskRuns) {
                    if (taskRunId === id) return { status: 200, body: this.output(run, attempt, key, taskRunId, now) };
                }
            }
        }
        return dbxError(404, 'RESOURCE_DOES_NOT_EXIST', `Run ${id} does not exist.`);
    }

    private output(
        run: DbxRun,
        attempt: Attempt,
        key: string,
        taskRunId: number,
        now: number,
    ): Record<string, unknown> {
        const state = taskState(run.job, attempt, key, now);
        const metadata = {
            job_id: run.job.jobId,
            run_id: taskRunId,
            number_in_job: run.numberInJob,
            state,
            task_key: key,
            start_time: attempt.startMs,
            run_page_url: runPageUrl(run, taskRunId),
            run_type: 'JOB_RUN',
            attempt_number: 0,
        };
        if (state.result_state === 'SUCCESS') return { metadata, notebook_output: { result: 'OK', truncated: false } };
        if (state.result_state === 'FAILED') {
            return { metadata, error: CLOUD_FAILURE_MESSAGE, error_trace: '' };
        }
        if (state.result_state === 'UPSTREAM_FAILED') return { metadata, error: 'Upstream task failed.' };
        return { metadata };
    }

    /** Task keys that did not succeed in their latest attempt. */
    failedTasks(run: DbxRun): string[] {
        const now = this.clock();
        return currentTasks(run)
            .filter(({ def, attempt }) => taskState(run.job, attempt, def.key, now).result_state !== 'SUCCESS')
            .map(({ def }) => def.key);
    }
}
