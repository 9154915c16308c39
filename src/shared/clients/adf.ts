import type { AdfRunRef, FailureDetails, RunError, RunState } from '../domain';
import { type AdfConnector, type AdfFactoryRef, NotFoundError, TransientError } from '../ports';
import {
    activityErrors,
    activityWindow,
    adfState,
    findRecoveryRun,
    monitoringUrl,
    runSummaries,
    type AdfActivityRun,
    type AdfPage,
    type AdfPipelineRun,
} from './adfMapping';
import { createHttpClient } from './http';
import type { TokenProvider } from './tokens';

const API = 'api-version=2018-06-01';
const MAX_PAGES = 50;

export interface AdfConnectorOptions {
    armEndpoint: string;
    token: TokenProvider;
    timeoutMs: number;
    fetch?: typeof fetch;
    now?: () => Date;
}

export function createAdfConnector(opts: AdfConnectorOptions): AdfConnector {
    const now = opts.now ?? (() => new Date());
    const http = createHttpClient({ token: opts.token, timeoutMs: opts.timeoutMs, fetch: opts.fetch, now });
    const arm = opts.armEndpoint.replace(/\/+$/, '');
    const enc = encodeURIComponent;

    const factoryUrl = (ref: AdfFactoryRef) =>
        `${arm}/subscriptions/${enc(ref.subscriptionId)}/resourceGroups/${enc(ref.resourceGroup)}` +
        `/providers/Microsoft.DataFactory/factories/${enc(ref.factoryName)}`;

    const getPipelineRun = async (ref: AdfRunRef, runId: string) =>
        (await http.send({
            method: 'GET',
            url: `${factoryUrl(ref)}/pipelineruns/${enc(runId)}?${API}`,
        })) as AdfPipelineRun;

    /** Follows continuationToken until it is null, empty pages included. */
    async function queryAll<T>(url: string, body: Record<string, unknown>): Promise<T[]> {
        const rows: T[] = [];
        let token: string | null | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
            const req = token ? { ...body, continuationToken: token } : body;
            const res = ((await http.send({ method: 'POST', url, body: req })) ?? {}) as AdfPage<T>;
            rows.push(...(res.value ?? []));
            token = res.continuationToken;
            if (!token) return rows;
        }
        return rows;
    }

    async function createRecoveryRun(ref: AdfRunRef): Promise<string> {
        const url =
            `${factoryUrl(ref)}/pipelines/${enc(ref.pipelineName)}/createRun?${API}` +
            `&referencePipelineRunId=${enc(ref.runId)}&isRecovery=true&startFromFailure=true`;
        const res = (await http.send({ method: 'POST', url, body: {} })) as { runId?: unknown } | undefined;
        if (typeof res?.runId !== 'string' || !res.runId) {
            throw new TransientError(`createRun for ${ref.pipelineName} answered without a runId`);
        }
        return res.runId;
    }

    return {
        async findFailedRuns(factory, window, pipelineName) {
            const filters = [{ operand: 'Status', operator: 'Equals', values: ['Failed'] }];
            if (pipelineName) filters.push({ operand: 'PipelineName', operator: 'Equals', values: [pipelineName] });
            const runs = await queryAll<AdfPipelineRun>(`${factoryUrl(factory)}/queryPipelineRuns?${API}`, {
                lastUpdatedAfter: window.after,
                lastUpdatedBefore: window.before,
                filters,
            });
            return runSummaries(runs, pipelineName);
        },
        async getIntegrationRuntimeState(ref, name) {
            const url = `${factoryUrl(ref)}/integrationRuntimes/${enc(name)}/getStatus?${API}`;
            const res = (await http.send({ method: 'POST', url, body: {} })) as { properties?: { state?: unknown } } | undefined;
            return typeof res?.properties?.state === 'string' ? res.properties.state : 'Unknown';
        },
        async fetchFailure(ref) {
            let run: AdfPipelineRun;
            try {
                // A run found by a run lookup was read seconds ago: no second read of the same record.
                run = ref.knownRun ? { ...ref.knownRun, runId: ref.runId, pipelineName: ref.pipelineName } : await getPipelineRun(ref, ref.runId);
            } catch (err) {
                if (err instanceof NotFoundError) return { found: false, errors: [] };
                throw err;
            }
            const activities = await queryAll<AdfActivityRun>(
                `${factoryUrl(ref)}/pipelineruns/${enc(ref.runId)}/queryActivityruns?${API}`,
                activityWindow(run, now()),
            );
            const errors: RunError[] = activityErrors(activities);
            if (run.message) {
                errors.push({ scope: 'run', name: run.pipelineName ?? ref.pipelineName, message: run.message });
            }
            const details: FailureDetails = {
                found: true,
                runStatus: run.status,
                runMessage: run.message || undefined,
                runUrl: monitoringUrl(ref.runId, ref.factoryResourceId),
                errors,
            };
            return details;
        },

        async startRecovery(ref, notBefore, { checkFirst }) {
            if (!checkFirst) return { runId: await createRecoveryRun(ref), reused: false };
            // createRun has no idempotency key: look for a run a previous (lost) call may have started.
            const failed = await getPipelineRun(ref, ref.runId);
            const runGroupId = failed.runGroupId || ref.runId;
            const lastUpdatedBefore = new Date(now().getTime() + 24 * 3_600_000).toISOString();
            const runs = await queryAll<AdfPipelineRun>(`${factoryUrl(ref)}/queryPipelineRuns?${API}`, {
                lastUpdatedAfter: notBefore,
                lastUpdatedBefore,
                filters: [{ operand: 'RunGroupId', operator: 'Equals', values: [runGroupId] }],
            });
            const existing = findRecoveryRun(
                runs.filter((r) => !r.runGroupId || r.runGroupId === runGroupId),
                ref.runId,
                notBefore,
            );
            if (existing?.runId) return { runId: existing.runId, reused: true };
            return { runId: await createRecoveryRun(ref), reused: false };
        },

        async getRun(ref, runId) {
            const run = await getPipelineRun(ref, runId);
            const state: RunState = {
                runId,
                state: adfState(run.status),
                rawStatus: run.status ?? 'unknown',
                message: run.message || undefined,
                url: monitoringUrl(runId, ref.factoryResourceId),
            };
            return state;
        },
    };
}
