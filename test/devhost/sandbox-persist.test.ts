import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../devhost/sandbox';

const FACTORY =
    '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-demo' +
    '/providers/Microsoft.DataFactory/factories/adf-demo';
const V = 'api-version=2018-06-01';
const DBX = '/dbx/adb-1234567890123456.7.azuredatabricks.net/api/2.2/jobs';
const STATE = 'sandbox-demo.json';
/** The run a fresh demo is seeded with (the one the README's sample ADF alert names). */
const SEEDED_ADF_RUN = 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4';

async function req(sb: Sandbox | string, method: string, path: string, body?: unknown) {
    const base = typeof sb === 'string' ? sb : sb.baseUrl;
    const res = await fetch(base + path, {
        method,
        headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

async function withStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string }> {
    const original = process.stderr.write.bind(process.stderr);
    let stderr = '';
    process.stderr.write = ((chunk: string | Uint8Array) => {
        stderr += String(chunk);
        return true;
    }) as typeof process.stderr.write;
    try {
        return { result: await fn(), stderr };
    } finally {
        process.stderr.write = original;
    }
}

describe('sandbox demo mode: state kept in dataDir', () => {
    let dir: string;
    let now: number;
    const open: Sandbox[] = [];
    const start = async (dataDir = dir) => {
        const sb = await startSandbox({ mode: 'demo', clock: () => now, dataDir });
        open.push(sb);
        return sb;
    };
    const restart = async (sb: Sandbox) => {
        await sb.close();
        return start();
    };

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
        now = Date.parse('2025-06-02T09:00:00Z');
    });
    afterEach(async () => {
        await Promise.allSettled(open.splice(0).map((sb) => sb.close()));
        rmSync(dir, { recursive: true, force: true });
    });

    it('resumes an ADF recovery rerun after a restart, progressing by the clock', async () => {
        let sb = await start();
        const failed = (await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api')).body.runId;
        const rerun = await req(
            sb,
            'POST',
            `/arm${FACTORY}/pipelines/pl_flaky_partner_api/createRun?${V}` +
                `&referencePipelineRunId=${failed}&isRecovery=true&startFromFailure=true`,
        );
        assert.equal(rerun.status, 200);
        const id: string = rerun.body.runId;
        now += 1_000;

        sb = await restart(sb);
        const get = async () => req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${id}?${V}`);
        const first = await get();
        assert.equal(first.status, 200);
        assert.equal(first.body.status, 'Queued');
        assert.equal(first.body.runGroupId, failed, 'the rerun stays in the failed run’s group');
        assert.equal(first.body.runStart, '2025-06-02T09:00:00.0000000Z', 'creation time kept, not reset');
        const original = (await req(sb, 'GET', `/arm${FACTORY}/pipelineruns/${failed}?${V}`)).body;
        assert.deepEqual([original.status, original.isLatest], ['Failed', false]);
        now += 5_000;
        assert.equal((await get()).body.status, 'InProgress');
        now += 15_000;
        const done = await get();
        assert.deepEqual([done.body.status, done.body.isLatest], ['Succeeded', true]);

        const rows = await req(sb, 'POST', `/arm${FACTORY}/pipelineruns/${id}/queryActivityruns?${V}`, {
            lastUpdatedAfter: new Date(now - 3_600_000).toISOString(),
            lastUpdatedBefore: new Date(now + 3_600_000).toISOString(),
        });
        assert.deepEqual(
            rows.body.value.map((r: any) => [r.activityName, r.status]),
            [['Web_Get_Partner_Token', 'Succeeded']],
        );
    });

    it('resumes a Databricks repair after a restart and still requires latest_repair_id', async () => {
        let sb = await start();
        const runId = Number((await req(sb, 'POST', '/sandbox/databricks/fail/nightly_orders_silver')).body.runId);
        const first = await req(sb, 'POST', `${DBX}/runs/repair`, { run_id: runId, rerun_all_failed_tasks: true });
        assert.equal(first.status, 200);
        const repairId: number = first.body.repair_id;
        const token = await req(sb, 'POST', `${DBX}/run-now`, { job_id: 441122334455667, idempotency_token: 'k1' });

        sb = await restart(sb);
        const get = async () => (await req(sb, 'GET', `${DBX}/runs/get?run_id=${runId}&include_history=true`)).body;
        assert.equal((await get()).state.life_cycle_state, 'PENDING');
        now += 6_000;
        assert.equal((await get()).state.life_cycle_state, 'RUNNING');
        now += 15_000;
        const done = await get();
        assert.equal(`${done.state.life_cycle_state}/${done.state.result_state}`, 'TERMINATED/SUCCESS');
        assert.deepEqual(
            done.repair_history.map((h: any) => [h.type, h.id]),
            [
                ['ORIGINAL', undefined],
                ['REPAIR', repairId],
            ],
        );

        const missing = await req(sb, 'POST', `${DBX}/runs/repair`, { run_id: runId, rerun_tasks: ['silver_orders'] });
        assert.deepEqual([missing.status, missing.body.message], [400, 'latest repair ID needs to be provided']);
        const second = await req(sb, 'POST', `${DBX}/runs/repair`, {
            run_id: runId,
            rerun_tasks: ['silver_orders'],
            latest_repair_id: repairId,
        });
        assert.equal(second.status, 200);
        assert.ok(second.body.repair_id > repairId, 'repair ids keep counting after the reload');

        const again = await req(sb, 'POST', `${DBX}/run-now`, { job_id: 441122334455667, idempotency_token: 'k1' });
        assert.deepEqual(again.body, token.body, 'idempotency tokens survive the reload');
        const fresh = await req(sb, 'POST', '/sandbox/databricks/fail/nightly_orders_silver');
        const known = [runId, token.body.run_id, ...done.tasks.map((t: any) => t.run_id)];
        assert.ok(!known.includes(Number(fresh.body.runId)), 'new run ids do not collide with reloaded ones');
    });

    it('writes the file before answering, atomically, without recorded calls', async () => {
        const sb = await start();
        const { runId } = (await req(sb, 'POST', '/sandbox/adf/fail/pl_copy_landing')).body;
        // Read while the first sandbox still runs: nothing may depend on close() having flushed anything.
        const saved = JSON.parse(readFileSync(join(dir, STATE), 'utf8'));
        assert.deepEqual(Object.keys(saved).sort(), ['adf', 'databricks', 'version']);
        assert.deepEqual(
            saved.adf.runs.map((r: any) => r.runId),
            [SEEDED_ADF_RUN, runId],
        );
        assert.deepEqual(readdirSync(dir), [STATE], 'no temporary file left behind');
        const twin = await start();
        assert.equal((await req(twin, 'GET', `/arm${FACTORY}/pipelineruns/${runId}?${V}`)).body.status, 'Failed');
    });

    it('starts fresh on a corrupt or mis-shaped file and says so on stderr', async () => {
        for (const content of ['{"version":1,"adf":{"runs":[', JSON.stringify({ version: 1, adf: { runs: 3 } })]) {
            writeFileSync(join(dir, STATE), content);
            const { result: sb, stderr } = await withStderr(() => start());
            assert.match(stderr, /corrupt demo state .*sandbox-demo\.json.*starting fresh/);
            const run = await req(sb, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api');
            assert.equal(run.status, 200);
            const saved = JSON.parse(readFileSync(join(dir, STATE), 'utf8'));
            assert.deepEqual(
                saved.adf.runs.map((r: any) => r.runId),
                [SEEDED_ADF_RUN, run.body.runId],
                'the fresh (seeded) state replaced the corrupt file',
            );
            await sb.close();
            rmSync(join(dir, STATE));
        }
    });
});

describe('sandbox demo mode: SIGKILL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-kill-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const entry = resolve(__dirname, '../../devhost/sandbox');

    async function child(): Promise<{ kill: () => Promise<void>; baseUrl: string }> {
        const code =
            `require(${JSON.stringify(entry)}).startSandbox({ mode: 'demo', dataDir: ${JSON.stringify(dir)} })` +
            '.then((sb) => console.log(sb.baseUrl));';
        const proc = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
        const [line] = (await once(proc.stdout, 'data')) as [Buffer];
        return {
            baseUrl: line.toString().trim(),
            kill: async () => {
                proc.kill('SIGKILL');
                await once(proc, 'exit');
            },
        };
    }

    it('keeps a rerun that was answered right before the process was killed', async () => {
        const first = await child();
        const failed = (await req(first.baseUrl, 'POST', '/sandbox/adf/fail/pl_flaky_partner_api')).body.runId;
        const rerun = await req(
            first.baseUrl,
            'POST',
            `/arm${FACTORY}/pipelines/pl_flaky_partner_api/createRun?${V}` +
                `&referencePipelineRunId=${failed}&isRecovery=true`,
        );
        await first.kill();
        const second = await child();
        try {
            const got = await req(second.baseUrl, 'GET', `/arm${FACTORY}/pipelineruns/${rerun.body.runId}?${V}`);
            assert.equal(got.status, 200);
            assert.ok(['Queued', 'InProgress'].includes(got.body.status), got.body.status);
        } finally {
            await second.kill();
        }
    });
});
