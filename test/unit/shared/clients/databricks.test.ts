import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createDatabricksConnector } from '../../../../src/shared/clients/databricks';
import { PermanentHttpError } from '../../../../src/shared/clients/http';
import { staticToken } from '../../../../src/shared/clients/tokens';
import type { DatabricksRunRef } from '../../../../src/shared/domain';
import { NotFoundError } from '../../../../src/shared/ports';
import { caseResponses } from './caseFixtures';
import { Stub, type Scripted } from './stubServer';

const C22 = 'C22-dbx-webhook-cloud-failure.json';
const C24 = 'C24-dbx-lifecycle-states-poller.json';
const C25 = 'C25-dbx-repair-latest-repair-id.json';
const WS = '5550001112223334';
const ref: DatabricksRunRef = { workspaceId: WS, runId: '771234567890123' };

describe('Databricks connector', () => {
    let stub: Stub;
    const tokensAskedFor: string[] = [];
    const connector = () =>
        createDatabricksConnector({
            workspaces: { [WS]: `${stub.url}/` },
            token: (id) => {
                tokensAskedFor.push(id);
                return staticToken('dapi-test-token');
            },
            timeoutMs: 2000,
        });

    beforeEach(async () => {
        stub = await Stub.start();
    });
    afterEach(() => stub.close());

    it('fetchFailure (C22): failed tasks with get-output, termination details, exact ids in the query', async () => {
        stub.on('GET', '/api/2.2/jobs/runs/get', ...caseResponses(C22, 'databricks', 'GET', 'runs/get')).on(
            'GET',
            '/api/2.2/jobs/runs/get-output',
            {
                status: 200,
                body: { error: 'E'.repeat(2500), error_trace: `${'x'.repeat(3000)}TRACE-END` },
            },
        );
        const details = await connector().fetchFailure(ref);

        const get = stub.calls('GET', '/runs/get')[0];
        assert.equal(get?.query.get('run_id'), '771234567890123');
        assert.equal(get?.query.get('include_history'), 'true');
        assert.equal(get?.headers.authorization, 'Bearer dapi-test-token');
        assert.deepEqual(tokensAskedFor.slice(-1), [WS]);
        // Only the failed task (not the skipped downstream one) is looked up.
        assert.deepEqual(
            stub.calls('GET', '/runs/get-output').map((r) => r.query.get('run_id')),
            ['771234567890124'],
        );

        assert.equal(details.found, true);
        assert.equal(details.runStatus, 'INTERNAL_ERROR/FAILED');
        assert.match(details.runUrl ?? '', /#job\/441122334455667\/run\/771234567890123$/);
        assert.equal(details.errors.length, 2);
        const task = details.errors[0];
        assert.equal(task?.scope, 'task');
        assert.equal(task?.name, 'silver_orders');
        assert.match(task?.message ?? '', /^Cluster 0314-021500-k7m2p9qx could not be started/);
        assert.ok(task?.message.includes(`\n${'E'.repeat(2000)}\n`));
        assert.ok(!task?.message.includes('E'.repeat(2001)));
        assert.ok(task?.message.endsWith(`${'x'.repeat(1991)}TRACE-END`));
        assert.ok(!task?.message.includes('x'.repeat(1992)));
        const run = details.errors[1];
        assert.deepEqual(
            { ...run, message: undefined },
            {
                scope: 'run',
                name: 'nightly_orders_silver',
                code: 'CLOUD_FAILURE',
                terminationType: 'CLOUD_FAILURE',
                message: undefined,
            },
        );
        assert.match(run?.message ?? '', /OverconstrainedAllocationRequest/);
    });

    it('fetchFailure ignores get-output failures', async () => {
        stub.on('GET', '/runs/get', ...caseResponses(C22, 'databricks', 'GET', 'runs/get')).on(
            'GET',
            '/runs/get-output',
            { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } },
        );
        const details = await connector().fetchFailure(ref);
        assert.equal(details.errors[0]?.message.split('\n').length, 1);
    });

    it('fetchFailure answers found:false for a run past retention (C25 variant B)', async () => {
        stub.on('GET', '/runs/get', {
            status: 404,
            body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run 771234567890123 does not exist.' },
        });
        assert.deepEqual(await connector().fetchFailure(ref), { found: false, errors: [] });
    });

    it('keeps 19-digit ids exact both ways', async () => {
        const big = '9223372036854775001';
        const body =
            `{"run_id":${big},"run_name":"j","state":{"life_cycle_state":"TERMINATED","result_state":"FAILED"},` +
            `"tasks":[{"task_key":"t","run_id":${big},` +
            `"state":{"life_cycle_state":"TERMINATED","result_state":"FAILED","state_message":"boom"}}],` +
            `"repair_history":[{"type":"REPAIR","id":${big}}]}`;
        stub.on('GET', '/runs/get', { status: 200, rawBody: body })
            .on('GET', '/runs/get-output', { status: 404 })
            .on('POST', '/runs/repair', { status: 200, rawBody: `{"repair_id":9223372036854775807}` });
        const bigRef = { workspaceId: WS, runId: big };
        await connector().fetchFailure(bigRef);
        assert.equal(stub.calls('GET', '/runs/get-output')[0]?.query.get('run_id'), big);
        assert.deepEqual(await connector().repair(bigRef, { knownRepairs: 1, checkFirst: true }), {
            repairId: '9223372036854775807',
            reused: false,
        });
        assert.equal(
            stub.calls('POST', '/runs/repair')[0]?.body,
            `{"run_id":${big},"rerun_all_failed_tasks":true,"latest_repair_id":${big}}`,
        );
        assert.deepEqual(await connector().repair(bigRef, { knownRepairs: 0, checkFirst: true }), {
            repairId: big,
            reused: true,
        });
        await connector().repair(bigRef, { knownRepairs: 2, latestRepairId: big, checkFirst: false });
        assert.equal(
            stub.calls('POST', '/runs/repair')[1]?.body,
            `{"run_id":${big},"rerun_all_failed_tasks":true,"latest_repair_id":${big}}`,
        );
    });

    it('a first repair (C22) makes one call: the POST with run_id as a JSON integer, no latest_repair_id', async () => {
        stub.on('GET', '/runs/get', ...caseResponses(C22, 'databricks', 'GET', 'runs/get')).on(
            'POST',
            '/api/2.2/jobs/runs/repair',
            ...caseResponses(C22, 'databricks', 'POST', 'runs/repair'),
        );
        const result = await connector().repair(ref, { knownRepairs: 0, checkFirst: false });
        assert.deepEqual(result, { repairId: '88001', reused: false });
        assert.equal(stub.requests.length, 1);
        const post = stub.calls('POST', '/runs/repair')[0];
        assert.equal(post?.body, '{"run_id":771234567890123,"rerun_all_failed_tasks":true}');
        assert.equal(post?.headers['content-type'], 'application/json');
    });

    it('a second repair (C25) sends the latestRepairId it is given without reading the run', async () => {
        stub.on('GET', '/runs/get', caseResponses(C25, 'databricks', 'GET', 'runs/get')[1] as Scripted).on(
            'POST',
            '/runs/repair',
            { status: 200, body: { repair_id: 88102 } },
        );
        const result = await connector().repair(ref, { knownRepairs: 1, latestRepairId: '88101', checkFirst: false });
        assert.deepEqual(result, { repairId: '88102', reused: false });
        assert.equal(stub.requests.length, 1);
        assert.equal(
            stub.calls('POST', '/runs/repair')[0]?.body,
            '{"run_id":771234567890123,"rerun_all_failed_tasks":true,"latest_repair_id":88101}',
        );
    });

    it('a first repair answered with the 400 about latest_repair_id reads the history once and retries', async () => {
        const rejected = caseResponses(C25, 'databricks', 'POST', 'runs/repair')[1] as Scripted;
        stub.on('GET', '/runs/get', caseResponses(C25, 'databricks', 'GET', 'runs/get')[1] as Scripted).on(
            'POST',
            '/runs/repair',
            rejected,
            { status: 200, body: { repair_id: 88102 } },
        );
        assert.deepEqual(await connector().repair(ref, { knownRepairs: 0, checkFirst: false }), {
            repairId: '88102',
            reused: false,
        });
        assert.deepEqual(
            stub.requests.map((r) => `${r.method} ${r.path}`),
            ['POST /api/2.2/jobs/runs/repair', 'GET /api/2.2/jobs/runs/get', 'POST /api/2.2/jobs/runs/repair'],
        );
        assert.equal(stub.calls('GET', '/runs/get')[0]?.query.get('include_history'), 'true');
        const bodies = stub.calls('POST', '/runs/repair').map((r) => JSON.parse(r.body));
        assert.equal('latest_repair_id' in bodies[0], false);
        assert.equal(bodies[1].latest_repair_id, 88101);
    });

    it('the 400 is not retried when the history has no newer repair than the one sent', async () => {
        const rejected = caseResponses(C25, 'databricks', 'POST', 'runs/repair')[1] as Scripted;
        stub.on('GET', '/runs/get', caseResponses(C25, 'databricks', 'GET', 'runs/get')[1] as Scripted).on(
            'POST',
            '/runs/repair',
            rejected,
        );
        await assert.rejects(
            connector().repair(ref, { knownRepairs: 1, latestRepairId: '88101', checkFirst: false }),
            (err) => err instanceof PermanentHttpError && /latest_repair_id/.test(err.message),
        );
        assert.equal(stub.calls('POST', '/runs/repair').length, 1);
        assert.equal(stub.calls('GET', '/runs/get').length, 1);
    });

    it('a retried repair reads the history first and sends its newest repair id', async () => {
        stub.on('GET', '/runs/get', caseResponses(C25, 'databricks', 'GET', 'runs/get')[1] as Scripted).on(
            'POST',
            '/runs/repair',
            { status: 200, body: { repair_id: 88102 } },
        );
        const result = await connector().repair(ref, { knownRepairs: 1, latestRepairId: '88000', checkFirst: true });
        assert.deepEqual(result, { repairId: '88102', reused: false });
        assert.deepEqual(stub.requests.map((r) => r.method), ['GET', 'POST']);
        assert.equal(stub.calls('GET', '/runs/get')[0]?.query.get('include_history'), 'true');
        assert.equal(JSON.parse(stub.calls('POST', '/runs/repair')[0]?.body ?? '').latest_repair_id, 88101);
    });

    it('a retried repair reuses a repair newer than the ones the caller knows of', async () => {
        stub.on('GET', '/runs/get', caseResponses(C25, 'databricks', 'GET', 'runs/get')[1] as Scripted);
        assert.deepEqual(await connector().repair(ref, { knownRepairs: 0, checkFirst: true }), {
            repairId: '88101',
            reused: true,
        });
        assert.equal(stub.calls('POST', '/runs/repair').length, 0);
    });

    it('a retried repair whose 400 shows a lagging history re-reads it and retries with the id', async () => {
        const gets = caseResponses(C25, 'databricks', 'GET', 'runs/get');
        const rejected = caseResponses(C25, 'databricks', 'POST', 'runs/repair')[1] as Scripted;
        stub.on('GET', '/runs/get', gets[0] as Scripted, gets[1] as Scripted).on('POST', '/runs/repair', rejected, {
            status: 200,
            body: { repair_id: 88102 },
        });
        // The first read shows no repair yet; the second does, which is one the caller already knows of.
        assert.deepEqual(await connector().repair(ref, { knownRepairs: 1, checkFirst: true }), {
            repairId: '88102',
            reused: false,
        });
        const bodies = stub.calls('POST', '/runs/repair').map((r) => JSON.parse(r.body));
        assert.equal(bodies[0].latest_repair_id, undefined);
        assert.equal(bodies[1].latest_repair_id, 88101);
    });

    it('a repair rejected for another reason is a PermanentHttpError, with no read', async () => {
        stub.on('GET', '/runs/get', ...caseResponses(C22, 'databricks', 'GET', 'runs/get')).on('POST', '/runs/repair', {
            status: 400,
            body: { error_code: 'INVALID_STATE', message: 'run is in progress' },
        });
        await assert.rejects(
            connector().repair(ref, { knownRepairs: 0, checkFirst: false }),
            (err) => err instanceof PermanentHttpError && err.code === 'INVALID_STATE',
        );
        assert.equal(stub.calls('POST', '/runs/repair').length, 1);
        assert.equal(stub.calls('GET', '/runs/get').length, 0);
    });

    it('getRun walks the C24 life cycle; only the final INTERNAL_ERROR is terminal', async () => {
        stub.on('GET', '/runs/get', ...caseResponses(C24, 'databricks', 'GET', 'runs/get').slice(1));
        const dbx = connector();
        const seen = [];
        for (let i = 0; i < 7; i++) seen.push(await dbx.getRun(ref));
        assert.deepEqual(
            seen.map((s) => s.state),
            ['queued', 'queued', 'running', 'queued', 'queued', 'running', 'failed'],
        );
        assert.equal(seen[6]?.rawStatus, 'INTERNAL_ERROR/FAILED');
        assert.match(seen[6]?.message ?? '', /DRIVER_UNREACHABLE/);
        assert.equal(seen[0]?.runId, '771234567890123');
        assert.equal(stub.calls('GET', '/runs/get')[0]?.query.get('include_history'), null);
    });

    it('getRun maps TERMINATED results and cross-checks status', async () => {
        const states: Array<[Record<string, unknown>, string]> = [
            [{ state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' } }, 'succeeded'],
            [{ state: { life_cycle_state: 'TERMINATED', result_state: 'CANCELED' } }, 'cancelled'],
            [{ state: { life_cycle_state: 'TERMINATED', result_state: 'TIMEDOUT' } }, 'failed'],
            [{ state: { life_cycle_state: 'SKIPPED' } }, 'failed'],
            [
                {
                    state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' },
                    status: { state: 'TERMINATING' },
                },
                'running',
            ],
            [
                { status: { state: 'TERMINATED', termination_details: { code: 'SUCCESS', type: 'SUCCESS' } } },
                'succeeded',
            ],
            [{ status: { state: 'WAITING' } }, 'queued'],
            [{ state: { life_cycle_state: 'SOMETHING_NEW' } }, 'unknown'],
        ];
        stub.on('GET', '/runs/get', ...states.map(([body]) => ({ status: 200, body })));
        const dbx = connector();
        for (const [, expected] of states) assert.equal((await dbx.getRun(ref)).state, expected);
    });

    it('getRun of a missing run throws NotFoundError; unknown workspaces are refused', async () => {
        stub.on('GET', '/runs/get', { status: 404 });
        await assert.rejects(connector().getRun(ref), NotFoundError);
        await assert.rejects(connector().getRun({ workspaceId: '1', runId: '2' }), /not configured/);
        await assert.rejects(connector().getRun({ workspaceId: WS, runId: '12; DROP' }), /decimal/);
    });
});
