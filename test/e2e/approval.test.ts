import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Browser } from 'playwright-core';

import { type DevHost, startDevHost } from '../../devhost/host';
import type { AuditEvent, Ticket } from '../../src/shared/domain';
import { authEnv, bootstrapUsers, signInPage, USERS } from './support/auth';
import { browserSkipReason, launchBrowser } from './support/browser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (id: string) => `[data-testid="ticket-row"][data-ticket-id="${id}"]`;

describe('approvals end to end: the engine waits, a person answers on the page', { skip: browserSkipReason() }, () => {
    let host: DevHost;
    let browser: Browser;
    let tokens: Awaited<ReturnType<typeof bootstrapUsers>>;

    const alert = async (name: string) => {
        const made = (await (await fetch(`${host.sandbox!.baseUrl}/sandbox/adf/fail/${name}`, { method: 'POST' })).json()) as { alert: unknown };
        const res = await fetch(`${host.url}/api/alerts/azure-monitor`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey }, body: JSON.stringify(made.alert),
        });
        assert.equal(res.status, 202);
        return ((await res.json()) as { ticketId: string }).ticketId;
    };
    const ticket = async (id: string) => {
        const res = await fetch(`${host.url}/api/tickets/${id}`, { headers: { authorization: `Bearer ${tokens.operator}` } });
        return res.status === 200 ? ((await res.json()) as { ticket: Ticket; timeline: AuditEvent[] }) : undefined;
    };
    const until = async (id: string, done: (t: Ticket) => boolean) => {
        for (const deadline = Date.now() + 90_000; ;) {
            const t = await ticket(id);
            if (t && done(t.ticket)) return t;
            assert.ok(Date.now() < deadline, `ticket ${id} stayed ${t?.ticket.status}`);
            await sleep(250);
        }
    };

    before(async () => {
        host = await startDevHost({
            port: 0,
            sandbox: { mode: 'demo' },
            env: { APPROVAL_REQUIRED_CLASSES: 'transient', POLL_INTERVAL_SECONDS: '1', RETRY_BASE_DELAY_SECONDS: '1', GEMINI_API_KEY: '', ...authEnv() },
            log: () => undefined,
        });
        tokens = await bootstrapUsers(host.url);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await host?.close();
    });

    it('an operator approves on the dashboard; the rerun starts only then and the ticket heals', async () => {
        const id = await alert('pl_flaky_partner_api');
        const waiting = await until(id, (t) => t.status === 'awaiting_approval');
        assert.ok(!waiting.timeline.some((e) => e.type === 'rerun_started'), 'no rerun before the approval');
        const page = await browser.newPage();
        await signInPage(page, host.url, 'operator');
        await page.click(`${row(id)} .row-open`);
        await page.fill('#action-note', 'partner API is back');
        await page.click('[data-testid="action-approve"]');
        const healed = await until(id, (t) => t.status === 'auto_healed');
        const types = healed.timeline.map((e) => e.type);
        const approvedBy = healed.timeline.filter((e) => e.type === 'approved').map((e) => e.summary).join(' | ');
        assert.match(approvedBy, new RegExp(USERS.operator.replace('.', '\\.')), 'the approver is in the audit trail');
        assert.ok(types.indexOf('rerun_started') > types.indexOf('approval_requested'));
        await page.close();
    });

    it('a rejection closes the ticket as rejected without any rerun', async () => {
        const id = await alert('pl_flaky_partner_api');
        await until(id, (t) => t.status === 'awaiting_approval');
        const res = await fetch(`${host.url}/api/tickets/${id}/reject`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.operator}` }, body: JSON.stringify({ comment: 'not during close' }),
        });
        assert.ok(res.status < 300, `reject answered ${res.status}`);
        const rejected = await until(id, (t) => t.status === 'rejected');
        assert.ok(!rejected.timeline.some((e) => e.type === 'rerun_started'));
        assert.match(rejected.ticket.decisionReason ?? '', /rejected by olga@example\.com/);
    });

    it('an operator closes an escalated ticket whose remediation has ended: resolved, by whom, and why', async () => {
        const id = await alert('pl_copy_landing');
        await until(id, (t) => t.status === 'escalated');
        const post = (token: string, body: unknown) => fetch(`${host.url}/api/tickets/${id}/close`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
        });
        assert.equal((await post(tokens.viewer, { reason: 'x' })).status, 403);
        assert.equal((await post(tokens.operator, { reason: 'file re-delivered by the partner' })).status, 200);
        const closed = await until(id, (t) => t.status === 'resolved');
        assert.match(closed.ticket.decisionReason ?? '', /Closed by olga@example\.com: file re-delivered/);
        assert.equal((await post(tokens.operator, { reason: 'again' })).status, 409, 'a resolved ticket accepts no action');
    });
});
