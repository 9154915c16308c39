import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { Browser, Page } from 'playwright-core';

import { type DevHost, startDevHost } from '../../devhost/host';
import { getDeps } from '../../src/shared/deps';
import type { Ticket } from '../../src/shared/domain';
import { recordStep } from '../../src/shared/journal';
import { authEnv, bootstrapUsers, signInPage, USERS } from './support/auth';
import { browserSkipReason, launchBrowser } from './support/browser';

const SHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
const OWNERSHIP = [{ match: 'pl_*', team: 'Data Platform', owner: 'olga@example.com', costCentre: 'CC-42' }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (id: string) => `[data-testid="ticket-row"][data-ticket-id="${id}"]`;

describe('the dashboard against the embedded runtime', { skip: browserSkipReason() }, () => {
    let host: DevHost;
    let browser: Browser;
    let tokens: Awaited<ReturnType<typeof bootstrapUsers>>;
    let operatorPage: Page;
    let ticketId = '';
    const consoleErrors: string[] = [];

    const alert = async (kind: 'adf' | 'databricks', name: string) => {
        const made = (await (await fetch(`${host.sandbox!.baseUrl}/sandbox/${kind}/fail/${name}`, { method: 'POST' })).json()) as { alert?: unknown; notification?: unknown };
        const res = await fetch(`${host.url}/api/alerts/${kind === 'adf' ? 'azure-monitor' : 'databricks'}`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey },
            body: JSON.stringify(kind === 'adf' ? made.alert : made.notification),
        });
        assert.equal(res.status, 202);
        return ((await res.json()) as { ticketId: string }).ticketId;
    };
    const api = (path: string, token: string | undefined, init: RequestInit = {}) =>
        fetch(`${host.url}/api/${path}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const stored = async (id: string) => (await getDeps().tickets.get(id))!;
    const journal = (id: string, seq: number, patch: Partial<Ticket>, type: string, summary: string) => {
        const deps = getDeps();
        return recordStep({ ...deps, log: () => undefined }, id, seq, patch, [{ type, summary }]);
    };
    const waitFor = async (check: () => Promise<boolean>, what: string, ms = 30_000) => {
        for (const deadline = Date.now() + ms; !(await check());) {
            if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
            await sleep(200);
        }
    };
    const newPage = async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(30_000);
        page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
        page.on('pageerror', (e) => consoleErrors.push(e.message));
        return page;
    };

    before(async () => {
        mkdirSync(SHOTS, { recursive: true });
        host = await startDevHost({
            port: 0,
            sandbox: { mode: 'demo' },
            // Reruns are polled hourly here: a remediation stays running, as one waiting for a person would.
            env: { POLL_INTERVAL_SECONDS: '3600', RETRY_BASE_DELAY_SECONDS: '1', GEMINI_API_KEY: '', OWNERSHIP_RULES: JSON.stringify(OWNERSHIP), ...authEnv() },
            log: () => undefined,
        });
        tokens = await bootstrapUsers(host.url);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await host?.close();
    });

    it('signs in, then shows a ticket appear and change status live after an alert, without a reload', async () => {
        operatorPage = await newPage();
        await signInPage(operatorPage, host.url, 'operator');
        assert.match((await operatorPage.textContent('[data-testid="whoami"]')) ?? '', /operator/);
        await operatorPage.waitForSelector('[data-testid="connection"][data-state="live"]');
        await operatorPage.evaluate(() => Object.assign(window, { __marker: 'same-page' }));
        await operatorPage.evaluate(() => {
            const seen: string[] = [];
            Object.assign(window, { __statuses: seen });
            new MutationObserver(() => document.querySelectorAll('[data-testid="ticket-row"]').forEach((r) => {
                const s = r.getAttribute('data-status') ?? '';
                if (seen.at(-1) !== s) seen.push(s);
            })).observe(document.getElementById('ticket-rows')!, { subtree: true, childList: true, attributes: true });
        });

        ticketId = await alert('adf', 'pl_flaky_partner_api');
        await operatorPage.waitForSelector(row(ticketId));
        await operatorPage.waitForSelector(`${row(ticketId)}[data-status="monitoring"]`);
        const statuses = await operatorPage.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
        assert.ok(statuses.length >= 2 && statuses.at(-1) === 'monitoring', `statuses seen live: ${statuses.join(' → ')}`);
        assert.equal(await operatorPage.evaluate(() => (window as { __marker?: string }).__marker), 'same-page');
        assert.equal(await operatorPage.evaluate(() => performance.getEntriesByType('navigation').length), 1);
        const text = (await operatorPage.textContent(row(ticketId))) ?? '';
        assert.match(text, /Data Platform/);
        assert.match(text, /P\d/);
        await operatorPage.waitForSelector('[data-testid="counts"] .chip[data-status="monitoring"]');
        await operatorPage.waitForSelector('[data-testid="chart-heal"] svg');
        await operatorPage.waitForFunction(() => document.querySelector('[data-testid="kpi-tickets"] .kpi-value')?.textContent === '1');
        await operatorPage.screenshot({ path: join(SHOTS, 'dashboard-list.png') });
    });

    it('approves a waiting remediation as an operator: the event reaches the instance, audited with the user', async () => {
        // The page's part: the ticket is put in that state directly (test/e2e/approval.test.ts covers the engine asking).
        await journal(ticketId, 90, { status: 'awaiting_approval' }, 'approval_requested', 'Waiting for an operator (set by the test)');
        await operatorPage.waitForSelector(`${row(ticketId)}[data-status="awaiting_approval"]`);
        await operatorPage.click(`${row(ticketId)} .row-open`);
        await operatorPage.waitForSelector('[data-testid="action-approve"]');
        assert.ok(await operatorPage.isVisible('[data-testid="action-reject"]'));
        await operatorPage.fill('#action-note', 'partner API is back');
        await operatorPage.click('[data-testid="action-approve"]');
        await operatorPage.waitForSelector('[data-testid="action-result"][data-outcome="ok"]');

        await waitFor(async () => {
            const status = await host.engine.getStatus(ticketId, true);
            const events = (status?.['historyEvents'] ?? []) as { EventType?: number; Name?: string; Input?: string }[];
            const approval = events.find((e) => e.Name === 'approval');
            if (!approval) return false;
            const input = JSON.parse(approval.Input ?? '{}') as Record<string, unknown>;
            assert.deepEqual([input['approved'], input['by'], input['comment']], [true, USERS.operator, 'partner API is back']);
            return true;
        }, 'the approval event in the instance history');
        await operatorPage.waitForSelector('[data-testid="timeline-item"][data-type="approved"]');
        assert.match((await operatorPage.textContent('[data-testid="timeline-item"][data-type="approved"]')) ?? '', /olga@example\.com \(operator\): partner API is back/);
        await operatorPage.waitForSelector('[data-testid="counts"] .chip[data-status="awaiting_approval"]');
        await operatorPage.screenshot({ path: join(SHOTS, 'dashboard-detail.png') });
        assert.deepEqual(consoleErrors, [], 'no console errors');
    });

    it('refuses a viewer: no action buttons on the page, 403 from the API, and a socket in the viewer group only', async () => {
        const page = await newPage();
        await signInPage(page, host.url, 'viewer');
        await page.waitForSelector('[data-testid="connection"][data-state="live"]');
        await page.click(`${row(ticketId)} .row-open`);
        await page.waitForSelector('[data-testid="actions-denied"]');
        assert.equal(await page.$$eval('[data-testid^="action-"]:is(button)', (b) => b.length), 0);
        await page.screenshot({ path: join(SHOTS, 'dashboard-viewer.png') });
        for (const action of ['approve', 'reject', 'retry', 'close']) {
            assert.equal((await api(`tickets/${ticketId}/${action}`, tokens.viewer, { method: 'POST', body: '{"reason":"x"}' })).status, 403, action);
        }
        assert.equal((await api('users', tokens.viewer)).status, 403);
        assert.equal((await api('users', tokens.operator)).status, 403);
        const viewerSockets = host.hub.connections('tickets').filter((c) => c.userId === USERS.viewer);
        assert.deepEqual(viewerSockets.map((c) => c.groups), [['role-viewer']]);
        await page.close();
    });

    it('requires a token on every API route but the webhooks, login, health and the page', async () => {
        for (const path of ['tickets', `tickets/${ticketId}`, 'negotiate', 'metrics', 'export/tickets', 'export/audit', 'users', 'settings', 'openapi.json']) {
            assert.equal((await api(path, undefined)).status, 401, path);
        }
        assert.equal((await api(`tickets/${ticketId}/approve`, undefined, { method: 'POST' })).status, 401);
        assert.equal((await api('health', undefined)).status, 200);
        assert.equal((await api('dashboard', undefined)).status, 200);
        assert.equal((await api('auth/login', undefined, { method: 'POST', body: '{"email":"x@example.com","password":"nope"}' })).status, 401);
    });

    it('survives a dropped connection and shows the right status after it, ignoring a replayed older update (C39)', async () => {
        const page = operatorPage;
        await page.click('.detail-pane .close');
        const service = new WebPubSubServiceClient(host.hub.connectionString, 'tickets', { allowInsecureConnection: true });
        const before = await stored(ticketId);
        // The network drops: sockets close, and the hub refuses to reconnect while updates are lost.
        await service.closeAllConnections();
        host.hub.setAvailable(false);
        await page.waitForSelector('[data-testid="connection"]:not([data-state="live"])');
        await journal(ticketId, 91, { status: 'escalated', decisionReason: 'rejected while offline (set by the test)' }, 'closed', 'Escalated while the dashboard was away');
        const missed = await alert('adf', 'pl_copy_landing');
        await waitFor(async () => (await getDeps().tickets.get(missed))?.status === 'escalated', 'the missed ticket to escalate');

        host.hub.setAvailable(true);
        await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 60_000 });
        await page.waitForSelector(`${row(ticketId)}[data-status="escalated"]`);
        await page.waitForSelector(`${row(missed)}[data-status="escalated"]`);

        // A backend retry re-publishes an old version; then a newer update of another ticket follows it in order.
        await service.group('role-operator').sendToAll({ type: 'ticket', ticket: { ...before, team: 'Data Platform' } });
        await journal(missed, 92, {}, 'note', 'A later update');
        const version = (await stored(missed)).version;
        await page.waitForSelector(`${row(missed)}[data-version="${version}"]`);
        assert.equal(await page.getAttribute(row(ticketId), 'data-status'), 'escalated', 'the replay did not regress the row');
        assert.equal(await page.evaluate(() => (window as { __marker?: string }).__marker), 'same-page');
    });

    it('filters, pages and exports on real storage', async () => {
        const q = async (query: string) => (await (await api(`tickets?${query}`, tokens.viewer)).json()) as { tickets: Ticket[]; continuationToken?: string };
        const [newest, oldest] = (await q('')).tickets;
        assert.ok(newest && oldest && newest.category !== oldest.category);
        assert.ok(newest.version! > 1 && oldest.version! > 1, 'every journal write bumped the version');
        assert.deepEqual((await q(`errorClass=${oldest.category}`)).tickets.map((t) => t.id), [oldest.id]);
        assert.deepEqual((await q('source=databricks')).tickets, []);
        assert.deepEqual((await q(`from=${newest.createdAt}`)).tickets.map((t) => t.id), [newest.id]);
        assert.deepEqual((await q(`to=${newest.createdAt}`)).tickets.map((t) => t.id), [oldest.id]);
        assert.deepEqual((await q(`updatedSince=${new Date(Date.now() + 60_000).toISOString()}`)).tickets, []);
        const first = await q('limit=1');
        const second = await q(`limit=1&continuationToken=${first.continuationToken}`);
        assert.deepEqual([...first.tickets, ...second.tickets].map((t) => t.id), [newest.id, oldest.id]);
        assert.equal(second.continuationToken, undefined);

        const [download] = await Promise.all([operatorPage.waitForEvent('download'), operatorPage.click('#export-tickets')]);
        const csv = await (await download.createReadStream()).toArray();
        const text = Buffer.concat(csv as Buffer[]).toString('utf8');
        assert.match(download.suggestedFilename(), /^tickets-.*\.csv$/);
        for (const t of [newest, oldest]) assert.match(text, new RegExp(`^${t.id},`, 'm'));
    });

    it('serves a browsable API description generated from the schemas', async () => {
        await operatorPage.goto(`${host.url}/api/dashboard/docs.html`);
        await operatorPage.waitForSelector('[data-testid="operation"]');
        const paths = await operatorPage.$$eval('[data-testid="operation"] .path', (n) => n.map((x) => x.textContent));
        for (const p of ['/tickets', '/tickets/{id}/approve', '/metrics', '/auth/login']) assert.ok(paths.includes(p), p);
        await operatorPage.screenshot({ path: join(SHOTS, 'api-docs.png') });
    });
});
