import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { OrchestrationEvents } from '../../../src/functions/durableEvents';
import { ticketAction } from '../../../src/functions/ticketAction';
import type { Role } from '../../../src/shared/access/roles';
import type { Ticket } from '../../../src/shared/domain';
import { auth, invoke, memoryStores, NOW, ticket, tokenFor } from './support/fakes';

function harness(status: Ticket['status'], runtime: string | null = 'Running') {
    const stores = memoryStores([ticket('t1', 5, { status })]);
    const raised: { id: string; name: string; data: Record<string, unknown> }[] = [];
    const events: OrchestrationEvents = {
        runtimeStatus: async () => runtime ?? undefined,
        raise: async (id, name, data) => void raised.push({ id, name, data: data as Record<string, unknown> }),
    };
    const act = async (action: string, opts: { role?: Role; body?: unknown; id?: string; token?: string } = {}) => {
        const token = opts.token ?? (await tokenFor(opts.role ?? 'operator', 'olga@contoso.com'));
        const id = opts.id ?? 't1';
        return invoke((req, ctx) => ticketAction(stores.deps, { auth }, events, req, ctx), {
            method: 'POST', url: `tickets/${id}/${action}`, params: { id, action }, token, body: opts.body,
        });
    };
    return { stores, raised, act };
}

describe('ticketAction', () => {
    it('approves a waiting remediation: raises "approval" on the ticket\'s instance and audits who did it', async () => {
        const h = harness('awaiting_approval');
        const res = await h.act('approve', { body: { comment: 'go ahead' } });
        assert.equal(res.status, 202);
        assert.deepEqual(h.raised, [{ id: 't1', name: 'approval', data: { approved: true, by: 'olga@contoso.com', at: NOW.toISOString(), comment: 'go ahead' } }]);
        const [row] = h.stores.audit.get('t1')!;
        assert.equal(row!.type, 'approved');
        assert.match(row!.summary, /Approved by olga@contoso\.com \(operator\): go ahead/);
        assert.equal(row!.data['by'], 'olga@contoso.com');
        assert.ok(row!.seq >= 1_000_000 * 100, 'people\'s rows are numbered apart from the orchestration\'s steps');
        assert.equal(h.stores.rows.get('t1')!.version, 2, 'the audited action bumps the ticket version');
        assert.equal(h.stores.sent.length, 1, 'and is broadcast live');
    });

    it('rejects, retries and closes with the contracted event payloads', async () => {
        const rejected = harness('awaiting_approval');
        assert.equal((await rejected.act('reject')).status, 202);
        assert.deepEqual(rejected.raised[0], { id: 't1', name: 'approval', data: { approved: false, by: 'olga@contoso.com', at: NOW.toISOString() } });
        const retried = harness('escalated');
        assert.equal((await retried.act('retry', { role: 'admin' })).status, 202);
        assert.deepEqual(retried.raised[0]?.name, 'retry');
        assert.deepEqual(Object.keys(retried.raised[0]!.data), ['by', 'at']);
        const closed = harness('awaiting_approval');
        assert.equal((await closed.act('close', { body: { reason: 'fixed by hand' } })).status, 202);
        assert.deepEqual(closed.raised[0], { id: 't1', name: 'close', data: { by: 'olga@contoso.com', at: NOW.toISOString(), reason: 'fixed by hand' } });
        assert.equal(closed.stores.audit.get('t1')![0]!.type, 'close_requested');
    });

    it('answers 409 when the ticket does not accept the action, and raises nothing', async () => {
        const refused = [['monitoring', 'approve'], ['escalated', 'reject'], ['monitoring', 'retry'], ['monitoring', 'close'], ['auto_healed', 'close'], ['resolved', 'retry']] as const;
        for (const [status, action] of refused) {
            const h = harness(status);
            const res = await h.act(action, { body: action === 'close' ? { reason: 'x' } : undefined });
            assert.equal(res.status, 409, `${action} on ${status}`);
            assert.equal(h.raised.length, 0);
            assert.equal(h.stores.audit.get('t1'), undefined, 'nothing audited');
        }
    });

    it('answers 409 when the remediation is no longer running (the engine closed it)', async () => {
        for (const runtime of ['Completed', 'Terminated', null]) {
            const h = harness('awaiting_approval', runtime);
            assert.equal((await h.act('approve')).status, 409);
            assert.equal(h.raised.length, 0);
        }
    });

    it('refuses a viewer with 403 and a caller without a token with 401', async () => {
        const h = harness('awaiting_approval');
        for (const action of ['approve', 'reject', 'retry', 'close']) {
            assert.equal((await h.act(action, { role: 'viewer', body: { reason: 'x' } })).status, 403, action);
            assert.equal((await h.act(action, { token: '' })).status, 401, action);
        }
        assert.equal(h.raised.length, 0);
    });

    it('answers 404 for an unknown ticket or action, and 400 for a bad body', async () => {
        const h = harness('escalated');
        assert.equal((await h.act('approve', { id: 'nope' })).status, 404);
        assert.equal((await h.act('escalate')).status, 404);
        assert.equal((await h.act('close')).status, 400, 'close needs a reason');
        assert.equal((await h.act('close', { body: '{"reason":' })).status, 400);
        assert.equal((await h.act('close', { body: { reason: 'x', extra: 1 } })).status, 400);
    });
});
