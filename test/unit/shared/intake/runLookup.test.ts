import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createAdfConnector } from '../../../../src/shared/clients/adf';
import { FIRST } from '../../../../src/shared/clients/intakeStore';
import type { FailureSignal } from '../../../../src/shared/domain';
import { alertIndexKeyFor, dedupKeyForAdf, dedupKeyForAlertWindow, lookupIdFor, ticketIdFor } from '../../../../src/shared/intake';
import { linkRerun } from '../../../../src/shared/intakeService';
import { lookupWindow, openRunTickets, type RunLookup } from '../../../../src/shared/runLookup';
import { FakeStarter, MemoryIntakeStore, NOW } from '../../functions/intakeFakes';

const FACTORY = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.datafactory/factories/adf1';
const dedupKey = dedupKeyForAlertWindow('alert-1', '2025-03-14T02:15:00Z', '2025-03-14T02:20:00Z');
const lookup: RunLookup = {
    source: 'adf', factoryResourceId: FACTORY, subscriptionId: 's1', resourceGroup: 'rg', factoryName: 'adf1',
    pipelineName: 'pl_a', windowStart: '2025-03-14T02:15:00Z', windowEnd: '2025-03-14T02:20:00Z', alertId: 'alert-1',
    severity: 'Sev2', firedAt: '2025-03-14T02:21:00Z', alertRule: 'adf-failed-runs', failedActivities: ['Copy_X'],
    lookupId: lookupIdFor(dedupKey), dedupKey,
};
const run = (runId: string, extra: Record<string, string> = {}) => ({ runId, pipelineName: 'pl_a', status: 'Failed', runGroupId: runId, message: 'boom', ...extra });
const ticketOf = (runId: string) => ticketIdFor(dedupKeyForAdf(FACTORY, 'pl_a', runId));

async function setup(deliveries = 1) {
    const store = new MemoryIntakeStore();
    const starter = new FakeStarter();
    const deps = { intake: store.asStore(), now: () => NOW };
    await store.claim(lookup.lookupId, { deliveryId: 'd0', receivedAt: '2025-03-14T02:21:01Z', source: 'adf', alertId: 'alert-1' });
    for (let i = 1; i < deliveries; i++) await store.record(lookup.lookupId, { deliveryId: `d${i}`, receivedAt: `2025-03-14T02:21:0${i + 1}Z`, source: 'adf' });
    return { store, starter, deps };
}

describe('openRunTickets', () => {
    it('opens one ticket per failed run, carrying the run record, indexed under the alert', async () => {
        const { store, starter, deps } = await setup();
        const result = await openRunTickets(deps, starter, lookup, { ok: true, runs: [run('r1'), run('r2')] });
        assert.deepEqual(result, { ticketIds: [ticketOf('r1'), ticketOf('r2')], started: 2 });
        const signal = starter.instances.get(ticketOf('r1'))?.input as FailureSignal;
        assert.equal(signal.adf?.knownRun?.message, 'boom');
        assert.equal(signal.adf?.factoryName, 'adf1');
        assert.deepEqual(Object.keys(signal.adf ?? {}).sort(), ['factoryName', 'factoryResourceId', 'knownRun', 'pipelineName', 'resourceGroup', 'runId', 'subscriptionId']);
        assert.match(signal.description ?? '', /Copy_X/);
        assert.deepEqual(await store.indexed(alertIndexKeyFor('alert-1')), result.ticketIds);
        assert.equal((await store.marker(lookup.lookupId))?.ticketIds, JSON.stringify(result.ticketIds));
        assert.equal(store.rows(ticketOf('r1')).length, 1, 'the alert counts once on each ticket');
    });

    it('opens one "run unknown" ticket on the alert key when the window holds no failed run, or the lookup failed', async () => {
        for (const found of [{ ok: true as const, runs: [] }, { ok: false as const, reason: 'ARM said 403' }]) {
            const { starter, deps } = await setup();
            const result = await openRunTickets(deps, starter, lookup, found);
            assert.deepEqual(result.ticketIds, [ticketIdFor(dedupKey)]);
            const signal = starter.instances.get(ticketIdFor(dedupKey))?.input as FailureSignal;
            assert.equal(signal.runId, 'unknown');
            assert.equal(signal.adf, undefined, 'nothing to rerun');
            assert.equal(signal.pipeline, 'pl_a');
            assert.match(signal.description ?? '', found.ok ? /No failed run of pl_a was found/ : /ARM said 403/);
        }
    });

    it('counts the alert on a run that already has a ticket, starting nothing', async () => {
        const { store, starter, deps } = await setup();
        await store.claim(ticketOf('r1'), { deliveryId: 'direct', receivedAt: '2025-03-14T02:20:30Z', source: 'adf' });
        starter.instances.set(ticketOf('r1'), { kind: 'remediate', input: {} });
        const result = await openRunTickets(deps, starter, lookup, { ok: true, runs: [run('r1')] });
        assert.deepEqual(result, { ticketIds: [ticketOf('r1')], started: 0 });
        assert.equal(store.rows(ticketOf('r1')).length, 2);
    });

    it('counts a failed rerun on the ticket of its run group, by alias or by run group id', async () => {
        const { store, starter, deps } = await setup();
        await store.claim(ticketOf('r0'), { deliveryId: 'x', receivedAt: '2025-03-14T02:00:00Z', source: 'adf' });
        const parent = { ticketId: ticketOf('r0'), runId: 'r0', adf: { factoryResourceId: FACTORY, pipelineName: 'pl_a' } } as FailureSignal;
        await linkRerun(deps, parent, 'ours', NOW.toISOString());
        const result = await openRunTickets(deps, starter, lookup, { ok: true, runs: [run('ours', { runGroupId: 'r0' }), run('manual', { runGroupId: 'r0' })] });
        assert.deepEqual(result, { ticketIds: [ticketOf('r0')], started: 0 });
        assert.equal(store.rows(ticketOf('r0')).length, 2);
    });

    it('copies deliveries repeated while it ran, and is safe to run again (no double count, no second start)', async () => {
        const { store, starter, deps } = await setup(3);
        await openRunTickets(deps, starter, lookup, { ok: true, runs: [run('r1')] });
        await openRunTickets(deps, starter, lookup, { ok: true, runs: [run('r1')] });
        assert.equal(store.rows(ticketOf('r1')).length, 3, 'three deliveries of the alert');
        assert.equal(store.rows(ticketOf('r1')).filter((r) => r.rowKey === FIRST).length, 1);
        assert.equal(starter.started.length, 1);
    });
});

describe('ADF findFailedRuns (queryPipelineRuns)', () => {
    it('queries failed runs of the pipeline over the window plus the margin, following continuationToken', async () => {
        const bodies: Record<string, unknown>[] = [];
        const pages = [
            { value: [run('r1'), { ...run('r2'), status: 'Succeeded' }], continuationToken: 'p2' },
            { value: [], continuationToken: 'p3' },
            { value: [run('r3'), run('r1'), { ...run('r4'), pipelineName: 'pl_other' }], continuationToken: null },
        ];
        const fetch = (async (_url: string, init: { body: string }) => {
            bodies.push(JSON.parse(init.body) as Record<string, unknown>);
            return new Response(JSON.stringify(pages[bodies.length - 1]), { status: 200 });
        }) as unknown as typeof globalThis.fetch;
        const adf = createAdfConnector({ armEndpoint: 'https://arm', token: { getToken: async () => 't' }, timeoutMs: 1000, fetch });
        const runs = await adf.findFailedRuns(lookup, lookupWindow(lookup), 'pl_a');
        assert.deepEqual(runs.map((r) => r.runId), ['r1', 'r3']);
        assert.deepEqual(bodies.map((b) => b['continuationToken']), [undefined, 'p2', 'p3']);
        assert.equal(bodies[0]!['lastUpdatedAfter'], '2025-03-14T02:00:00.000Z');
        assert.equal(bodies[0]!['lastUpdatedBefore'], '2025-03-14T02:35:00.000Z');
        assert.deepEqual(bodies[0]!['filters'], [
            { operand: 'Status', operator: 'Equals', values: ['Failed'] },
            { operand: 'PipelineName', operator: 'Equals', values: ['pl_a'] },
        ]);
    });
});
