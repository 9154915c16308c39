import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../devhost/sandbox';

const FACTORY =
    '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-demo' +
    '/providers/Microsoft.DataFactory/factories/adf-demo';
const V = 'api-version=2018-06-01';
const recoveryOf = (pipeline: string, runId: string) =>
    `/arm${FACTORY}/pipelines/${pipeline}/createRun?${V}` +
    `&referencePipelineRunId=${runId}&isRecovery=true&startFromFailure=true`;

async function req(sb: Sandbox, method: string, path: string, body?: unknown) {
    const res = await fetch(sb.baseUrl + path, {
        method,
        headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('sandbox demo mode: Data Factory', () => {
    let sb: Sandbox;
    let now = Date.parse('2025-06-02T09:00:00Z');
    const window = () => ({
        lastUpdatedAfter: new Date(now - 3_600_000).toISOString(),
        lastUpdatedBefore: new Date(now + 3_600_000).toISOString(),
    });
    const getRun = async (id: string) => (await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${id}?${V}`)).body;
    async function allActivityRows(runId: string) {
        const pages = [];
        let token: string | null = null;
        do {
            const res = await req(sb, 'POST', `/arm${FACTORY}/pipelineruns/${runId}/queryActivityruns?${V}`, {
                ...window(),
                ...(token && { continuationToken: token }),
            });
            assert.equal(res.status, 200);
            pages.push(res.body.value);
            token = res.body.continuationToken;
        } while (token);
        return pages;
    }

    before(async () => {
        sb = await startSandbox({ mode: 'demo', clock: () => now });
    });
    after(() => sb.close());

    it('fails the 2108 pipeline and returns a ready-to-post Log Alerts V2 body', async () => {
        const res = await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api');
        assert.equal(res.status, 200);
        const alert = JSON.parse(JSON.stringify(res.body.alert));
        assert.equal(alert.schemaId, 'azureMonitorCommonAlertSchema');
        assert.equal(alert.data.essentials.monitoringService, 'Log Alerts V2');
        assert.equal(alert.data.essentials.firedDateTime, new Date(now).toISOString());
        const dims = Object.fromEntries(
            alert.data.alertContext.condition.allOf[0].dimensions.map((d: any) => [d.name, d.value]),
        );
        assert.deepEqual(dims, {
            PipelineName: 'pl_flaky_partner_api',
            RunId: res.body.runId,
            FailureType: 'UserError',
            _ResourceId: FACTORY.toLowerCase(),
        });
        const second = await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api');
        assert.notEqual(second.body.alert.data.essentials.alertId, alert.data.essentials.alertId, 'fresh alert id');
        const run = await getRun(res.body.runId);
        assert.deepEqual([run.status, run.isLatest, run.runGroupId], ['Failed', true, res.body.runId]);
    });

    it('pages activity runs one row at a time and shows the 2108 Web activity error', async () => {
        const { runId } = (await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api')).body;
        const pages = await allActivityRows(runId);
        assert.deepEqual(
            pages.map((p) => p.length),
            [1, 1],
        );
        const [lookup, web] = pages.flat();
        assert.deepEqual([lookup.activityName, lookup.status], ['Lookup_Watermark', 'Succeeded']);
        assert.deepEqual(
            [web.activityType, web.status, web.error.errorCode, web.error.failureType],
            ['WebActivity', 'Failed', '2108', 'UserError'],
        );
        assert.match(web.error.message, /Error calling the endpoint .*'NA - Unknown'/);
        const missingTimes = await req(sb, 'POST', `/arm${FACTORY}/pipelineruns/${runId}/queryActivityruns?${V}`, {});
        assert.equal(missingTimes.status, 400);
    });

    it('moves a recovery rerun through Queued, InProgress and Succeeded as the clock advances', async () => {
        const { runId: failed } = (await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api')).body;
        const path = recoveryOf('pl_flaky_partner_api', failed);
        const created = await req(sb, 'POST', path, {});
        assert.equal(created.status, 200);
        const rerun: string = created.body.runId;
        assert.match(rerun, /^[0-9a-f-]{36}$/);
        assert.notEqual(rerun, failed);
        const statuses = [(await getRun(rerun)).status];
        now += 6_000;
        statuses.push((await getRun(rerun)).status);
        now += 15_000;
        const done = await getRun(rerun);
        statuses.push(done.status);
        assert.deepEqual(statuses, ['Queued', 'InProgress', 'Succeeded']);
        assert.deepEqual([done.runGroupId, done.isLatest, (await getRun(failed)).isLatest], [failed, true, false]);
        const rows = (await allActivityRows(rerun)).flat();
        assert.deepEqual(
            rows.map((r) => [r.activityName, r.status]),
            [
                ['Web_Get_Partner_Token', 'Succeeded'],
                ['Copy_Partner_Prices', 'Succeeded'],
            ],
        );

        const query = async (filters: unknown[]) =>
            (await req(sb, 'POST', `/arm${FACTORY}/queryPipelineRuns?${V}`, { ...window(), filters })).body;
        const group = await query([{ operand: 'RunGroupId', operator: 'Equals', values: [failed] }]);
        assert.deepEqual(group.value.map((r: any) => r.runId).sort(), [failed, rerun].sort());
        const ok = await query([
            { operand: 'PipelineName', operator: 'Equals', values: ['pl_flaky_partner_api'] },
            { operand: 'Status', operator: 'In', values: ['Succeeded', 'Cancelled'] },
        ]);
        assert.deepEqual(
            ok.value.map((r: any) => r.runId),
            [rerun],
        );
    });

    it('pages queryPipelineRuns with a continuation token', async () => {
        for (let i = 0; i < 6; i++) await req(sb, 'POST', '/sandbox/adf/fail/pl_copy_landing');
        const ids: string[] = [];
        let token: string | null = null;
        let pages = 0;
        do {
            const body: any = (
                await req(sb, 'POST', `/arm${FACTORY}/queryPipelineRuns?${V}`, {
                    ...window(),
                    filters: [{ operand: 'PipelineName', operator: 'Equals', values: ['pl_copy_landing'] }],
                    ...(token && { continuationToken: token }),
                })
            ).body;
            ids.push(...body.value.map((r: any) => r.runId));
            token = body.continuationToken;
            pages++;
        } while (token);
        assert.equal(pages, 2);
        assert.equal(new Set(ids).size, 6);
    });

    it('fails the copy pipeline with 2200 source blob missing, and its reruns fail the same way', async () => {
        const { runId } = (await req(sb, 'POST', '/sandbox/adf/fail/pl_copy_landing')).body;
        const copy = (await allActivityRows(runId)).flat().find((r) => r.status === 'Failed');
        assert.equal(copy.error.errorCode, '2200');
        assert.match(copy.error.message, /ErrorCode=UserErrorSourceBlobNotExists/);
        assert.match(copy.error.message, /ContainerName: landing, path: landing\/sales\//);
        const path = recoveryOf('pl_copy_landing', runId);
        const rerun = (await req(sb, 'POST', path, {})).body.runId;
        now += 21_000;
        const run = await getRun(rerun);
        assert.equal(run.status, 'Failed');
        assert.match(run.message, /Copy_Landing_To_Bronze/);
    });

    it('answers errors like ARM does', async () => {
        const unknownRun = await req(
            sb,
            'GET',
            `/arm${FACTORY}/pipelineruns/00000000-0000-0000-0000-000000000000?${V}`,
        );
        assert.deepEqual([unknownRun.status, unknownRun.body.error.code], [404, 'PipelineRunNotFound']);
        const noVersion = await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/x`);
        assert.deepEqual([noVersion.status, noVersion.body.error.code], [400, 'MissingApiVersionParameter']);
        const badRef = await req(
            sb,
            'POST',
            `/arm${FACTORY}/pipelines/pl_copy_landing/createRun?${V}&referencePipelineRunId=nope&isRecovery=true`,
            {},
        );
        assert.equal(badRef.status, 400);
        const otherFactory = await req(
            sb,
            'GET',
            `/arm${FACTORY.replace('adf-demo', 'adf-other')}/pipelineruns/x?${V}`,
        );
        assert.deepEqual([otherFactory.status, otherFactory.body.error.code], [404, 'ResourceNotFound']);
        const unknownPipeline = await req(sb, 'POST', '/sandbox/adf/fail/pl_nope');
        assert.equal(unknownPipeline.status, 404);
        assert.match(unknownPipeline.body.error, /pl_flaky_partner_api, pl_copy_landing/);
        const noAuth = await fetch(`${sb.baseUrl}/arm${FACTORY}/pipelineruns/x?${V}`);
        assert.equal(noAuth.status, 401);
    });

    it('reports integration runtime status', async () => {
        const res = await req(sb, 'POST', `/arm${FACTORY}/integrationRuntimes/ir-demo-shir/getStatus?${V}`);
        assert.deepEqual(
            [res.status, res.body.properties.type, res.body.properties.state],
            [200, 'SelfHosted', 'Online'],
        );
        assert.equal((await req(sb, 'POST', `/arm${FACTORY}/integrationRuntimes/ir-x/getStatus?${V}`)).status, 404);
    });
});
