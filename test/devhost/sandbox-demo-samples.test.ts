import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../devhost/sandbox';
import { classify } from '../../src/shared/classifier';
import { createAdfConnector } from '../../src/shared/clients/adf';
import { staticToken } from '../../src/shared/clients/tokens';
import { parseAzureMonitorAlert } from '../../src/shared/intake/azureMonitor';

const SAMPLES = resolve(__dirname, '../fixtures/sample-alerts');
const sample = (name: string): any => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
const ADF_ALERT = sample('adf-log-alert.json');
const DBX_WEBHOOK = sample('databricks-on-failure.json');

const dims = Object.fromEntries(
    ADF_ALERT.data.alertContext.condition.allOf[0].dimensions.map((d: any) => [d.name, d.value]),
);
/** The factory exactly as the alert's `_ResourceId` spells it: all lower case. */
const ALERT_FACTORY: string = dims._ResourceId;
const FACTORY =
    '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd' +
    '/providers/Microsoft.DataFactory/factories/adf-lakehouse-prd';
const DEMO_FACTORY =
    '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-demo' +
    '/providers/Microsoft.DataFactory/factories/adf-demo';
const ADF_RUN = 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4';
const V = 'api-version=2018-06-01';
const HOST = 'adb-5550001112223334.4.azuredatabricks.net';
const API = `/dbx/${HOST}/api/2.2/jobs`;
const DBX_RUN = 771234567890123;
const START = Date.parse('2025-06-02T09:00:00Z');
const adfTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '0000Z');

async function req(sb: Sandbox, method: string, path: string, body?: unknown) {
    const res = await fetch(sb.baseUrl + path, {
        method,
        headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

const activityRows = async (sb: Sandbox, factory: string, runId: string, now: number) => {
    const rows = [];
    let token: string | null = null;
    do {
        const res = await req(sb, 'POST', `/arm${factory}/pipelineruns/${runId}/queryActivityruns?${V}`, {
            lastUpdatedAfter: new Date(now - 3_600_000).toISOString(),
            lastUpdatedBefore: new Date(now + 3_600_000).toISOString(),
            ...(token && { continuationToken: token }),
        });
        assert.equal(res.status, 200);
        rows.push(...res.body.value);
        token = res.body.continuationToken;
    } while (token);
    return rows;
};

describe('sandbox demo mode: the sample alerts’ runs are seeded', () => {
    let sb: Sandbox;
    let now = START;
    const getDbx = async (id: number, host = HOST) =>
        req(sb, 'GET', `/dbx/${host}/api/2.1/jobs/runs/get?run_id=${id}&include_history=true`);

    before(async () => {
        sb = await startSandbox({ mode: 'demo', clock: () => now });
    });
    after(() => sb.close());

    it('the sample files name the seeded runs', () => {
        assert.deepEqual(
            [dims.PipelineName, dims.RunId, dims.FailureType],
            ['pl_ingest_sales_daily', ADF_RUN, 'UserError'],
        );
        assert.equal(ALERT_FACTORY, FACTORY.toLowerCase());
        assert.deepEqual(
            [DBX_WEBHOOK.workspace_id, DBX_WEBHOOK.run.run_id, DBX_WEBHOOK.job.name],
            ['5550001112223334', String(DBX_RUN), 'nightly_orders_silver'],
        );
    });

    it('answers GET pipelineruns and queryActivityruns for the seeded ADF run with the 2108 error', async () => {
        const run = await req(sb, 'GET', `/arm${ALERT_FACTORY}/pipelineruns/${ADF_RUN}?${V}`);
        assert.equal(run.status, 200);
        assert.deepEqual(
            [run.body.id, run.body.pipelineName, run.body.status, run.body.isLatest],
            [`${FACTORY}/pipelineruns/${ADF_RUN}`, 'pl_ingest_sales_daily', 'Failed', true],
        );
        assert.equal(run.body.runStart, adfTime(START - 6 * 60_000));
        assert.ok(Date.parse(run.body.runEnd) < START - 5 * 60_000, run.body.runEnd);
        assert.match(run.body.message, /^Operation on target Web_Export_Pos_Sales failed: Error calling the endpoint/);
        const rows = await activityRows(sb, ALERT_FACTORY, ADF_RUN, now);
        const failed = rows.filter((r) => r.status === 'Failed');
        assert.equal(failed.length, 1);
        assert.deepEqual(
            [failed[0].activityName, failed[0].activityType, failed[0].error.errorCode, failed[0].error.failureType],
            ['Web_Export_Pos_Sales', 'WebActivity', '2108', 'UserError'],
        );
        const endpointError = /^Error calling the endpoint '[^']+'\. Response status code: 'NA - Unknown'/;
        assert.match(failed[0].error.message, endpointError);
        const elsewhere = await req(sb, 'GET', `/arm${DEMO_FACTORY}/pipelineruns/${ADF_RUN}?${V}`);
        assert.deepEqual([elsewhere.status, elsewhere.body.error.code], [404, 'PipelineRunNotFound']);
    });

    it('heals the seeded ADF run with a recovery rerun that succeeds as the clock advances', async () => {
        const created = await req(
            sb,
            'POST',
            `/arm${ALERT_FACTORY}/pipelines/pl_ingest_sales_daily/createRun?${V}` +
                `&referencePipelineRunId=${ADF_RUN}&isRecovery=true&startFromFailure=true`,
            {},
        );
        assert.equal(created.status, 200);
        const rerun: string = created.body.runId;
        const get = async (id: string) => (await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${id}?${V}`)).body;
        const statuses = [(await get(rerun)).status];
        now += 6_000;
        statuses.push((await get(rerun)).status);
        now += 15_000;
        const done = await get(rerun);
        statuses.push(done.status);
        assert.deepEqual(statuses, ['Queued', 'InProgress', 'Succeeded']);
        assert.deepEqual([done.runGroupId, (await get(ADF_RUN)).isLatest], [ADF_RUN, false]);
        assert.deepEqual(
            (await activityRows(sb, FACTORY, rerun, now)).map((r) => [r.activityName, r.status]),
            [
                ['Web_Export_Pos_Sales', 'Succeeded'],
                ['Copy_Sales_To_Bronze', 'Succeeded'],
            ],
        );
    });

    it('fails pl_ingest_sales_daily on demand, with an alert naming its factory', async () => {
        const res = await req(sb, 'POST', '/sandbox/adf/fail/pl_ingest_sales_daily');
        assert.equal(res.status, 200);
        const fired = Object.fromEntries(
            res.body.alert.data.alertContext.condition.allOf[0].dimensions.map((d: any) => [d.name, d.value]),
        );
        assert.deepEqual([fired.PipelineName, fired._ResourceId], ['pl_ingest_sales_daily', ALERT_FACTORY]);
        const run = await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${res.body.runId}?${V}`);
        assert.deepEqual([run.status, run.body.status], [200, 'Failed']);
    });

    it('answers runs/get for the seeded Databricks run with INTERNAL_ERROR / CLOUD_FAILURE', async () => {
        const { status, body: run } = await getDbx(DBX_RUN);
        assert.equal(status, 200);
        assert.deepEqual([run.run_id, run.job_id, run.run_name], [DBX_RUN, 441122334455667, 'nightly_orders_silver']);
        assert.deepEqual([run.state.life_cycle_state, run.state.result_state], ['INTERNAL_ERROR', 'FAILED']);
        assert.deepEqual(
            [run.status.termination_details.code, run.status.termination_details.type],
            ['CLOUD_FAILURE', 'CLOUD_FAILURE'],
        );
        assert.deepEqual(
            run.tasks.map((t: any) => [t.task_key, t.run_id, t.state.result_state]),
            [
                ['silver_orders', 771234567890124, 'FAILED'],
                ['silver_order_lines', 771234567890125, 'UPSTREAM_FAILED'],
            ],
        );
        assert.ok(run.end_time < START, 'finished before the demo started');
        assert.equal(run.run_page_url, `https://${HOST}/?o=5550001112223334#job/441122334455667/run/${DBX_RUN}`);
        const otherWorkspace = await getDbx(DBX_RUN, 'adb-1234567890123456.7.azuredatabricks.net');
        assert.deepEqual([otherWorkspace.status, otherWorkspace.body.error_code], [404, 'RESOURCE_DOES_NOT_EXIST']);
    });

    it('heals the seeded Databricks run with a repair', async () => {
        const repaired = await req(sb, 'POST', `${API}/runs/repair`, { run_id: DBX_RUN, rerun_all_failed_tasks: true });
        assert.equal(repaired.status, 200);
        now += 21_000;
        const done = (await getDbx(DBX_RUN)).body;
        assert.equal(`${done.state.life_cycle_state}/${done.state.result_state}`, 'TERMINATED/SUCCESS');
        assert.deepEqual(
            done.repair_history.map((h: any) => [h.type, h.id]),
            [
                ['ORIGINAL', undefined],
                ['REPAIR', repaired.body.repair_id],
            ],
        );
        assert.deepEqual(
            done.tasks.map((t: any) => t.state.result_state),
            ['SUCCESS', 'SUCCESS'],
        );
    });

    it('configures the product for the sample workspace', () => {
        const workspaces = sb.settings()['DATABRICKS_WORKSPACES']!.split(',');
        assert.ok(workspaces.includes(`5550001112223334=${sb.baseUrl}/dbx/${HOST}`), workspaces.join(','));
        assert.equal(workspaces.length, 2);
    });
});

describe('sandbox demo mode: the sample ADF alert through the product’s connector and classifier', () => {
    let sb: Sandbox;
    let now = START;
    before(async () => {
        sb = await startSandbox({ mode: 'demo', clock: () => now });
    });
    after(() => sb.close());

    it('is found, classified transient, and healed by a recovery rerun', async () => {
        const outcome = parseAzureMonitorAlert(ADF_ALERT);
        assert.equal(outcome.kind, 'failures');
        const ref = outcome.kind === 'failures' ? outcome.signals[0]?.adf : undefined;
        assert.ok(ref);
        const adf = createAdfConnector({
            armEndpoint: sb.settings()['ARM_ENDPOINT']!,
            token: staticToken('sandbox'),
            timeoutMs: 5_000,
            now: () => new Date(now),
        });
        const details = await adf.fetchFailure(ref);
        assert.deepEqual([details.found, details.runStatus], [true, 'Failed']);
        const verdict = classify('adf', details);
        assert.deepEqual([verdict.errorClass, verdict.retryable, verdict.errorCode], ['transient', true, '2108']);
        const { runId } = await adf.startRecovery(ref, new Date(now).toISOString(), { checkFirst: true });
        now += 21_000;
        assert.equal((await adf.getRun(ref, runId)).state, 'succeeded');
    });
});

describe('sandbox demo mode: seeded runs are persisted state', () => {
    let dir: string;
    let now: number;
    const open: Sandbox[] = [];
    const start = async () => {
        const sb = await startSandbox({ mode: 'demo', clock: () => now, dataDir: dir });
        open.push(sb);
        return sb;
    };

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'sandbox-samples-'));
        now = START;
    });
    afterEach(async () => {
        await Promise.allSettled(open.splice(0).map((sb) => sb.close()));
        rmSync(dir, { recursive: true, force: true });
    });

    it('saves the seeded runs at a fresh start; a restart keeps them as changed instead of re-seeding', async () => {
        let sb = await start();
        const saved = JSON.parse(readFileSync(join(dir, 'sandbox-demo.json'), 'utf8'));
        assert.deepEqual(
            saved.adf.runs.map((r: any) => r.runId),
            [ADF_RUN],
        );
        assert.deepEqual(
            saved.databricks.runs.map((r: any) => [r.runId, r.workspace]),
            [[DBX_RUN, '5550001112223334']],
        );
        const repaired = await req(sb, 'POST', `${API}/runs/repair`, { run_id: DBX_RUN, rerun_all_failed_tasks: true });
        assert.equal(repaired.status, 200);

        await sb.close();
        now += 3_600_000;
        sb = await start();
        const adfRun = (await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${ADF_RUN}?${V}`)).body;
        assert.equal(adfRun.runStart, adfTime(START - 6 * 60_000), 'not re-seeded at the new start time');
        const dbx = (await req(sb, 'GET', `${API}/runs/get?run_id=${DBX_RUN}&include_history=true`)).body;
        assert.deepEqual(
            dbx.repair_history.map((h: any) => h.type),
            ['ORIGINAL', 'REPAIR'],
        );
        assert.equal(`${dbx.state.life_cycle_state}/${dbx.state.result_state}`, 'TERMINATED/SUCCESS');
    });
});
