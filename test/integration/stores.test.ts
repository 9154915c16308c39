import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { AuditEvent, Ticket } from '../../src/shared/domain';
import { recordStep } from '../../src/shared/journal';
import type { Broadcaster } from '../../src/shared/ports';
import { type Azurite, freshStores, startAzurite } from '../support/azurite';

const ticket = (id: string, createdAt = '2025-03-14T02:07:00.000Z'): Ticket => ({
    id, source: 'adf', status: 'open', dedupKey: `adf|f|p|${id}`, pipeline: 'pl_ünïcode_名前', runId: id, severity: 'Sev2',
    createdAt, updatedAt: createdAt, attempts: 0, rerunRunIds: [], relatedAlerts: 1,
});

describe('ticket and audit stores on Azurite', () => {
    let azurite: Azurite;
    before(async () => {
        azurite = await startAzurite();
    });
    after(async () => {
        await azurite.close();
    });

    it('creates a ticket once: a second open returns the stored one unchanged', async () => {
        const { tickets } = freshStores(azurite);
        await tickets.open(ticket('t1'));
        const again = await tickets.open({ ...ticket('t1'), pipeline: 'other' });
        assert.equal(again.pipeline, 'pl_ünïcode_名前');
        assert.equal((await tickets.get('t1'))?.pipeline, 'pl_ünïcode_名前', 'Unicode survives byte-exact');
    });

    it('merges patches, keeps nested fields, and counts deliveries as related alerts', async () => {
        const { tickets } = freshStores(azurite);
        await tickets.open(ticket('t2'));
        await tickets.update('t2', { status: 'monitoring', rerunRunIds: ['a', 'b'], facts: { container: 'landing' } });
        for (const n of [1, 2, 3]) await tickets.recordDelivery({ ticketId: 't2', deliveryId: `d${n}`, receivedAt: `2025-03-14T02:0${n}:00Z`, source: 'adf' });
        const stored = await tickets.get('t2');
        assert.equal(stored?.status, 'monitoring');
        assert.deepEqual(stored?.rerunRunIds, ['a', 'b']);
        assert.deepEqual(stored?.facts, { container: 'landing' });
        assert.equal(stored?.relatedAlerts, 3);
        assert.equal((await tickets.deliveries('t2')).length, 3);
        assert.equal(await tickets.get('missing'), undefined);
    });

    it('lists newest first with status and source filters', async () => {
        const { tickets } = freshStores(azurite);
        await tickets.open(ticket('old', '2025-03-14T01:00:00.000Z'));
        await tickets.open(ticket('new', '2025-03-14T03:00:00.000Z'));
        await tickets.update('old', { status: 'escalated' });
        assert.deepEqual((await tickets.list()).map((t) => t.id), ['new', 'old']);
        assert.deepEqual((await tickets.list({ status: 'escalated' })).map((t) => t.id), ['old']);
        assert.deepEqual(await tickets.list({ source: 'databricks' }), []);
    });

    it('records steps idempotently: a replayed step rewrites the same audit rows, never duplicates them', async () => {
        const { tickets, audit } = freshStores(azurite);
        const sent: (AuditEvent | undefined)[] = [];
        const broadcaster: Broadcaster = {
            ticketUpdated: async (_t, e) => void sent.push(e),
            clientUrl: async () => ({ url: '', expiresAt: '' }),
        };
        const deps = { tickets, audit, broadcaster, now: () => new Date('2025-03-14T02:08:00Z'), log: () => undefined };
        await tickets.open(ticket('t3'));
        await recordStep(deps, 't3', 0, { status: 'analysing' }, [{ type: 'a', summary: 'first' }, { type: 'b', summary: 'second' }]);
        await recordStep(deps, 't3', 0, { status: 'analysing' }, [{ type: 'a', summary: 'first' }, { type: 'b', summary: 'second' }]);
        await recordStep(deps, 't3', 1, { status: 'escalated' }, [{ type: 'c', summary: 'third', data: { n: 1 } }]);
        const timeline = await audit.list('t3');
        assert.deepEqual(timeline.map((e) => e.type), ['a', 'b', 'c']);
        assert.deepEqual(timeline[2]?.data, { n: 1 });
        assert.equal(sent.length, 5, 'every write is broadcast');
        const doc = await audit.readDocument(ticket('t3'));
        assert.equal(doc?.ticket.status, 'escalated');
        assert.deepEqual(doc?.events.map((e) => e.type), ['a', 'b', 'c']);
        assert.equal(await audit.has('t3', 1), true);
        assert.equal(await audit.has('t3', 2), false);
    });

    it('writes the audit document under audit-logs/YYYY-MM/<ticketId>.json', async () => {
        const { tickets, audit, container } = freshStores(azurite);
        await tickets.open(ticket('t4', '2025-03-31T23:59:00.000Z'));
        const deps = { tickets, audit, broadcaster: { ticketUpdated: async () => undefined, clientUrl: async () => ({ url: '', expiresAt: '' }) }, now: () => new Date(), log: () => undefined };
        await recordStep(deps, 't4', 0, {}, [{ type: 'x', summary: 'y' }]);
        const names: string[] = [];
        for await (const blob of container.listBlobsFlat()) names.push(blob.name);
        assert.deepEqual(names, ['2025-03/t4.json']);
    });

    it('a broadcast failure never fails the step', async () => {
        const { tickets, audit } = freshStores(azurite);
        await tickets.open(ticket('t5'));
        const logs: string[] = [];
        const deps = {
            tickets, audit, now: () => new Date(), log: (m: string) => logs.push(m),
            broadcaster: { ticketUpdated: async () => { throw new Error('hub down'); }, clientUrl: async () => ({ url: '', expiresAt: '' }) },
        };
        const { ticket: stored } = await recordStep(deps, 't5', 0, { status: 'analysing' }, [{ type: 'x', summary: 'y' }]);
        assert.equal(stored.status, 'analysing');
        assert.match(logs[0] ?? '', /hub down/);
    });
});
