import type { RunError, RunState } from '../domain';
import { NotFoundError } from '../ports';
import { idString } from './bigjson';
import { PermanentHttpError } from './http';

export interface DbxState {
    life_cycle_state?: string;
    result_state?: string;
    state_message?: string;
}

export interface DbxStatus {
    state?: string;
    termination_details?: { code?: string; type?: string; message?: string } | null;
}

export interface DbxTask {
    task_key?: string;
    run_id?: number | string;
    state?: DbxState;
    status?: DbxStatus | null;
}

export interface DbxRun {
    run_id?: number | string;
    run_name?: string;
    run_page_url?: string;
    state?: DbxState;
    status?: DbxStatus | null;
    tasks?: DbxTask[];
    repair_history?: Array<{ type?: string; id?: number | string | null; start_time?: number }>;
}

const LIFECYCLE: Record<string, RunState['state']> = {
    QUEUED: 'queued',
    PENDING: 'queued',
    BLOCKED: 'queued',
    WAITING_FOR_RETRY: 'queued',
    RUNNING: 'running',
    TERMINATING: 'running',
    INTERNAL_ERROR: 'failed',
    SKIPPED: 'failed',
};

const STATUS: Record<string, RunState['state']> = {
    QUEUED: 'queued',
    PENDING: 'queued',
    BLOCKED: 'queued',
    WAITING: 'queued',
    RUNNING: 'running',
    TERMINATING: 'running',
};

const TERMINAL = new Set<RunState['state']>(['succeeded', 'failed', 'cancelled']);

function fromState(state: DbxState | undefined): RunState['state'] {
    const lc = state?.life_cycle_state;
    if (lc === 'TERMINATED') {
        if (state?.result_state === 'SUCCESS') return 'succeeded';
        if (state?.result_state === 'CANCELED') return 'cancelled';
        return 'failed';
    }
    return (lc !== undefined && LIFECYCLE[lc]) || 'unknown';
}

function fromStatus(status: DbxStatus | null | undefined): RunState['state'] | undefined {
    const s = status?.state;
    if (!s) return undefined;
    if (s === 'TERMINATED') {
        const code = status?.termination_details?.code;
        if (code === 'SUCCESS') return 'succeeded';
        if (code === 'USER_CANCELED' || code === 'CANCELED') return 'cancelled';
        return 'failed';
    }
    return STATUS[s] ?? 'unknown';
}

/**
 * The run's state from `state` (life cycle), cross-checked with the newer `status`: when one of them says the
 * run is over and the other does not, the run is reported as not over yet (the next poll settles it).
 */
export function dbxState(run: Pick<DbxRun, 'state' | 'status'>): RunState['state'] {
    const a = fromState(run.state);
    const b = fromStatus(run.status);
    if (b === undefined || b === 'unknown') return a;
    if (a === 'unknown') return b;
    if (TERMINAL.has(a) !== TERMINAL.has(b)) return TERMINAL.has(a) ? b : a;
    return a;
}

export function dbxRawStatus(run: Pick<DbxRun, 'state' | 'status'>): string {
    const lc = run.state?.life_cycle_state;
    if (lc) return run.state?.result_state ? `${lc}/${run.state.result_state}` : lc;
    const s = run.status?.state;
    const code = run.status?.termination_details?.code;
    return s ? (code ? `${s}/${code}` : s) : 'unknown';
}

const FAILED_RESULTS = new Set(['FAILED', 'TIMEDOUT', 'MAXIMUM_CONCURRENT_RUNS_REACHED']);

export function taskFailed(task: DbxTask): boolean {
    return task.state?.life_cycle_state === 'INTERNAL_ERROR' || FAILED_RESULTS.has(task.state?.result_state ?? '');
}

/** The run-level error: `status.termination_details`, or the failed `state` when the run has no `status`. */
export function runLevelError(run: DbxRun): RunError | undefined {
    const name = run.run_name ?? `run ${idString(run.run_id) ?? '?'}`;
    const td = run.status?.termination_details;
    if (td && td.code !== 'SUCCESS') {
        return {
            scope: 'run',
            name,
            code: td.code || undefined,
            terminationType: td.type || undefined,
            message: td.message ?? '',
        };
    }
    if (!td && run.state && dbxState(run) === 'failed' && run.state.state_message) {
        return { scope: 'run', name, message: run.state.state_message };
    }
    return undefined;
}

/** Repair entries of the history, oldest first. */
export function repairIds(run: DbxRun): string[] {
    return (run.repair_history ?? [])
        .filter((entry) => entry.type === 'REPAIR')
        .map((entry) => idString(entry.id))
        .filter((id): id is string => id !== undefined);
}

/** Runs/get says the run does not exist: 404, or the older 400 RESOURCE_DOES_NOT_EXIST / "does not exist". */
export function isMissingRun(err: unknown): boolean {
    if (err instanceof NotFoundError) return true;
    return (
        err instanceof PermanentHttpError &&
        (err.code === 'RESOURCE_DOES_NOT_EXIST' || (err.status === 400 && /does not exist/i.test(err.message)))
    );
}

export function needsLatestRepairId(err: unknown): boolean {
    return err instanceof PermanentHttpError && err.status === 400 && /latest.?repair.?id/i.test(err.message);
}
