import { DEMO_WORKSPACES, QUEUED_MS, RUN_MS } from './constants';
import { CLOUD_FAILURE_MESSAGE, type JobDef, type TaskDef } from './dbx-jobs';

export { CLOUD_FAILURE_MESSAGE, JOBS, type JobDef, type TaskDef } from './dbx-jobs';

export interface Attempt {
    type: 'ORIGINAL' | 'REPAIR';
    repairId?: number;
    startMs: number;
    outcome: 'SUCCESS' | 'CLOUD_FAILURE';
    /** Task key → the task run id of this attempt (only the tasks it ran). */
    taskRuns: Map<string, number>;
}

export interface DbxRun {
    runId: number;
    /** Id of the workspace (a key of DEMO_WORKSPACES) the run belongs to. */
    workspace: string;
    job: JobDef;
    numberInJob: number;
    trigger: 'PERIODIC' | 'ONE_TIME';
    attempts: Attempt[];
}

export interface RunState {
    life_cycle_state: string;
    state_message: string;
    user_cancelled_or_timedout: boolean;
    result_state?: string;
}

export type Phase = 'PENDING' | 'RUNNING' | 'DONE';

export function phaseOf(attempt: Attempt, now: number): Phase {
    const elapsed = now - attempt.startMs;
    return elapsed < QUEUED_MS ? 'PENDING' : elapsed < RUN_MS ? 'RUNNING' : 'DONE';
}

export const endOf = (attempt: Attempt, now: number) =>
    phaseOf(attempt, now) === 'DONE' ? attempt.startMs + RUN_MS : 0;

export function runState(attempt: Attempt, now: number): RunState {
    const phase = phaseOf(attempt, now);
    if (phase === 'PENDING')
        return { life_cycle_state: 'PENDING', state_message: 'Waiting for cluster', user_cancelled_or_timedout: false };
    if (phase === 'RUNNING')
        return { life_cycle_state: 'RUNNING', state_message: 'In run', user_cancelled_or_timedout: false };
    return attempt.outcome === 'SUCCESS'
        ? {
              life_cycle_state: 'TERMINATED',
              state_message: '',
              user_cancelled_or_timedout: false,
              result_state: 'SUCCESS',
          }
        : {
              life_cycle_state: 'INTERNAL_ERROR',
              state_message: CLOUD_FAILURE_MESSAGE,
              user_cancelled_or_timedout: false,
              result_state: 'FAILED',
          };
}

/** A task's state within an attempt: tasks whose upstream also ran in the attempt wait for it, then follow it. */
export function taskState(job: JobDef, attempt: Attempt, key: string, now: number): RunState {
    const def = job.tasks.find((t) => t.key === key);
    const upstreamInAttempt = (def?.dependsOn ?? []).some((d) => attempt.taskRuns.has(d));
    const phase = phaseOf(attempt, now);
    if (!upstreamInAttempt) return runState(attempt, now);
    if (phase !== 'DONE') return { life_cycle_state: 'BLOCKED', state_message: '', user_cancelled_or_timedout: false };
    if (attempt.outcome === 'SUCCESS') return runState(attempt, now);
    return {
        life_cycle_state: 'SKIPPED',
        state_message: 'Upstream task failed.',
        user_cancelled_or_timedout: false,
        result_state: 'UPSTREAM_FAILED',
    };
}

export const latestAttempt = (run: DbxRun): Attempt => run.attempts[run.attempts.length - 1]!;

/** For each task, the newest attempt that ran it. */
export function currentTasks(run: DbxRun): { def: TaskDef; attempt: Attempt; taskRunId: number }[] {
    return run.job.tasks.flatMap((def) => {
        const attempt = [...run.attempts].reverse().find((a) => a.taskRuns.has(def.key));
        return attempt ? [{ def, attempt, taskRunId: attempt.taskRuns.get(def.key)! }] : [];
    });
}

export const runPageUrl = (run: DbxRun, id: number) =>
    `https://${DEMO_WORKSPACES[run.workspace]}/?o=${run.workspace}#job/${run.job.jobId}/run/${id}`;

export function runBody(run: DbxRun, now: number, includeHistory: boolean): Record<string, unknown> {
    const latest = latestAttempt(run);
    const state = runState(latest, now);
    const first = run.attempts[0]!;
    const end = endOf(latest, now);
    const tasks = currentTasks(run).map(({ def, attempt, taskRunId }) => ({
        task_key: def.key,
        run_id: taskRunId,
        state: taskState(run.job, attempt, def.key, now),
        job_cluster_key: 'etl_cluster',
        notebook_task: { notebook_path: def.notebook, source: 'WORKSPACE' },
        start_time: attempt.startMs,
        setup_duration: 0,
        execution_duration: 0,
        cleanup_duration: 0,
        end_time: endOf(attempt, now),
        attempt_number: 0,
        run_page_url: runPageUrl(run, taskRunId),
        ...(def.dependsOn.length > 0 && { depends_on: def.dependsOn.map((task_key) => ({ task_key })) }),
    }));
    const done = state.result_state !== undefined;
    const termination = !done
        ? undefined
        : latest.outcome === 'SUCCESS'
          ? { code: 'SUCCESS', type: 'SUCCESS', message: '' }
          : { code: 'CLOUD_FAILURE', type: 'CLOUD_FAILURE', message: CLOUD_FAILURE_MESSAGE };
    return {
        job_id: run.job.jobId,
        run_id: run.runId,
        creator_user_name: 'svc-demo@example.org',
        number_in_job: run.numberInJob,
        original_attempt_run_id: run.runId,
        state,
        tasks,
        start_time: first.startMs,
        setup_duration: 0,
        execution_duration: 0,
        cleanup_duration: 0,
        end_time: end,
        run_duration: end ? end - first.startMs : 0,
        trigger: run.trigger,
        run_name: run.job.name,
        run_page_url: runPageUrl(run, run.runId),
        run_type: 'JOB_RUN',
        format: 'MULTI_TASK',
        status: {
            state: done ? 'TERMINATED' : state.life_cycle_state,
            ...(termination && { termination_details: termination }),
        },
        ...(includeHistory && {
            repair_history: run.attempts.map((a) => {
                const { state_message: _omit, ...s } = runState(a, now);
                return {
                    type: a.type,
                    start_time: a.startMs,
                    end_time: endOf(a, now),
                    state: s,
                    task_run_ids: [...a.taskRuns.values()],
                    ...(a.repairId !== undefined && { id: a.repairId }),
                };
            }),
        }),
    };
}
