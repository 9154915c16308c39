import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { getTicket } from '../../../src/functions/getTicket';
import { listTickets } from '../../../src/functions/listTickets';
import type { AuditEvent, Ticket } from '../../../src/shared/domain';
import type { TicketView } from '../../../src/shared/views/ticketView';
import { auth, invoke, memoryStores, NOW, ticket, tokenFor } from './support/fakes';

const seeded: Ticket[] = [
    ticket('a', 10, { pipeline: 'pl_sales_daily', status: 'escalated', category: 'permission', severity: 'Sev0' }),
    ticket('b', 20, { pipeline: 'nightly_orders', source: 'databricks', status: 'auto_healed', category: 'capacity', closedAt: NOW.toISOString(), severity: 'Sev1' }),
    ticket('c', 30, { pipeline: 'pl_sales_weekly', status: 'monitoring', category: 'transient', updatedAt: new Date(NOW.getTime() - 60_000).toISOString() }),
    ticket('d', 5000, { pipeline: 'pl_finance', status: 'open', severity: 'Sev3' }),
    ticket('e', 40, { pipeline: 'pl_other', status: 'resolved', closedAt: NOW.toISOString() }),
];

async function list(query: string, stores = memoryStores(seeded)) {
    const token = await tokenFor('viewer');
    const res = await invoke((req) => listTickets(stores.deps, { auth }, req), { url: `tickets?${query}`, token });
    return { status: res.status, body: res.json as { tickets: TicketView[]; continuationToken?: string; total: number; counts: Record<string, number>; error?: string } };
}
const ids = (r: { body: { tickets: TicketView[] } }) => r.body.tickets.map((t) => t.id);

describe('listTickets', () => {
    it('lists newest first with ownership, priority and SLA on every ticket', async () => {
        const r = await list('');
        assert.equal(r.status, 200);
        assert.deepEqual(ids(r), ['a', 'b', 'c', 'e', 'd']);
        const a = r.body.tickets[0]!;
        assert.deepEqual([a.team, a.owner, a.costCentre, a.priority, a.slaMinutes], ['Sales BI', 'ana@contoso.com', 'CC-1001', 'P1', 60]);
        assert.equal(a.slaDueAt, new Date(Date.parse(a.createdAt) + 3600_000).toISOString());
        assert.equal(a.slaBreached, false);
        assert.equal(r.body.tickets.find((t) => t.id === 'd')!.slaBreached, true, 'an open P4 ticket 83 h old is past its 72 h SLA');
    });

    it('filters by every field, and counts by status over the other filters', async () => {
        assert.deepEqual(ids(await list('status=escalated')), ['a']);
        assert.deepEqual(ids(await list('status=escalated,monitoring')), ['a', 'c']);
        assert.deepEqual(ids(await list('source=databricks')), ['b']);
        assert.deepEqual(ids(await list('pipeline=SALES')), ['a', 'c']);
        assert.deepEqual(ids(await list('errorClass=capacity')), ['b']);
        assert.deepEqual(ids(await list('priority=P2')), ['b']);
        assert.deepEqual(ids(await list('team=sales%20bi')), ['a', 'c']);
        assert.deepEqual(ids(await list('owner=li@contoso.com')), ['b']);
        assert.deepEqual(ids(await list('breached=true')), ['d']);
        assert.deepEqual(ids(await list(`from=${new Date(NOW.getTime() - 25 * 60_000).toISOString()}`)), ['a', 'b']);
        assert.deepEqual(ids(await list(`to=${new Date(NOW.getTime() - 25 * 60_000).toISOString()}`)), ['c', 'e', 'd']);
        assert.deepEqual(ids(await list(`updatedSince=${new Date(NOW.getTime() - 90_000).toISOString()}`)), ['c']);
        const counted = await list('pipeline=pl_sales&status=escalated');
        assert.deepEqual(counted.body.counts, { escalated: 1, monitoring: 1 });
        assert.equal(counted.body.total, 1);
    });

    it('sorts by creation or update time, either way', async () => {
        assert.deepEqual(ids(await list('sort=created_asc')), ['d', 'e', 'c', 'b', 'a']);
        assert.deepEqual(ids(await list('sort=updated_desc')).slice(0, 2), ['c', 'a']);
    });

    it('pages by a continuation token that stays right while newer tickets arrive', async () => {
        const stores = memoryStores(seeded);
        const first = await list('limit=2', stores);
        assert.deepEqual(ids(first), ['a', 'b']);
        stores.rows.set('new', ticket('new', 0));
        const second = await list(`limit=2&continuationToken=${first.body.continuationToken}`, stores);
        assert.deepEqual(ids(second), ['c', 'e']);
        const third = await list(`limit=2&continuationToken=${second.body.continuationToken}`, stores);
        assert.deepEqual(ids(third), ['d']);
        assert.equal(third.body.continuationToken, undefined);
    });

    it('refuses bad queries and foreign tokens with 400 naming the problem', async () => {
        for (const q of ['status=healed', 'limit=0', 'from=yesterday', 'sort=random', 'continuationToken=abc', 'breached=maybe']) {
            const r = await list(q);
            assert.equal(r.status, 400, q);
        }
        const token = (await list('limit=1')).body.continuationToken!;
        assert.match((await list(`limit=1&sort=created_asc&continuationToken=${token}`)).body.error!, /another sort/);
    });

    it('answers 401 without a valid token', async () => {
        const { deps } = memoryStores(seeded);
        assert.equal((await invoke((req) => listTickets(deps, { auth }, req), { url: 'tickets' })).status, 401);
        assert.equal((await invoke((req) => listTickets(deps, { auth }, req), { url: 'tickets', token: 'not.a.jwt' })).status, 401);
    });
});

describe('getTicket', () => {
    const events: AuditEvent[] = [
        { ticketId: 'a', seq: 0, at: '2025-03-14T11:50:00.000Z', type: 'alert_received', summary: 'opened', data: { alertId: 'x' } },
        { ticketId: 'a', seq: 100_000_000_000, at: '2025-03-14T11:55:00.000Z', type: 'approved', summary: 'Approved by op', data: { by: 'op@contoso.com' } },
        { ticketId: 'a', seq: 500, at: '2025-03-14T11:58:00.000Z', type: 'closed', summary: 'closed', data: { status: 'escalated' } },
    ];
    const call = async (role: 'viewer' | 'operator', id = 'a') => {
        const stores = memoryStores(seeded, { a: events });
        return invoke((req) => getTicket(stores.deps, { auth }, req), { url: `tickets/${id}`, params: { id }, token: await tokenFor(role) });
    };

    it('returns the ticket view and the timeline in time order, people\'s actions in place', async () => {
        const r = await call('operator');
        assert.equal(r.status, 200);
        const body = r.json as { ticket: TicketView; timeline: AuditEvent[] };
        assert.equal(body.ticket.team, 'Sales BI');
        assert.deepEqual(body.timeline.map((e) => e.type), ['alert_received', 'approved', 'closed']);
        assert.equal(body.timeline[1]!.data['by'], 'op@contoso.com');
    });

    it('shows a viewer what happened but not the steps\' raw data', async () => {
        const body = (await call('viewer')).json as { timeline: AuditEvent[] };
        assert.deepEqual(body.timeline.map((e) => e.summary), ['opened', 'Approved by op', 'closed']);
        assert.ok(body.timeline.every((e) => Object.keys(e.data).length === 0));
    });

    it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
        assert.equal((await call('viewer', 'nope')).status, 404);
        assert.equal((await call('viewer', 'a%2F..')).status, 400);
    });
});
