import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AdfRunRef } from '../../../../src/shared/domain';
import { NotFoundError, TransientError } from '../../../../src/shared/ports';
import { createAdfConnector } from '../../../../src/shared/clients/adf';
import { staticToken } from '../../../../src/shared/clients/tokens';
import { caseResponses, variantResponses } from './caseFixtures';
import { Stub, type Scripted } from './stubServer';

const C18 = 'C18-adf-createrun-504-and-arm-429.json';
const C21 = 'C21-adf-rerun-new-runid-queued-canceling.json';
const FAILED = '6c8e0a2c-4e6a-4c8e-9a2c-4e6a8c0e2a4c';
const RERUN = 'd1e3f5a7-b9c1-4d3e-8f5a-7b9c1d3e5f7a';
const NOT_BEFORE = '2025-03-14T02:09:00Z';
const FACTORY =
    '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd' +
    '/providers/Microsoft.DataFactory/factories/adf-lakehouse-prd';

const ref = (runId = FAILED, pipelineName = 'pl_daily_fx_rates'): AdfRunRef => ({
    factoryResourceId: FACTORY.toLowerCase(),
    subscriptionId: '8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71',
    resourceGroup: 'rg-analytics-prd',
    factoryName: 'adf-lakehouse-prd',
    pipelineName,
    runId,
});

describe('ADF connector', () => {
    let stub: Stub;
    const connector = (timeoutMs = 2000) =>
        createAdfConnector({
            armEndpoint: `${stub.url}/`,
            token: staticToken('arm-token-123'),
            timeoutMs,
            now: () => new Date('2025-03-14T02:09:00Z'),
        });

    beforeEach(async () => {
        stub = await Stub.start();
    });
    afterEach(() => stub.close());

    it('fetchFailure pages activity runs across an empty page and maps failed rows', async () => {
        const run = caseResponses(C18, 'adf', 'GET', `pipelineruns/${FAILED}`);
        const rows = caseResponses(C18, 'adf', 'POST', 'queryActivityruns')[0]?.body as { value: unknown[] };
        const ok = {
            activityName: 'Lookup_Config',
            activityType: 'Lookup',
            status: 'Succeeded',
            error: { errorCode: '', message: '' },
        };
        stub.on('GET', `/pipelineruns/${FAILED}`, ...run).on(
            'POST',
            '/queryActivityruns',
            { status: 200, body: { value: [ok], continuationToken: 'page-2' } },
            { status: 200, body: { value: [], continuationToken: 'page-3' } },
            { status: 200, body: { value: rows.value, continuationToken: null } },
        );
        const details = await connector().fetchFailure(ref());

        const pages = stub.calls('POST', '/queryActivityruns').map((r) => JSON.parse(r.body));
        assert.equal(pages.length, 3);
        assert.equal(pages[0].continuationToken, undefined);
        assert.equal(pages[1].continuationToken, 'page-2');
        assert.equal(pages[2].continuationToken, 'page-3');
        assert.ok(Date.parse(pages[0].lastUpdatedAfter) < Date.parse('2025-03-14T02:02:00Z'));
        assert.ok(Date.parse(pages[0].lastUpdatedBefore) > Date.parse('2025-03-14T02:03:40Z'));
        assert.equal(stub.requests[0]?.query.get('api-version'), '2018-06-01');
        assert.equal(stub.requests[0]?.headers.authorization, 'Bearer arm-token-123');

        assert.equal(details.found, true);
        assert.equal(details.runStatus, 'Failed');
        assert.deepEqual(details.errors[0], {
            scope: 'activity',
            name: 'Copy_FxRates',
            type: 'Copy',
            code: '2200',
            failureType: 'UserError',
            message: (rows.value[0] as { error: { message: string } }).error.message,
        });
        assert.equal(details.errors.length, 2);
        assert.deepEqual(details.errors[1], {
            scope: 'run',
            name: 'pl_daily_fx_rates',
            message: 'Operation on target Copy_FxRates failed: sink database temporarily unavailable',
        });
        assert.equal(
            details.runUrl,
            `https://adf.azure.com/en/monitoring/pipelineruns/${FAILED}` +
                `?factory=${encodeURIComponent(FACTORY.toLowerCase())}`,
        );
    });

    it('fetchFailure answers found:false for a 404 run without querying activities', async () => {
        stub.on('GET', `/pipelineruns/${FAILED}`, { status: 404, body: { error: { code: 'PipelineRunNotFound' } } });
        assert.deepEqual(await connector().fetchFailure(ref()), { found: false, errors: [] });
        assert.equal(stub.calls('POST', '/queryActivityruns').length, 0);
    });

    it('fetchFailure URL-encodes names', async () => {
        stub.on('GET', /pipelineruns/, { status: 404 });
        await connector().fetchFailure({ ...ref(), resourceGroup: 'rg a', factoryName: 'f/x' });
        assert.match(stub.requests[0]?.url ?? '', /\/resourceGroups\/rg%20a\/.*\/factories\/f%2Fx\/pipelineruns\//);
    });

    it('a first startRecovery makes one call: createRun with the recovery query string and body {}', async () => {
        stub.on('GET', `/pipelineruns/${FAILED}`, ...caseResponses(C18, 'adf', 'GET', `pipelineruns/${FAILED}`))
            .on('POST', '/queryPipelineRuns', { status: 200, body: { value: [], continuationToken: null } })
            .on('POST', '/createRun', { status: 200, body: { runId: RERUN } });
        const result = await connector().startRecovery(ref(), NOT_BEFORE, { checkFirst: false });
        assert.deepEqual(result, { runId: RERUN, reused: false });

        assert.equal(stub.requests.length, 1);
        const create = stub.requests[0];
        assert.equal(create?.method, 'POST');
        assert.equal(
            create?.url,
            '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd/providers/' +
                'Microsoft.DataFactory/factories/adf-lakehouse-prd/pipelines/pl_daily_fx_rates/createRun' +
                `?api-version=2018-06-01&referencePipelineRunId=${FAILED}&isRecovery=true&startFromFailure=true`,
        );
        assert.equal(create?.body, '{}');
    });

    it('a retried startRecovery looks for a run of the run group after notBefore before creating one', async () => {
        stub.on('GET', `/pipelineruns/${FAILED}`, { status: 200, body: { runId: FAILED, runGroupId: 'group-1' } })
            .on('POST', '/queryPipelineRuns', { status: 200, body: { value: [], continuationToken: null } })
            .on('POST', '/createRun', { status: 200, body: { runId: RERUN } });
        const result = await connector().startRecovery(ref(), NOT_BEFORE, { checkFirst: true });
        assert.deepEqual(result, { runId: RERUN, reused: false });

        assert.deepEqual(
            stub.requests.map((r) => `${r.method} ${r.path.split('/').pop()}`),
            [`GET ${FAILED}`, 'POST queryPipelineRuns', 'POST createRun'],
        );
        const query = JSON.parse(stub.calls('POST', '/queryPipelineRuns')[0]?.body ?? '{}');
        assert.equal(query.lastUpdatedAfter, NOT_BEFORE);
        assert.deepEqual(query.filters, [{ operand: 'RunGroupId', operator: 'Equals', values: ['group-1'] }]);
        assert.match(stub.calls('POST', '/createRun')[0]?.url ?? '', /isRecovery=true&startFromFailure=true$/);
    });

    it('C18: a createRun 504 is transient, and the retry adopts the run ADF created anyway', async () => {
        const created = caseResponses(C18, 'adf', 'POST', '/queryPipelineRuns');
        stub.on('GET', `/pipelineruns/${FAILED}`, ...caseResponses(C18, 'adf', 'GET', `pipelineruns/${FAILED}`))
            .on('POST', '/queryPipelineRuns', ...created)
            .on('POST', '/createRun', ...caseResponses(C18, 'adf', 'POST', '/createRun'));
        const adf = connector();

        await assert.rejects(adf.startRecovery(ref(), NOT_BEFORE, { checkFirst: false }), (err) => {
            assert.ok(err instanceof TransientError);
            assert.match(err.message, /504/);
            assert.doesNotMatch(err.message, /arm-token-123/);
            return true;
        });
        assert.equal(stub.requests.length, 1);
        assert.deepEqual(await adf.startRecovery(ref(), NOT_BEFORE, { checkFirst: true }), {
            runId: RERUN,
            reused: true,
        });
        assert.equal(stub.calls('POST', '/createRun').length, 1);
        assert.equal(stub.calls('POST', '/queryPipelineRuns').length, 1);
    });

    it('does not adopt the failed run itself or a run that started before notBefore', async () => {
        const old = { runId: 'older-run', runGroupId: FAILED, runStart: '2025-03-14T02:05:00Z' };
        const self = { runId: FAILED, runGroupId: FAILED, runStart: '2025-03-14T02:02:00Z' };
        stub.on('GET', `/pipelineruns/${FAILED}`, { status: 200, body: { runId: FAILED, runGroupId: FAILED } })
            .on('POST', '/queryPipelineRuns', { status: 200, body: { value: [old, self], continuationToken: null } })
            .on('POST', '/createRun', { status: 200, body: { runId: 'fresh' } });
        assert.deepEqual(await connector().startRecovery(ref(), NOT_BEFORE, { checkFirst: true }), {
            runId: 'fresh',
            reused: false,
        });
        assert.equal(stub.calls('POST', '/queryPipelineRuns').length, 1);
    });

    it('a 429 with Retry-After becomes TransientError.retryAfterMs (C18 variant B)', async () => {
        const [throttled] = variantResponses(C18, 'B-arm-throttled');
        stub.on('POST', '/createRun', throttled as Scripted);
        await assert.rejects(connector().startRecovery(ref(), NOT_BEFORE, { checkFirst: false }), (err) => {
            assert.ok(err instanceof TransientError);
            assert.equal(err.retryAfterMs, 5000);
            assert.match(err.message, /ResourceRequestsThrottled/);
            return true;
        });
    });

    it('a createRun timeout is transient', async () => {
        stub.on('POST', '/createRun', { status: 200, body: { runId: 'late' }, delayMs: 1000 });
        await assert.rejects(connector(150).startRecovery(ref(), NOT_BEFORE, { checkFirst: false }), (err) => {
            assert.ok(err instanceof TransientError);
            assert.match(err.message, /timed out/);
            return true;
        });
    });

    it('getRun maps every status; Canceling stays non-terminal (C21)', async () => {
        const statuses = ['Queued', 'InProgress', 'Canceling', 'Cancelled', 'Succeeded', 'Failed', 'Paused'];
        const template = caseResponses(C21, 'adf', 'GET', '3d5f7a9c')[0]?.body as Record<string, unknown>;
        stub.on(
            'GET',
            '/pipelineruns/3d5f7a9c-1e3a-4d5f-8a9c-1e3a5d7f9a1c',
            ...statuses.map((status) => ({ status: 200, body: { ...template, status } })),
        );
        const adf = connector();
        const states = [];
        for (let i = 0; i < statuses.length; i++)
            states.push(await adf.getRun(ref(), '3d5f7a9c-1e3a-4d5f-8a9c-1e3a5d7f9a1c'));
        assert.deepEqual(
            states.map((s) => [s.state, s.rawStatus]),
            [
                ['queued', 'Queued'],
                ['running', 'InProgress'],
                ['running', 'Canceling'],
                ['cancelled', 'Cancelled'],
                ['succeeded', 'Succeeded'],
                ['failed', 'Failed'],
                ['unknown', 'Paused'],
            ],
        );
        assert.equal(states[0]?.runId, '3d5f7a9c-1e3a-4d5f-8a9c-1e3a5d7f9a1c');
        assert.match(states[0]?.url ?? '', /^https:\/\/adf\.azure\.com\/en\/monitoring\/pipelineruns\/3d5f7a9c/);
    });

    it('getRun of a missing run throws NotFoundError', async () => {
        stub.on('GET', /pipelineruns/, { status: 404 });
        await assert.rejects(connector().getRun(ref(), 'nope'), NotFoundError);
    });
});
