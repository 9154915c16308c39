import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startWebPubSubHub, type WebPubSubHub } from '../../../../devhost/webpubsub';
import { createWebPubSubBroadcaster } from '../../../../src/shared/clients/webpubsub';
import type { AuditEvent, Ticket } from '../../../../src/shared/domain';

const ticket = {
    id: 't1', source: 'adf', status: 'monitoring', dedupKey: 'k', pipeline: 'pl_x', runId: 'r', severity: 'Sev1',
    createdAt: '2025-03-14T08:00:00.000Z', updatedAt: '2025-03-14T08:10:00.000Z', attempts: 1, rerunRunIds: ['r2'], relatedAlerts: 1, version: 4,
} as Ticket;
const event: AuditEvent = { ticketId: 't1', seq: 300, at: ticket.updatedAt, type: 'rerun_started', summary: 'Rerun r2 started', data: { runId: 'r2', request: { body: 'x' } } };

describe('the Web PubSub broadcaster', () => {
    let hub: WebPubSubHub;
    before(async () => (hub = await startWebPubSubHub()));
    after(() => hub?.close());

    it('sends each update to one group per role, the viewers\' without the step data, with the ticket view and version', async () => {
        const view = (t: Ticket) => ({ ...t, priority: 'P2' });
        await createWebPubSubBroadcaster({ connectionString: hub.connectionString }, 'tickets', view).ticketUpdated(ticket, event);
        const sent = Object.fromEntries(hub.sent.map((s) => [s.target, s.data as { ticket: Record<string, unknown>; event: AuditEvent }]));
        assert.deepEqual(Object.keys(sent).sort(), ['group:role-admin', 'group:role-operator', 'group:role-viewer']);
        assert.equal(hub.sent.some((s) => s.target === 'all'), false, 'nothing goes to every socket');
        assert.deepEqual(sent['group:role-viewer']!.event.data, {});
        assert.deepEqual(sent['group:role-operator']!.event.data, event.data);
        assert.equal(sent['group:role-viewer']!.ticket['priority'], 'P2');
        assert.equal(sent['group:role-viewer']!.ticket['version'], 4);
    });

    it('issues receive-only client URLs joined to the given groups', async () => {
        const { url } = await createWebPubSubBroadcaster({ connectionString: hub.connectionString }, 'tickets').clientUrl('vic@example.com', { groups: ['role-viewer'], minutes: 5 });
        const claims = JSON.parse(Buffer.from(new URL(url).searchParams.get('access_token')!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
        assert.equal(claims['sub'], 'vic@example.com');
        assert.deepEqual(claims['webpubsub.group'], ['role-viewer']);
        assert.deepEqual(claims['role'] ?? [], [], 'no sendToGroup or joinLeaveGroup rights');
        assert.ok((claims['exp'] as number) - (claims['iat'] as number) <= 5 * 60);
    });
});
