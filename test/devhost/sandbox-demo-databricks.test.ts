import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../devhost/sandbox';

const HOST = 'adb-1234567890123456.7.azuredatabricks.net';
const API = `/dbx/${HOST}/api/2.2/jobs`;

async function req(
    sb: Sandbox,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: 'Bearer d' },
) {
    const res = await fetch(sb.baseUrl + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('sandbox demo mode: Databricks and Gemini', () => {
    let sb: Sandbox;
    let now = Date.parse('2025-06-02T02:30:00Z');
    const getRun = async (id: string | number) =>
        (await req(sb, 'GET', `${API}/runs/get?run_id=${id}&include_history=true`)).body;
    const repair = (body: unknown) => req(sb, 'POST', `${API}/runs/repair`, body);

    before(async () => {
        sb = await startSandbox({ mode: 'demo', clock: () => now });
    });
    after(() => sb.close());

    it('fails the job and returns a jobs.on_failure notification for it', async () => {
        const res = await req(sb, 'POST', '/sandbox/databricks/fail/nightly_orders_silver');
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(JSON.stringify(res.body.notification)), {
            event_type: 'jobs.on_failure',
            workspace_id: '1234567890123456',
            run: { run_id: res.body.runId },
            job: { job_id: '441122334455667', name: 'nightly_orders_silver' },
        });
        const run = await getRun(res.body.runId);
        assert.equal(String(run.run_id), res.body.runId);
        assert.deepEqual([run.state.life_cycle_state, run.state.result_state], ['INTERNAL_ERROR', 'FAILED']);
        assert.deepEqual(
            [run.status.termination_details.type, run.status.termination_details.code],
            ['CLOUD_FAILURE', 'CLOUD_FAILURE'],
        );
        assert.match(run.status.termination_details.message, /capacity/);
        assert.deepEqual(
            run.tasks.map((t: any) => t.state.result_state),
            ['FAILED', 'UPSTREAM_FAILED'],
        );
        assert.deepEqual(
            run.repair_history.map((h: any) => h.type),
            ['ORIGINAL'],
        );
        const plain = (await req(sb, 'GET', `${API}/runs/get?run_id=${res.body.runId}`)).body;
        assert.equal(plain.repair_history, undefined, 'history only with include_history=true');
        const unknown = await req(sb, 'POST', '/sandbox/databricks/fail/nope');
        assert.deepEqual([unknown.status, /nightly_orders_silver/.test(unknown.body.error)], [404, true]);
    });

    it('serves run output per task and refuses it for the multi-task parent', async () => {
        const { runId } = (await req(sb, 'POST', '/sandbox/databricks/fail/nightly_orders_silver')).body;
        const parent = await req(sb, 'GET', `${API}/runs/get-output?run_id=${runId}`);
        assert.equal(parent.status, 400);
        assert.match(parent.body.message, /Retrieving the output of runs with multiple tasks is not supported/);
        const task = (await getRun(runId)).tasks[0];
        const out = await req(sb, 'GET', `/dbx/${HOST}/api/2.1/jobs/runs/get-output?run_id=${task.run_id}`);
        assert.equal(out.status, 200);
        assert.equal(out.body.metadata.task_key, 'silver_orders');
        assert.match(out.body.error, /CLOUD_PROVIDER_LAUNCH_FAILURE/);
        assert.equal(
            (await req(sb, 'GET', `${API}/runs/get-output?run_id=1`)).body.error_code,
            'RESOURCE_DOES_NOT_EXIST',
        );
    });

    it('repairs the same run through PENDING, RUNNING and TERMINATED/SUCCESS, enforcing latest_repair_id', async () => {
        const { runId } = (await req(sb, 'POST', '/sandbox/databricks/fail/nightly_orders_silver')).body;
        const first = await repair({ run_id: Number(runId), rerun_all_failed_tasks: true });
        assert.equal(first.status, 200);
        const repairId = first.body.repair_id;
        assert.equal(typeof repairId, 'number');
        const states = [(await getRun(runId)).state.life_cycle_state];
        const busy = await repair({ run_id: Number(runId), rerun_all_failed_tasks: true, latest_repair_id: repairId });
        assert.deepEqual([busy.status, busy.body.error_code], [400, 'INVALID_STATE']);
        now += 6_000;
        states.push((await getRun(runId)).state.life_cycle_state);
        now += 15_000;
        const done = await getRun(runId);
        states.push(`${done.state.life_cycle_state}/${done.state.result_state}`);
        assert.deepEqual(states, ['PENDING', 'RUNNING', 'TERMINATED/SUCCESS']);
        assert.equal(String(done.run_id), runId);
        assert.deepEqual(
            done.repair_history.map((h: any) => [h.type, h.id]),
            [
                ['ORIGINAL', undefined],
                ['REPAIR', repairId],
            ],
        );
        assert.deepEqual(
            done.tasks.map((t: any) => t.state.result_state),
            ['SUCCESS', 'SUCCESS'],
        );

        const missing = await repair({ run_id: runId, rerun_tasks: ['silver_orders'] });
        assert.deepEqual(missing.body, {
            error_code: 'INVALID_PARAMETER_VALUE',
            message: 'latest repair ID needs to be provided',
        });
        assert.equal(missing.status, 400);
        const stale = await repair({ run_id: runId, rerun_tasks: ['silver_orders'], latest_repair_id: repairId - 1 });
        assert.equal(stale.status, 400);
        const second = await repair({ run_id: runId, rerun_tasks: ['silver_orders'], latest_repair_id: repairId });
        assert.equal(second.status, 200);
        assert.notEqual(second.body.repair_id, repairId);
        assert.equal((await getRun(runId)).repair_history.length, 3);
    });

    it('starts runs with run-now, honouring the idempotency token', async () => {
        const body = { job_id: 441122334455667, idempotency_token: 'tok-1' };
        const a = await req(sb, 'POST', `${API}/run-now`, body);
        const b = await req(sb, 'POST', `${API}/run-now`, body);
        assert.equal(a.status, 200);
        assert.equal(a.body.run_id, b.body.run_id);
        const c = await req(sb, 'POST', `${API}/run-now`, { job_id: 441122334455667 });
        assert.notEqual(c.body.run_id, a.body.run_id);
        assert.equal((await getRun(a.body.run_id)).state.life_cycle_state, 'PENDING');
        assert.equal((await req(sb, 'POST', `${API}/run-now`, { job_id: 1 })).status, 400);
    });

    it('requires a bearer token, and Gemini an API key', async () => {
        const dbx = await req(sb, 'GET', `${API}/runs/get?run_id=1`, undefined, {});
        assert.equal(dbx.status, 401);
        const gem = await req(
            sb,
            'POST',
            '/gemini/v1beta/models/gemini-2.5-flash:generateContent',
            { contents: [] },
            { 'x-goog-api-key': 'k' },
        );
        assert.equal(gem.status, 200);
        const analysis = JSON.parse(gem.body.candidates[0].content.parts[0].text);
        assert.equal(analysis.category, 'unknown');
        const noKey = await req(
            sb,
            'POST',
            '/gemini/v1beta/models/gemini-2.5-flash:generateContent',
            { contents: [] },
            {},
        );
        assert.equal(noKey.status, 403);
    });

    it('lists recorded calls at /sandbox/calls and configures the demo workspace', async () => {
        const calls = (await req(sb, 'GET', '/sandbox/calls')).body;
        assert.ok(Array.isArray(calls) && calls.length > 0);
        assert.ok(calls.every((c: any) => !c.url.includes('/sandbox/')));
        assert.ok(calls.some((c: any) => c.url.startsWith(`https://${HOST}/api/2.2/jobs/runs/repair`)));
        const workspaces = sb.settings()['DATABRICKS_WORKSPACES']!.split(',');
        assert.ok(workspaces.includes(`1234567890123456=${sb.baseUrl}/dbx/${HOST}`), workspaces.join(','));
    });
});
