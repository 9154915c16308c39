import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Browser, Page } from 'playwright-core';
import type { AuditEvent, Ticket } from '../../src/shared/domain';
import { browserSkipReason, launchBrowser } from './support/browser';
import { fake, handle, later, LOGIN, push, send } from './support/fakeApi';

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const SHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
const XSS_PIPELINE = '<img src=x onerror="window.__xss=1"><b>pl_bold</b>';

function makeTicket(id: string, minutesAgo: number, over: Partial<Ticket> = {}): Ticket {
    const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    return {
        id, source: 'adf', status: 'open', dedupKey: id, pipeline: `pl_${id}`, runId: `run-${id}`, severity: 'Sev2',
        createdAt: at, updatedAt: at, attempts: 0, rerunRunIds: [], relatedAlerts: 0, version: 1, ...over,
    };
}

const rulesTicket = makeTicket('T-rules', 30, {
    pipeline: 'pl_sales_daily', status: 'escalated', category: 'permission', errorCode: '2108', attempts: 0,
    relatedAlerts: 2, autoHeal: false, decisionReason: 'permission errors are never retried', ruleId: 'adf-403',
    runUrl: 'https://adf.azure.com/monitoring/pipelineruns/run-T-rules',
    analysis: {
        source: 'rules', note: 'Gemini timed out',
        analysis: {
            root_cause: 'The linked service identity lost access to the storage account', category: 'permission',
            auto_heal_possible: false, recommended_action: 'Grant Storage Blob Data Reader to the factory identity',
            confidence: 0.8,
        },
    },
});

function seed(): void {
    fake.tickets = [
        rulesTicket,
        makeTicket('T-healed', 50, {
            pipeline: 'etl_customers', source: 'databricks', status: 'auto_healed', category: 'transient', attempts: 1,
            rerunRunIds: ['rr-1'], mttrSeconds: 412, autoHeal: true, closedAt: new Date().toISOString(),
        }),
        makeTicket('T-xss', 10, { pipeline: XSS_PIPELINE, status: 'analysing' }),
        makeTicket('T-open', 5, { pipeline: 'pl_inventory_sync', category: 'capacity' }),
        makeTicket('T-old1', 120, { pipeline: 'pl_finance_close', status: 'resolved', mttrSeconds: 3900 }),
        makeTicket('T-old2', 180, { pipeline: 'pl_marketing_export', status: 'ignored' }),
    ];
    const event = (seq: number, type: string, summary: string): AuditEvent =>
        ({ ticketId: rulesTicket.id, seq, at: rulesTicket.createdAt, type, summary, data: { seq } });
    fake.timelines.set(rulesTicket.id, [
        event(1, 'created', 'Ticket opened from an Azure Monitor alert'),
        event(2, 'classified', 'Classified as permission (rule adf-403)'),
        event(3, 'analysed', 'Rules fallback: Gemini timed out'),
    ]);
}

function rowStatus(page: Page, id: string): Promise<string | null> {
    return page.getAttribute(`[data-testid="ticket-row"][data-ticket-id="${id}"]`, 'data-status');
}

async function rowIds(page: Page): Promise<string[]> {
    return page.$$eval('[data-testid="ticket-row"]', (rows) => rows.map((r) => r.getAttribute('data-ticket-id') ?? ''));
}

function connectionStates(page: Page): Promise<string[]> {
    return page.evaluate(() => (window as { __states?: string[] }).__states ?? []);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

describe('dashboard page', { skip: browserSkipReason() }, () => {
    let server: Server;
    let wss: WebSocketServer;
    let browser: Browser;
    let page: Page;
    let origin = '';

    before(async () => {
        seed();
        server = createServer((req, res) => {
            handle(req, res, origin).catch((err: unknown) => send(res, 500, { error: String(err) }));
        });
        wss = new WebSocketServer({
            server,
            path: '/client/hubs/tickets',
            handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
            // Tokens are single-use here, so a reconnect that reuses an old URL is refused like an expired one.
            verifyClient: (info, done) => {
                const token = new URL(info.req.url ?? '/', 'http://x').searchParams.get('access_token') ?? '';
                if (!fake.issuedTokens.has(token) || fake.usedTokens.has(token)) return done(false, 401);
                fake.usedTokens.add(token);
                return done(true);
            },
        });
        wss.on('connection', (socket) => {
            fake.sockets.add(socket);
            socket.on('close', () => fake.sockets.delete(socket));
            socket.send(JSON.stringify({ type: 'system', event: 'connected', userId: null, connectionId: 'c1' }));
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        browser = await launchBrowser();
        page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(10_000);
        await page.goto(`${origin}/api/dashboard`);
        await page.fill('#login-email', LOGIN.email);
        await page.fill('#login-password', 'wrong password');
        await page.click('#login-submit');
        await page.waitForSelector('#login-error:not([hidden])');
        await page.fill('#login-password', LOGIN.password);
        await page.click('#login-submit');
        await page.waitForSelector('#app:not([hidden])');
        await page.evaluate(() => {
            const indicator = document.querySelector('[data-testid="connection"]')!;
            const seen: string[] = [];
            Object.assign(window, { __marker: 'same-page', __states: seen });
            new MutationObserver(() => seen.push(indicator.getAttribute('data-state') ?? '')).observe(indicator, {
                attributes: true, attributeFilter: ['data-state'],
            });
        });
    });

    after(async () => {
        await browser?.close();
        for (const socket of fake.sockets) socket.terminate();
        wss?.close();
        await new Promise((resolve) => server?.close(resolve));
    });

    it('renders the first page newest first, then loads more with the continuation token', async () => {
        await page.waitForSelector('[data-testid="connection"][data-state="live"]');
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="ticket-row"]').length === 4);
        assert.deepEqual(await rowIds(page), ['T-open', 'T-xss', 'T-rules', 'T-healed']);
        assert.equal(await rowStatus(page, 'T-rules'), 'escalated');
        await page.click('#load-more');
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="ticket-row"]').length === 6);
        assert.deepEqual((await rowIds(page)).slice(4), ['T-old1', 'T-old2']);
        assert.equal(await page.isVisible('#load-more'), false);
    });

    it('shows HTML in a pipeline name as text, not markup', async () => {
        const row = '[data-testid="ticket-row"][data-ticket-id="T-xss"]';
        assert.equal(await page.textContent(`${row} .row-open`), XSS_PIPELINE);
        assert.equal(await page.$$eval(`[data-testid="tickets"] img, [data-testid="tickets"] b`, (n) => n.length), 0);
        assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    });

    it('updates a row in place on a pushed ticket, and ignores an older replay', async () => {
        const open = fake.tickets.find((t) => t.id === 'T-open')!;
        const remediating = later(open, { status: 'remediating', attempts: 1 });
        push(remediating);
        await page.waitForSelector('[data-ticket-id="T-open"][data-status="remediating"]');
        assert.match((await page.textContent('[data-ticket-id="T-open"] .badge')) ?? '', /Remediating/);
        push(open); // the older version, replayed
        const healed = fake.tickets.find((t) => t.id === 'T-healed')!;
        push(later(healed, { status: 'resolved' })); // messages arrive in order: once this shows, the replay was seen
        await page.waitForSelector('[data-ticket-id="T-healed"][data-status="resolved"]');
        assert.equal(await rowStatus(page, 'T-open'), 'remediating');
        assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1);
        assert.equal(await page.evaluate(() => (window as { __marker?: string }).__marker), 'same-page');
    });

    it('adds a pushed new ticket at the top', async () => {
        push(makeTicket('T-new', 0, { pipeline: 'pl_orders_hourly', source: 'databricks' }));
        await page.waitForSelector('[data-ticket-id="T-new"]');
        assert.equal((await rowIds(page))[0], 'T-new');
    });

    it('shows details and timeline, says the analysis came from rules, appends pushed events', async () => {
        await page.click('[data-ticket-id="T-rules"] .row-open');
        const detail = '[data-testid="ticket-detail"]';
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-item"]').length === 3);
        assert.match((await page.textContent(`${detail} .origin`)) ?? '', /rules/i);
        const text = (await page.textContent(detail)) ?? '';
        assert.match(text, /Gemini timed out/);
        assert.match(text, /permission errors are never retried/);
        assert.equal(await page.getAttribute(`${detail} a.run-link`, 'href'), rulesTicket.runUrl);
        const event: AuditEvent = {
            ticketId: rulesTicket.id, seq: 4, at: new Date().toISOString(), type: 'notified',
            summary: 'Slack message posted to #data-incidents', data: {},
        };
        push(later(rulesTicket, { relatedAlerts: 3 }), event);
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-item"]').length === 4);
        const last = await page.textContent('[data-testid="timeline-item"]:last-child');
        assert.match(last ?? '', /Slack message posted/);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, 'dashboard-page-fake.png') });
    });

    it('reconnects with a fresh token after the socket dies and re-fetches what it missed', async () => {
        const seenBefore = (await connectionStates(page)).length;
        const resyncsBefore = fake.resyncRequests;
        const tokensBefore = fake.issuedTokens.size;
        for (const socket of fake.sockets) socket.terminate();
        // Changed while the dashboard was disconnected, never pushed.
        fake.tickets.push(makeTicket('T-missed', 0, { pipeline: 'pl_missed_while_offline' }));
        const healed = fake.tickets.find((t) => t.id === 'T-old2')!;
        fake.tickets[fake.tickets.indexOf(healed)] = later(healed, { status: 'resolved' });

        await page.waitForSelector('[data-ticket-id="T-missed"]');
        await page.waitForSelector('[data-ticket-id="T-old2"][data-status="resolved"]');
        await page.waitForSelector('[data-testid="connection"][data-state="live"]');
        const states = (await connectionStates(page)).slice(seenBefore);
        assert.ok(states.indexOf('reconnecting') >= 0, `states seen: ${states.join(',')}`);
        assert.equal(states.at(-1), 'live');
        assert.ok(fake.resyncRequests > resyncsBefore, 're-synced from the API with updatedSince');
        assert.ok(fake.issuedTokens.size > tokensBefore, 'negotiated again instead of reusing the old URL');
        assert.equal(await page.evaluate(() => (window as { __marker?: string }).__marker), 'same-page');
    });

    it('applies updates by version: a duplicate changes nothing, a newer version wins even with an older clock (C39)', async () => {
        const current = fake.tickets.find((t) => t.id === 'T-old2')!;
        push(current); // the same version again, as a re-publish after a backend retry
        const newer = { ...later(current, { status: 'escalated' }), updatedAt: new Date(Date.parse(current.updatedAt) - 3_600_000).toISOString() };
        push(newer);
        await page.waitForSelector(`[data-ticket-id="T-old2"][data-status="escalated"][data-version="${newer.version}"]`);
        push(current); // and an older one afterwards
        push(later(fake.tickets.find((t) => t.id === 'T-new')!, { status: 'analysing' }));
        await page.waitForSelector('[data-ticket-id="T-new"][data-status="analysing"]');
        assert.equal(await rowStatus(page, 'T-old2'), 'escalated');
    });

    it('negotiates a new URL before the token expires and hands over without going offline', async () => {
        fake.tokenLifetimeMs = 2_000;
        const tokensBefore = fake.issuedTokens.size;
        for (const socket of fake.sockets) socket.terminate();
        await waitFor(() => fake.issuedTokens.size === tokensBefore + 1, 'the reconnect');
        await page.waitForSelector('[data-testid="connection"][data-state="live"]');
        fake.tokenLifetimeMs = 3_600_000;
        const seenBefore = (await connectionStates(page)).length;
        // Nothing closes the socket now: only the 2 s expiry can make the page negotiate again.
        await waitFor(() => fake.usedTokens.size === tokensBefore + 2 && fake.sockets.size === 1, 'the handover');
        assert.equal(fake.issuedTokens.size, tokensBefore + 2);
        const during = (await connectionStates(page)).slice(seenBefore);
        assert.ok(during.every((s) => s === 'live'), `states during handover: ${during.join(',')}`);
    });

    it('filters by status through the API', async () => {
        await page.selectOption('#filter-status', 'escalated');
        await page.waitForFunction(() => {
            const rows = Array.from(document.querySelectorAll('[data-testid="ticket-row"]'));
            return rows.length > 0 && rows.every((row) => row.getAttribute('data-status') === 'escalated');
        });
        assert.deepEqual(await rowIds(page), ['T-rules']);
    });
});
