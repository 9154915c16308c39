import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { dashboard } from '../../../src/functions/dashboard';
import { exportCsv } from '../../../src/functions/exportCsv';
import { metrics } from '../../../src/functions/metrics';
import { negotiate } from '../../../src/functions/negotiate';
import { openapi } from '../../../src/functions/openapi';
import { settings } from '../../../src/functions/settings';
import type { Role } from '../../../src/shared/access/roles';
import type { Ticket } from '../../../src/shared/domain';
import { auth, invoke, memoryStores, NOW, ticket, tokenFor } from './support/fakes';

const closedAt = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const seeded: Ticket[] = [
    ticket('h1', 300, { status: 'auto_healed', category: 'transient', attempts: 1, mttrSeconds: 100, closedAt: closedAt(290), pipeline: 'pl_sales_daily' }),
    ticket('h2', 200, { status: 'auto_healed', category: 'transient', attempts: 2, mttrSeconds: 300, closedAt: closedAt(190), pipeline: 'pl_sales_daily' }),
    ticket('h3', 100, { status: 'auto_healed', category: 'capacity', attempts: 1, mttrSeconds: 900, closedAt: closedAt(80), pipeline: '=HYPERLINK("x")' }),
    ticket('e1', 50, { status: 'escalated', category: 'data', attempts: 0, autoHeal: false, mttrSeconds: 5, closedAt: closedAt(49) }),
    ticket('old', 60 * 24 * 10, { status: 'auto_healed', category: 'transient', attempts: 1, mttrSeconds: 1, closedAt: closedAt(60 * 24 * 10 - 1) }),
];

const call = async (fn: Parameters<typeof invoke>[0], url: string, role: Role | null, headers: Record<string, string> = {}) =>
    invoke(fn, { url, token: role ? await tokenFor(role) : undefined, headers, params: { kind: url.split('?')[0]!.split('/')[1] ?? '' } });

describe('metrics', () => {
    const { deps } = memoryStores(seeded);
    const run = (url: string, role: Role | null, headers?: Record<string, string>) => call((req) => metrics(deps, { auth }, req), url, role, headers);

    it('computes MTTR (median, p90), auto-heal rate, escalations and attempts over the window, by error class and pipeline', async () => {
        const res = await run('metrics?window=7d', 'viewer');
        assert.equal(res.status, 200);
        const m = res.json as { overall: Record<string, unknown>; byErrorClass: { errorClass: string; autoHealRate: number }[]; byPipeline: { pipeline: string; tickets: number }[]; mttrOverTime: unknown[] };
        assert.deepEqual(m.overall, {
            tickets: 4, recovered: 3, autoHealed: 3, escalated: 1, autoHealRate: 0.75,
            mttrSeconds: { median: 300, p90: 900 }, attemptsPerTicket: 1,
        });
        assert.deepEqual(m.byErrorClass.map((c) => [c.errorClass, c.autoHealRate]), [['transient', 1], ['capacity', 1], ['data', 0]]);
        assert.deepEqual(m.byPipeline[0], { ...m.byPipeline[0], pipeline: 'pl_sales_daily', tickets: 2 });
        assert.equal(m.mttrOverTime.length, 8, 'daily buckets from the window start\'s midnight');
        const day = (await run('metrics?window=24h', 'viewer')).json as { overall: { tickets: number }; mttrOverTime: unknown[] };
        assert.equal(day.mttrOverTime.length, 24, 'hourly buckets for a day');
        assert.equal(((await run('metrics?window=30d', 'viewer')).json as { overall: { tickets: number } }).overall.tickets, 5);
    });

    it('speaks the Prometheus text format, and lets the scrape key in without a user token', async () => {
        const res = await run('metrics?window=7d', null, { authorization: 'Bearer scrape-key-0123456789', accept: 'text/plain;version=0.0.4' });
        assert.equal(res.status, 200);
        assert.match(res.headers['content-type']!, /^text\/plain; version=0\.0\.4/);
        const text = String(res.body);
        assert.match(text, /^# TYPE autoheal_mttr_seconds gauge$/m);
        assert.match(text, /^autoheal_mttr_seconds\{error_class="all",pipeline="all",quantile="0\.9"\} 900$/m);
        assert.match(text, /^autoheal_auto_heal_ratio\{error_class="data",pipeline="all"\} 0$/m);
        assert.match(text, /^autoheal_tickets\{status="escalated"\} 1$/m);
        assert.match(text, /pipeline="=HYPERLINK\(\\"x\\"\)"/, 'label values are escaped');
    });

    it('answers 401 without a token or with a wrong scrape key, and 400 for a bad window', async () => {
        assert.equal((await run('metrics', null)).status, 401);
        assert.equal((await run('metrics', null, { authorization: 'Bearer wrong-key-0123456789' })).status, 401);
        assert.equal((await run('metrics?window=1y', 'viewer')).status, 400);
        assert.equal((await run(`metrics?from=${NOW.toISOString()}&to=2020-01-01`, 'viewer')).status, 400);
    });
});

describe('exportCsv', () => {
    const timelines = { e1: [{ ticketId: 'e1', seq: 0, at: closedAt(50), type: 'alert_received', summary: 'opened, "quoted"', data: { by: 'system' } }] };
    const { deps } = memoryStores(seeded, timelines);
    const run = (url: string, role: Role | null) => call((req) => exportCsv(deps, { auth }, req), url, role);

    it('exports the filtered ticket list, neutralising spreadsheet formulas', async () => {
        const res = await run('export/tickets?errorClass=capacity', 'viewer');
        assert.equal(res.status, 200);
        assert.match(res.headers['content-disposition']!, /attachment; filename="tickets-.*\.csv"/);
        const lines = String(res.body).trim().split('\r\n');
        assert.equal(lines.length, 2);
        assert.match(lines[0]!, /^id,status,priority,slaDueAt,slaBreached,source,pipeline,/);
        assert.match(lines[1]!, /^h3,auto_healed,P3,.*,"'=HYPERLINK\(""x""\)",/);
    });

    it('exports the audit trail of the filtered tickets; a viewer gets no step data', async () => {
        const operator = String((await run('export/audit?status=escalated', 'operator')).body).trim().split('\r\n');
        assert.deepEqual(operator, ['ticketId,pipeline,seq,at,type,summary,by,data', `e1,pl_e1,0,${closedAt(50)},alert_received,"opened, ""quoted""",system,"{""by"":""system""}"`]);
        const viewer = String((await run('export/audit?status=escalated', 'viewer')).body).trim().split('\r\n');
        assert.equal(viewer[1], `e1,pl_e1,0,${closedAt(50)},alert_received,"opened, ""quoted""",,`);
        assert.equal((await run('export/audit?status=auto_healed&pipeline=nothing', 'viewer')).body, 'ticketId,pipeline,seq,at,type,summary,by,data\r\n');
    });

    it('answers 401 without a token and 404 for another kind', async () => {
        assert.equal((await run('export/tickets', null)).status, 401);
        assert.equal((await run('export/users', 'admin')).status, 404);
    });
});

describe('negotiate, openapi, settings, dashboard', () => {
    it('negotiates a receive-only URL for the user, joined to their role group only', async () => {
        const { deps } = memoryStores();
        const res = await call((req) => negotiate(deps, { auth }, req), 'negotiate', 'operator');
        assert.equal(res.status, 200);
        assert.match(String(res.json['url']), /user=operator@contoso\.com&groups=role-operator&minutes=\d+$/);
        assert.equal((await call((req) => negotiate(deps, { auth }, req), 'negotiate', null)).status, 401);
    });

    it('describes every API route in OpenAPI 3.1 from the zod schemas', async () => {
        const res = await call((req) => openapi({ auth }, req), 'openapi.json', 'viewer');
        const doc = res.json as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
        assert.equal(doc.openapi, '3.1.0');
        for (const path of ['/tickets', '/tickets/{id}', '/tickets/{id}/approve', '/export/audit', '/metrics', '/auth/login', '/users/{email}', '/negotiate']) assert.ok(doc.paths[path], path);
        assert.deepEqual(doc.paths['/tickets']!['get']!.parameters!.map((p) => p.name).slice(0, 4), ['status', 'source', 'pipeline', 'errorClass']);
        assert.ok(doc.components.schemas['TicketView']!.properties!['slaDueAt']);
        assert.equal((await call((req) => openapi({ auth }, req), 'openapi.json', null)).status, 401);
    });

    it('shows the settings to admins only', async () => {
        const { deps } = memoryStores();
        for (const role of ['viewer', 'operator'] as const) assert.equal((await call((req) => settings(deps, { auth }, req), 'settings', role)).status, 403, role);
        assert.equal((await call((req) => settings(deps, { auth }, req), 'settings', null)).status, 401);
        const res = await call((req) => settings(deps, { auth }, req), 'settings', 'admin');
        assert.equal(res.status, 200);
        assert.doesNotMatch(JSON.stringify(res.json), /test-secret|scrape-key-0/, 'no secret is shown');
    });

    it('serves the page\'s own files with a strict CSP, and nothing else', async () => {
        const page = await invoke((req) => dashboard(req), { url: 'dashboard', params: {} });
        assert.equal(page.status, 200);
        assert.match(page.headers['content-security-policy']!, /script-src 'self';/);
        assert.equal((await invoke((req) => dashboard(req), { url: 'dashboard/assets/app.js', params: { file: 'assets/app.js' } })).status, 200);
        for (const file of ['../functions/dashboard.ts', 'assets/..%2Fpackage.json', 'missing.js']) {
            assert.equal((await invoke((req) => dashboard(req), { url: `dashboard/${file}`, params: { file } })).status, 404, file);
        }
    });
});
