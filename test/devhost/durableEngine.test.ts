import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { startAzurite, type Azurite } from '../../devhost/azurite';
import { installFunctionsCore } from '../../devhost/functions/capture';
import { DurableEngine, InstanceExistsError } from '../../devhost/durable/engine';
import { DurableStore } from '../../devhost/durable/store';

const registry = installFunctionsCore();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const df = require('durable-functions') as typeof import('durable-functions');

const calls: string[] = [];
let flakyFailures = 2;
df.app.activity('eng_double', { handler: (n: number) => { calls.push(`double:${n}`); return n * 2; } });
df.app.activity('eng_flaky', {
    handler: (s: string) => {
        calls.push(`flaky:${s}`);
        if (flakyFailures-- > 0) throw new Error('transient boom');
        return `ok:${s}`;
    },
});
df.app.orchestration('eng_main', function* (context) {
    const input = context.df.getInput() as { n: number };
    const doubled: number = yield context.df.callActivity('eng_double', input.n);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
    const retried: string = yield context.df.callActivityWithRetry('eng_flaky', new df.RetryOptions(1000, 5), 'x');
    const approval = context.df.waitForExternalEvent('approval');
    const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
    const winner = yield context.df.Task.any([approval, timeout]);
    let decision: unknown = 'timeout';
    if (winner === approval) {
        timeout.cancel();
        decision = approval.result;
    }
    return { doubled, retried, decision };
});
df.app.activity('eng_echo', { handler: (s: string) => `${s}!` });
df.app.orchestration('eng_large', function* (context) {
    const input = context.df.getInput() as { blob: string };
    const echoed: string = yield context.df.callActivity('eng_echo', input.blob);
    return echoed.length;
});
df.app.orchestration('eng_boom', function* (context) {
    yield context.df.callActivity('eng_double', 1);
    throw new Error('orchestrator says no');
});

describe('DurableEngine', () => {
    let azurite: Azurite;
    let now = Date.parse('2025-03-14T02:00:00Z');
    const clock = () => now;
    const newEngine = (table: TableClient) =>
        new DurableEngine({ store: new DurableStore(table), functions: registry.functions, clock, autoTimers: false });

    before(async () => {
        azurite = await startAzurite();
    });
    after(async () => {
        await azurite.close();
    });

    async function settle(engine: DurableEngine, until: () => boolean = () => false): Promise<void> {
        for (let i = 0; i < 20; i++) {
            await engine.whenIdle();
            if (until()) return;
            const next = engine.nextDueAt();
            if (next === undefined) return;
            now = Math.max(now, next);
            engine.pump();
        }
    }

    it('replays activities, timers, retries and external events to completion across a restart', async () => {
        const table = TableClient.fromConnectionString(azurite.connectionString, 'engTestOne', { allowInsecureConnection: true });
        let engine = newEngine(table);
        await engine.start();
        await engine.startNew('eng_main', 'inst-1', { n: 21 });
        await assert.rejects(engine.startNew('eng_main', 'inst-1', { n: 1 }), InstanceExistsError);
        await engine.whenIdle();
        assert.equal((await engine.getStatus('inst-1'))?.runtimeStatus, 'Running');
        assert.deepEqual(calls.filter((c) => c.startsWith('double')), ['double:21']);

        // A new engine on the same storage picks the timer up again.
        engine.stop();
        engine = newEngine(table);
        await engine.start();
        await settle(engine, () => calls.filter((c) => c.startsWith('flaky')).length === 3);
        await engine.whenIdle();
        assert.deepEqual(calls.filter((c) => c.startsWith('flaky')), ['flaky:x', 'flaky:x', 'flaky:x']);
        await engine.raiseEvent('inst-1', 'approval', { by: 'alice' });
        await settle(engine);
        const status = await engine.getStatus('inst-1', true);
        assert.equal(status?.runtimeStatus, 'Completed');
        assert.deepEqual(status?.output, { doubled: 42, retried: 'ok:x', decision: { by: 'alice' } });
        assert.equal(calls.filter((c) => c.startsWith('double')).length, 1, 'the activity ran once');
    });

    it('keeps inputs and results larger than a table entity in blobs, as the Azure Storage provider does', async () => {
        const table = TableClient.fromConnectionString(azurite.connectionString, 'engTestLarge', { allowInsecureConnection: true });
        const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('engtest-largemessages');
        const engine = new DurableEngine({ store: new DurableStore(table, blobs), functions: registry.functions, clock, autoTimers: false });
        await engine.start();
        const big = 'x'.repeat(1_500_000);
        await engine.startNew('eng_large', 'inst-large', { blob: big });
        await settle(engine);
        const status = await engine.getStatus('inst-large');
        assert.equal(status?.runtimeStatus, 'Completed');
        assert.equal(status?.output, big.length + 1);
        let offloaded = 0;
        for await (const _ of blobs.listBlobsFlat()) offloaded++;
        assert.ok(offloaded >= 2, `input and result went to blobs (${offloaded})`);
    });

    it('records an orchestrator exception as Failed with its message', async () => {
        const table = TableClient.fromConnectionString(azurite.connectionString, 'engTestTwo', { allowInsecureConnection: true });
        const engine = newEngine(table);
        await engine.start();
        await engine.startNew('eng_boom', 'inst-2', null);
        await settle(engine);
        const status = await engine.getStatus('inst-2');
        assert.equal(status?.runtimeStatus, 'Failed');
        assert.match(String(status?.output), /orchestrator says no/);
        // A finished instance may be started again (NonRunningStates).
        await engine.startNew('eng_boom', 'inst-2', null);
        assert.equal((await engine.getStatus('inst-2'))?.runtimeStatus, 'Pending');
    });
});
