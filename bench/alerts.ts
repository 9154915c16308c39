import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CaseMock } from '../devhost/sandbox';

const ROOT = join(__dirname, '..');
const FACTORY_ARM = 'https://management.azure.com/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd/providers/Microsoft.DataFactory/factories/adf-lakehouse-prd';
const API = 'api-version=2018-06-01';

interface LogAlert {
    data: { essentials: { alertId: string }; alertContext: { condition: { allOf: { dimensions: { name: string; value: string }[] }[] } } };
}

const template = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'cases', 'C01-logalertsv2-adf-no-search-results.json'), 'utf8')) as LogAlert;

export const runIdOf = (prefix: string, i: number) => `${prefix}-${String(i).padStart(6, '0')}-4e08-9c6a-52d0e8b1f7a4`;
export const pipelineOf = (i: number) => `pl_storm_${String(i % 40).padStart(2, '0')}`;

/** A Log Alerts V2 body (the C01 shape, ~5 KB) for run `runId` of `pipeline`. */
export function logAlert(pipeline: string, runId: string): string {
    const body = structuredClone(template);
    body.data.essentials.alertId = `/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/providers/Microsoft.AlertsManagement/alerts/${runId}`;
    const dims = body.data.alertContext.condition.allOf[0]!.dimensions;
    dims.find((d) => d.name === 'PipelineName')!.value = pipeline;
    dims.find((d) => d.name === 'RunId')!.value = runId;
    return JSON.stringify(body);
}

/**
 * Scripted ADF answers for the storm's runs: each failed with a transient 2108 (an integration runtime's
 * endpoint dropped), so the policy reruns it once; its recovery run succeeds.
 */
export function stormMocks(runIds: string[], pipelines: string[]): CaseMock[] {
    return runIds.flatMap((runId, i): CaseMock[] => {
        const pipeline = pipelines[i]!;
        const run = { runId, runGroupId: runId, pipelineName: pipeline, status: 'Failed', message: 'Operation on target Call_Api failed', runStart: '2025-03-14T02:00:00Z', runEnd: '2025-03-14T02:10:00Z', lastUpdated: '2025-03-14T02:10:00Z' };
        const error = { errorCode: '2108', message: 'Error calling the endpoint: the connection was forcibly closed by the remote host', failureType: 'UserError' };
        return [
            { service: 'adf', method: 'GET', url: `${FACTORY_ARM}/pipelineruns/${runId}?${API}`, responses: [{ status: 200, body: run }] },
            { service: 'adf', method: 'POST', url: `${FACTORY_ARM}/pipelineruns/${runId}/queryActivityruns?${API}`, responses: [{ status: 200, body: { value: [{ activityName: 'Call_Api', activityType: 'WebActivity', status: 'Failed', error }], continuationToken: null } }] },
            { service: 'adf', method: 'POST', url: `${FACTORY_ARM}/pipelines/${pipeline}/createRun?${API}&referencePipelineRunId=${runId}`, responses: [{ status: 200, body: { runId: `re-${runId}` } }] },
            { service: 'adf', method: 'GET', url: `${FACTORY_ARM}/pipelineruns/re-${runId}?${API}`, responses: [{ status: 200, body: { ...run, runId: `re-${runId}`, status: 'Succeeded' } }] },
        ];
    });
}

/** Deterministic shuffle (a fixed seed keeps runs comparable). */
export function shuffled<T>(items: T[], seed = 7): T[] {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        const j = s % (i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
}
