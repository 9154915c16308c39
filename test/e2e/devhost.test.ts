import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { BlobServiceClient } from '@azure/storage-blob';
import type { Browser } from 'playwright-core';

import { type DevHost, startDevHost } from '../../devhost/host';
import type { AuditEvent, Ticket } from '../../src/shared/domain';
import { authEnv, bootstrapUsers, signInPage } from './support/auth';
import { browserSkipReason, launchBrowser } from './support/browser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the app on the embedded runtime (npm start)', { skip: browserSkipReason() }, () => {
    let host: DevHost;
    let browser: Browser;
    let token = '';
    const api = (path: string, init: RequestInit = {}, key?: string) =>
        fetch(`${host.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(key === undefined ? { 'x-functions-key': host.functionKey } : key ? { 'x-functions-key': key } : {}), ...init.headers } });
    const read = (path: string) => api(path, { headers: { authorization: `Bearer ${token}` } }, '');
    const sandboxAlert = async (kind: 'adf' | 'databricks', name: string) => {
        const res = await fetch(`${host.sandbox!.baseUrl}/sandbox/${kind}/fail/${name}`, { method: 'POST' });
        const made = (await res.json()) as { alert?: unknown; notification?: unknown };
        return JSON.stringify(kind === 'adf' ? made.alert : made.notification);
    };
    const waitForTicket = async (id: string, done: (t: Ticket) => boolean, ms = 90_000) => {
        const deadline = Date.now() + ms;
        for (;;) {
            const res = await read(`/api/tickets/${id}`);
            if (res.status === 200) {
                const body = (await res.json()) as { ticket: Ticket; timeline: AuditEvent[] };
                if (done(body.ticket)) return body;
            }
            if (Date.now() > deadline) throw new Error(`ticket ${id} did not settle`);
            await sleep(250);
        }
    };

    before(async () => {
        host = await startDevHost({
            port: 0,
            sandbox: { mode: 'demo' },
            env: { POLL_INTERVAL_SECONDS: '1', RETRY_BASE_DELAY_SECONDS: '1', CAPACITY_RETRY_DELAY_SECONDS: '1', GEMINI_API_KEY: '', ...authEnv() },
            log: () => undefined,
        });
        token = (await bootstrapUsers(host.url)).viewer;
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await host?.close();
    });

    it('refuses a missing or wrong function key with 401 and serves the page and health check without one', async () => {
        assert.equal((await api('/api/alerts/azure-monitor', { method: 'POST', body: '{}' }, '')).status, 401);
        assert.equal((await api('/api/alerts/azure-monitor', { method: 'POST', body: '{}' }, 'wrong-key')).status, 401);
        assert.equal((await api('/api/tickets', {}, '')).status, 401);
        assert.equal((await api('/api/tickets')).status, 401, 'a function key opens the webhooks only, not the ticket API');
        assert.equal((await read('/api/tickets')).status, 200);
        const page = await api('/api/dashboard', {}, '');
        assert.equal(page.status, 200);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        assert.equal((await api('/api/health', {}, '')).status, 200);
    });

    it('answers malformed or shapeless bodies with 400 naming the problem, and writes nothing', async () => {
        const broken = await api('/api/alerts/azure-monitor', { method: 'POST', body: '{"schemaId":' });
        assert.equal(broken.status, 400);
        assert.match(((await broken.json()) as { error: string }).error, /JSON/);
        const shapeless = await api('/api/alerts/azure-monitor', { method: 'POST', body: '{"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":{}}}' });
        assert.equal(shapeless.status, 400);
        assert.match(((await shapeless.json()) as { error: string }).error, /data\.essentials\.\w+/);
        const dbx = await api('/api/alerts/databricks', { method: 'POST', body: '{"event_type":"jobs.on_failure","run":{}}' });
        assert.equal(dbx.status, 400);
        const list = (await (await read('/api/tickets')).json()) as { tickets: Ticket[] };
        assert.deepEqual(list.tickets, []);
    });

    it('heals a flaky pipeline end to end, live on the dashboard without a reload, with the audit blob written', async () => {
        const page = await browser.newPage();
        await signInPage(page, host.url, 'viewer');
        await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 15_000 });
        await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

        const started = performance.now();
        const res = await api('/api/alerts/azure-monitor', { method: 'POST', body: await sandboxAlert('adf', 'pl_flaky_partner_api') });
        const ms = performance.now() - started;
        assert.equal(res.status, 202);
        const { ticketId } = (await res.json()) as { ticketId: string };
        console.log(`# intake answered 202 in ${ms.toFixed(0)} ms`);

        await page.waitForSelector(`tr[data-ticket-id="${ticketId}"][data-status="auto_healed"]`, { timeout: 90_000 });
        assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the page was not reloaded');

        const { ticket, timeline } = await waitForTicket(ticketId, (t) => t.status === 'auto_healed');
        assert.equal(ticket.attempts, 1);
        assert.equal(ticket.rerunRunIds.length, 1);
        assert.ok((ticket.mttrSeconds ?? -1) >= 0);
        const types = timeline.map((e) => e.type);
        for (const t of ['alert_received', 'failure_fetched', 'classified', 'analysed', 'decision', 'rerun_requested', 'rerun_started', 'run_state', 'closed']) {
            assert.ok(types.includes(t), `timeline has ${t}: ${types.join(', ')}`);
        }
        assert.equal(types.filter((t) => t === 'rerun_started').length, 1);

        const blobs = BlobServiceClient.fromConnectionString(host.azurite.connectionString).getContainerClient('audit-logs');
        const doc = JSON.parse((await blobs.getBlockBlobClient(`${ticket.createdAt.slice(0, 7)}/${ticketId}.json`).downloadToBuffer()).toString('utf8')) as { ticket: Ticket; events: AuditEvent[] };
        assert.equal(doc.ticket.status, 'auto_healed');
        assert.deepEqual(doc.events.map((e) => e.type), types);
        await page.close();
    });

    it('escalates a missing source file without any rerun, and repairs a Databricks capacity failure', async () => {
        const adf = await api('/api/alerts/azure-monitor', { method: 'POST', body: await sandboxAlert('adf', 'pl_copy_landing') });
        const dbx = await api('/api/alerts/databricks', { method: 'POST', body: await sandboxAlert('databricks', 'nightly_orders_silver') });
        assert.equal(adf.status, 202);
        assert.equal(dbx.status, 202);
        const escalated = await waitForTicket(((await adf.json()) as { ticketId: string }).ticketId, (t) => t.status === 'escalated');
        assert.equal(escalated.ticket.attempts, 0);
        assert.equal(escalated.ticket.category, 'data');
        assert.equal(escalated.ticket.analysis?.source, 'rules');
        const healed = await waitForTicket(((await dbx.json()) as { ticketId: string }).ticketId, (t) => t.status === 'auto_healed');
        assert.equal(healed.ticket.source, 'databricks');
        assert.equal(healed.ticket.attempts, 1);
    });
});
