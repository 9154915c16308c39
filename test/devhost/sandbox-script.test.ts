import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type CaseMock, type Sandbox } from '../../devhost/sandbox';

const ARM = 'https://management.azure.com';
const FACTORY = '/subscriptions/sub-1/resourceGroups/rg-a/providers/Microsoft.DataFactory/factories/adf-a';
const DBX_HOST = 'adb-5550001112223334.4.azuredatabricks.net';
const AUTH = { authorization: 'Bearer t', 'x-goog-api-key': 'k' };

async function req(sb: Sandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
    const res = await fetch(sb.baseUrl + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
        status: res.status,
        headers: res.headers,
        body: text ? (JSON.parse(text) as Record<string, any>) : undefined,
    };
}

const mock = (m: Partial<CaseMock> & Pick<CaseMock, 'service' | 'url'>): CaseMock => ({
    method: 'GET',
    responses: [{ status: 200, body: {} }],
    ...m,
});

describe('sandbox script mode', () => {
    let sb: Sandbox;
    let now = Date.parse('2025-03-14T02:07:00Z');
    const mocks: CaseMock[] = [
        mock({
            service: 'adf',
            url: `${ARM}${FACTORY}/pipelineruns/run-1?api-version=2018-06-01`,
            responses: [
                { status: 200, body: { status: 'Queued' } },
                { status: 200, body: { status: 'InProgress' } },
                { status: 200, body: { status: 'Succeeded' } },
            ],
        }),
        mock({
            service: 'adf',
            method: 'POST',
            url:
                `${ARM}${FACTORY}/pipelines/pl_x/createRun?api-version=2018-06-01&referencePipelineRunId=run-0` +
                '&isRecovery=true',
            responses: [
                { status: 429, headers: { 'Retry-After': '5' }, body: { error: { code: 'Throttled' } } },
                { status: 200, body: { runId: 'run-1' } },
            ],
        }),
        mock({
            service: 'gemini',
            method: 'POST',
            url: 'https://generativelanguage.googleapis.com/v1beta/models/{model}:generateContent',
            responses: [{ status: 503, body: { error: { code: 503, status: 'UNAVAILABLE' } } }],
        }),
        mock({
            service: 'databricks',
            url: `https://${DBX_HOST}/api/2.1/jobs/runs/get?run_id=77`,
            responses: [{ status: 200, body: { run_id: 77 } }],
        }),
        mock({
            service: 'databricks',
            method: 'POST',
            url: `https://${DBX_HOST}/api/2.1/jobs/runs/repair`,
            matchBody: { latest_repair_id: '$absent' },
            responses: [
                { status: 200, body: { repair_id: 1 } },
                { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } },
            ],
        }),
        mock({
            service: 'databricks',
            method: 'POST',
            url: `https://${DBX_HOST}/api/2.1/jobs/runs/repair`,
            matchBody: { latest_repair_id: 1 },
            responses: [{ status: 200, body: { repair_id: 2 } }],
        }),
        mock({
            service: 'adf',
            method: 'POST',
            url: `${ARM}${FACTORY}/pipelines/pl_never/createRun`,
            mustNotBeCalled: true,
            responses: [{ status: 200, body: { runId: 'x' } }],
        }),
    ];

    before(async () => {
        sb = await startSandbox({ mode: 'script', mocks, clock: () => now });
    });
    after(() => sb.close());

    it('answers responses in order, then repeats the last', async () => {
        const path = `/arm${FACTORY}/pipelineruns/run-1?api-version=2018-06-01`;
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await req(sb, 'GET', path)).body?.['status']);
        assert.deepEqual(statuses, ['Queued', 'InProgress', 'Succeeded', 'Succeeded']);
    });

    it('is case-insensitive on ARM resource types but exact on names', async () => {
        const types = FACTORY.replace('resourceGroups', 'RESOURCEGROUPS').replace(
            'Microsoft.DataFactory',
            'microsoft.datafactory',
        );
        const lower = `/arm${types}/PipelineRuns/run-1?api-version=2018-06-01`;
        assert.equal((await req(sb, 'GET', lower)).status, 200);
        const otherName = `/arm${FACTORY.replace('adf-a', 'ADF-A')}/pipelineruns/run-1?api-version=2018-06-01`;
        assert.equal((await req(sb, 'GET', otherName)).status, 404);
    });

    it('requires the query parameters written in the mock; missing isRecovery falls to the default 500', async () => {
        const base = `/arm${FACTORY}/pipelines/pl_x/createRun?api-version=2018-06-01&referencePipelineRunId=run-0`;
        const missing = await req(sb, 'POST', base + '&startFromFailure=true', {});
        assert.equal(missing.status, 500);
        assert.ok(missing.body?.['error']?.code);
        const first = await req(sb, 'POST', base + '&isRecovery=true&startFromFailure=true', {});
        assert.equal(first.status, 429);
        assert.equal(first.headers.get('retry-after'), '5');
        assert.deepEqual((await req(sb, 'POST', base + '&isRecovery=true', {})).body, { runId: 'run-1' });
    });

    it('matches {model} for any model name, with or without the /gemini prefix', async () => {
        const a = await req(sb, 'POST', '/gemini/v1beta/models/gemini-2.5-flash:generateContent', { contents: [] });
        const b = await req(sb, 'POST', '/v1beta/models/gemini-2.5-pro:generateContent', { contents: [] });
        assert.deepEqual([a.status, b.status], [503, 503]);
    });

    it('treats Databricks 2.1 and 2.2 paths alike and checks the workspace host', async () => {
        assert.equal((await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`)).status, 200);
        assert.equal((await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.1/jobs/runs/get?run_id=77`)).status, 200);
        const other = await req(sb, 'GET', '/dbx/adb-999.1.azuredatabricks.net/api/2.2/jobs/runs/get?run_id=77');
        assert.equal(other.status, 404);
        assert.equal(other.body?.['error_code'], 'RESOURCE_DOES_NOT_EXIST');
    });

    it('selects by matchBody, including "$absent"', async () => {
        const path = `/dbx/${DBX_HOST}/api/2.2/jobs/runs/repair`;
        assert.deepEqual((await req(sb, 'POST', path, { run_id: 77, rerun_all_failed_tasks: true })).body, {
            repair_id: 1,
        });
        assert.equal((await req(sb, 'POST', path, { run_id: 77 })).status, 400);
        assert.deepEqual((await req(sb, 'POST', path, { run_id: 77, latest_repair_id: 1 })).body, { repair_id: 2 });
        const wrongId = await req(sb, 'POST', path, { run_id: 77, latest_repair_id: 5 });
        assert.equal(wrongId.status, 500, 'no mock matches, so the default repair answer applies');
    });

    it('records a violation for a mustNotBeCalled mock and still answers it', async () => {
        const res = await req(sb, 'POST', `/arm${FACTORY}/pipelines/pl_never/createRun?api-version=2018-06-01`, {});
        assert.equal(res.status, 200);
        assert.deepEqual(sb.violations, [
            `mustNotBeCalled: POST ${ARM}${FACTORY}/pipelines/pl_never/createRun?api-version=2018-06-01`,
        ]);
    });

    it('gives the default answers when nothing is scripted', async () => {
        const q = await req(sb, 'POST', `/arm${FACTORY}/queryPipelineRuns?api-version=2018-06-01`, {});
        assert.deepEqual([q.status, q.body], [200, { value: [], continuationToken: null }]);
        const a = await req(sb, 'POST', `/arm${FACTORY}/pipelineruns/zz/queryActivityruns?api-version=2018-06-01`, {});
        assert.deepEqual(a.body, { value: [], continuationToken: null });
        const g = await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/zz?api-version=2018-06-01`);
        assert.deepEqual([g.status, g.body?.['error']?.code], [404, 'PipelineRunNotFound']);
        const c = await req(sb, 'POST', `/arm${FACTORY}/pipelines/pl_y/createRun?api-version=2018-06-01`, {});
        assert.equal(c.status, 500);
        const d = await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get-output?run_id=1`);
        assert.deepEqual([d.status, d.body?.['error_code']], [404, 'RESOURCE_DOES_NOT_EXIST']);
        const other = await req(sb, 'GET', `/arm${FACTORY}/pipelines?api-version=2018-06-01`);
        assert.equal(other.status, 404);
    });

    it('records calls with canonical URLs, bodies and clock times', async () => {
        sb.calls.length = 0;
        now = Date.parse('2025-03-14T03:00:00Z');
        await req(sb, 'POST', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/repair`, { run_id: 77, latest_repair_id: 1 });
        await req(sb, 'POST', '/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=secret', { contents: [] });
        assert.deepEqual(sb.calls, [
            {
                service: 'databricks',
                method: 'POST',
                url: `https://${DBX_HOST}/api/2.2/jobs/runs/repair`,
                body: { run_id: 77, latest_repair_id: 1 },
                status: 200,
                at: '2025-03-14T03:00:00.000Z',
            },
            {
                service: 'gemini',
                method: 'POST',
                url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
                body: { contents: [] },
                status: 503,
                at: '2025-03-14T03:00:00.000Z',
            },
        ]);
    });

    it("rejects calls without credentials in each service's error shape", async () => {
        const arm = await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/run-1?api-version=2018-06-01`, undefined, {});
        assert.deepEqual([arm.status, arm.body?.['error']?.code], [401, 'AuthenticationFailed']);
        const dbx = await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`, undefined, {});
        assert.deepEqual([dbx.status, dbx.body?.['error_code']], [401, 'UNAUTHENTICATED']);
        const gem = await req(sb, 'POST', '/gemini/v1beta/models/m:generateContent', {}, { authorization: 'Bearer t' });
        assert.equal(gem.status, 403);
    });

    it('injects faults for a number of calls, then answers normally', async () => {
        sb.setFault('databricks', { status: 429, retryAfterSeconds: 7, count: 1 });
        const faulted = await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`);
        assert.deepEqual([faulted.status, faulted.headers.get('retry-after')], [429, '7']);
        assert.equal(faulted.body?.['error_code'], 'REQUEST_LIMIT_EXCEEDED');
        assert.equal((await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`)).status, 200);
    });

    it('delays answers when a fault below 400 carries delayMs, then answers normally', async () => {
        sb.setFault('databricks', { status: 200, delayMs: 150, count: 1 });
        const started = performance.now();
        const slow = await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`);
        assert.ok(performance.now() - started >= 140);
        assert.deepEqual(slow.body, { run_id: 77 });
        const fastStart = performance.now();
        await req(sb, 'GET', `/dbx/${DBX_HOST}/api/2.2/jobs/runs/get?run_id=77`);
        assert.ok(performance.now() - fastStart < 140, 'the fault applied to one call only');
    });

    it('settings point the product at the sandbox', () => {
        const s = sb.settings();
        assert.equal(s['ARM_ENDPOINT'], `${sb.baseUrl}/arm`);
        assert.equal(s['GEMINI_BASE_URL'], `${sb.baseUrl}/gemini`);
        assert.equal(s['DATABRICKS_WORKSPACES'], `5550001112223334=${sb.baseUrl}/dbx/${DBX_HOST}`);
        assert.ok(s['ARM_ACCESS_TOKEN'] && s['DATABRICKS_TOKEN']);
    });
});
