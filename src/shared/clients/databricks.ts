import type { DatabricksRunRef, FailureDetails, RunError } from '../domain';
import { TransientError, type DatabricksConnector } from '../ports';
import { idString, parseJsonLossless } from './bigjson';
import {
    dbxRawStatus,
    dbxState,
    isMissingRun,
    needsLatestRepairId,
    repairIds,
    runLevelError,
    taskFailed,
    type DbxRun,
    type DbxTask,
} from './databricksMapping';
import { createHttpClient, type HttpClient } from './http';
import type { TokenProvider } from './tokens';

export interface DatabricksConnectorOptions {
    /** Workspace id → workspace base URL (https://adb-….azuredatabricks.net). */
    workspaces: Record<string, string>;
    token: (workspaceId: string) => TokenProvider;
    timeoutMs: number;
    fetch?: typeof fetch;
}

const OUTPUT_HEAD = 2000;
const TRACE_TAIL = 2000;

function decimalId(value: string, what: string): string {
    if (!/^\d+$/.test(value)) throw new Error(`Databricks ${what} must be a decimal integer`);
    return value;
}

export function createDatabricksConnector(opts: DatabricksConnectorOptions): DatabricksConnector {
    const clients = new Map<string, HttpClient>();

    function client(workspaceId: string): { http: HttpClient; base: string } {
        const base = opts.workspaces[workspaceId]?.replace(/\/+$/, '');
        if (!base) throw new Error(`Databricks workspace ${workspaceId} is not configured`);
        let http = clients.get(workspaceId);
        if (!http) {
            http = createHttpClient({
                token: opts.token(workspaceId),
                timeoutMs: opts.timeoutMs,
                fetch: opts.fetch,
                parse: parseJsonLossless,
            });
            clients.set(workspaceId, http);
        }
        return { http, base };
    }

    async function getRun(ref: DatabricksRunRef, history: boolean): Promise<DbxRun> {
        const { http, base } = client(ref.workspaceId);
        const runId = decimalId(ref.runId, 'run id');
        const url = `${base}/api/2.2/jobs/runs/get?run_id=${runId}${history ? '&include_history=true' : ''}`;
        const run = (await http.send({ method: 'GET', url })) as DbxRun | undefined;
        return run ?? {};
    }

    /** `error` head and `error_trace` tail of a task run; empty when get-output fails (purged, not supported...). */
    async function taskOutput(ref: DatabricksRunRef, taskRunId: string): Promise<string> {
        const { http, base } = client(ref.workspaceId);
        try {
            const out = (await http.send({
                method: 'GET',
                url: `${base}/api/2.2/jobs/runs/get-output?run_id=${taskRunId}`,
            })) as { error?: unknown; error_trace?: unknown } | undefined;
            const parts: string[] = [];
            if (typeof out?.error === 'string' && out.error) parts.push(out.error.slice(0, OUTPUT_HEAD));
            if (typeof out?.error_trace === 'string' && out.error_trace) parts.push(out.error_trace.slice(-TRACE_TAIL));
            return parts.join('\n');
        } catch {
            return '';
        }
    }

    async function taskError(ref: DatabricksRunRef, task: DbxTask): Promise<RunError> {
        const stateMessage = task.state?.state_message ?? '';
        const taskRunId = idString(task.run_id);
        const output = taskRunId ? await taskOutput(ref, taskRunId) : '';
        const message = [stateMessage, output].filter(Boolean).join('\n');
        return { scope: 'task', name: task.task_key ?? '(unnamed task)', message };
    }

    async function postRepair(ref: DatabricksRunRef, latestRepairId: string | undefined): Promise<string> {
        const { http, base } = client(ref.workspaceId);
        // Hand-built so the ids go out as exact JSON integers.
        const latest = latestRepairId ? `,"latest_repair_id":${decimalId(latestRepairId, 'repair id')}` : '';
        const body = `{"run_id":${decimalId(ref.runId, 'run id')},"rerun_all_failed_tasks":true${latest}}`;
        const res = (await http.send({ method: 'POST', url: `${base}/api/2.2/jobs/runs/repair`, body })) as
            { repair_id?: unknown } | undefined;
        const repairId = idString(res?.repair_id);
        if (!repairId) throw new TransientError('runs/repair answered without a repair_id');
        return repairId;
    }

    return {
        async fetchFailure(ref) {
            let run: DbxRun;
            try {
                run = await getRun(ref, true);
            } catch (err) {
                if (isMissingRun(err)) return { found: false, errors: [] };
                throw err;
            }
            const errors = await Promise.all((run.tasks ?? []).filter(taskFailed).map((t) => taskError(ref, t)));
            const runError = runLevelError(run);
            if (runError) errors.push(runError);
            const details: FailureDetails = {
                found: true,
                runStatus: dbxRawStatus(run),
                runMessage: run.state?.state_message || run.status?.termination_details?.message || undefined,
                runUrl: run.run_page_url,
                errors,
            };
            return details;
        },

        async repair(ref, { knownRepairs, latestRepairId, checkFirst }) {
            let latest = latestRepairId;
            if (checkFirst) {
                const repairs = repairIds(await getRun(ref, true));
                const newest = repairs[repairs.length - 1];
                if (newest && repairs.length > knownRepairs) return { repairId: newest, reused: true };
                latest = newest ?? latest;
            }
            try {
                return { repairId: await postRepair(ref, latest), reused: false };
            } catch (err) {
                if (!needsLatestRepairId(err)) throw err;
                // A repair we were not told of, or a history that lagged behind: read it once and retry.
                const repairs = repairIds(await getRun(ref, true));
                const newest = repairs[repairs.length - 1];
                if (checkFirst && newest && repairs.length > knownRepairs) return { repairId: newest, reused: true };
                if (!newest || newest === latest) throw err;
                return { repairId: await postRepair(ref, newest), reused: false };
            }
        },

        async getRun(ref) {
            const run = await getRun(ref, false);
            return {
                runId: ref.runId,
                state: dbxState(run),
                rawStatus: dbxRawStatus(run),
                message: run.state?.state_message || run.status?.termination_details?.message || undefined,
                url: run.run_page_url,
            };
        },
    };
}
