import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { HttpRequest, InvocationContext } from '@azure/functions';

import { azureMonitorAlert } from '../../../src/functions/azureMonitorAlert';
import { databricksAlert } from '../../../src/functions/databricksAlert';
import { withErrors } from '../../../src/functions/http';
import { FIRST } from '../../../src/shared/clients/intakeStore';
import { alertIndexKeyFor, dedupKeyForDatabricks, ticketIdFor } from '../../../src/shared/intake';
import type { RunLookup } from '../../../src/shared/runLookup';
import { context, FakeStarter, intakeConfig, MemoryIntakeStore, NOW, post } from './intakeFakes';

const CASES = join(__dirname, '..', '..', 'fixtures', 'cases');
const fixture = (name: string) => readFileSync(join(CASES, `${name}.json`), 'utf8');
const C03 = JSON.parse(fixture('C03-resolved-after-fired')) as { steps: { request: { body: unknown } }[] };
const FIRED = JSON.stringify(C03.steps[0]!.request.body);
const RESOLVED = JSON.stringify(C03.steps[1]!.request.body);
const ALERT_ID = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/providers/Microsoft.AlertsManagement/alerts/2c7e5a90-4d13-4b6f-9e82-a1c03f5d7b46';

function harness(env: Record<string, string> = {}) {
    const store = new MemoryIntakeStore();
    const starter = new FakeStarter();
    const deps = { intake: store.asStore(), now: () => NOW, config: intakeConfig(env) };
    const send = async (handler: typeof databricksAlert, body: string, headers?: Record<string, string>) => {
        const { ctx, lines } = context();
        const res = await withErrors((req: HttpRequest, c: InvocationContext) => handler(deps, starter, req, c))(post(body, headers), ctx);
        return { res, body: res.jsonBody as Record<string, unknown>, lines };
    };
    return { store, starter, send, alert: (body: string) => send(azureMonitorAlert, body), dbx: (body: string, h?: Record<string, string>) => send(databricksAlert, body, h) };
}

describe('intake of an alert that names no run', () => {
    it('starts one run lookup per alert and window, with the window and the pipeline to look for', async () => {
        const h = harness();
        const { res, body } = await h.alert(FIRED);
        assert.equal(res.status, 202);
        assert.match(String(body['lookupId']), /^lookup-[0-9a-f]{32}$/);
        const lookup = h.starter.instances.get(String(body['lookupId']))?.input as RunLookup;
        assert.equal(h.starter.instances.get(String(body['lookupId']))?.kind, 'lookup');
        assert.equal(lookup.pipelineName, 'pl_ingest_sales_daily');
        assert.deepEqual([lookup.windowStart, lookup.windowEnd], ['2025-03-14T02:15:12.338Z', '2025-03-14T02:20:12.338Z']);
        assert.equal(lookup.factoryName, 'adf-lakehouse-prd');
    });

    it('a repeated delivery starts no second lookup; once the lookup opened its tickets, repeats count on them', async () => {
        const h = harness();
        const lookupId = String((await h.alert(FIRED)).body['lookupId']);
        assert.equal((await h.alert(FIRED)).body['duplicate'], true);
        assert.equal(h.starter.started.length, 1);
        await h.store.updateMarker(lookupId, { ticketIds: JSON.stringify(['adf-t1']) });
        const late = await h.alert(FIRED);
        assert.deepEqual(late.body['ticketIds'], ['adf-t1']);
        assert.equal(h.store.rows('adf-t1').length, 1, 'counted on the ticket');
        assert.equal(h.starter.started.length, 1);
    });
});

describe('intake of a Resolved notification', () => {
    it('with no ticket for the alert: 202, a log line, nothing started', async () => {
        const h = harness();
        const { res, body, lines } = await h.alert(RESOLVED);
        assert.equal(res.status, 202);
        assert.deepEqual(body['ticketIds'], []);
        assert.deepEqual(h.starter.started, []);
        assert.ok(lines.some((l) => /accepted/.test(l)));
    });

    it('annotates the tickets its alert opened once per resolution, and never counts as a related alert', async () => {
        const h = harness();
        await h.store.index(alertIndexKeyFor(ALERT_ID), ['adf-t1']);
        await h.store.claim('adf-t1', { deliveryId: 'd0', receivedAt: NOW.toISOString(), source: 'adf' });
        const first = await h.alert(RESOLVED);
        const again = await h.alert(RESOLVED);
        assert.deepEqual([first.res.status, again.res.status], [202, 202]);
        assert.deepEqual(first.body['ticketIds'], ['adf-t1']);
        assert.deepEqual([first.body['duplicate'], again.body['duplicate']], [false, true]);
        assert.equal(h.starter.started.length, 1);
        assert.match(h.starter.started[0]!, /^note resolved-[0-9a-f]{32}$/);
        assert.deepEqual(h.starter.instances.values().next().value?.input, {
            noteId: h.starter.started[0]!.slice(5), alertId: ALERT_ID, alertRule: 'adf-failed-runs',
            resolvedAt: '2025-03-14T02:36:40.1186530Z', ticketIds: ['adf-t1'],
        });
        assert.equal(h.store.rows('adf-t1').length, 1, 'relatedAlerts unchanged');
    });
});

describe('databricksAlert', () => {
    const failure = (extra: Record<string, unknown> = {}) =>
        JSON.stringify({ event_type: 'jobs.on_failure', workspace_id: '5550001112223334', run: { run_id: '771234567890123' }, job: { job_id: '441122334455667', name: 'nightly_orders_silver' }, ...extra });
    const TICKET = ticketIdFor(dedupKeyForDatabricks('5550001112223334', '771234567890123'));

    it('starts one remediation for jobs.on_failure; the task failure of the same run is the same ticket', async () => {
        const h = harness();
        const job = await h.dbx(failure());
        const task = await h.dbx(failure({ event_type: 'jobs.on_failure', run: { run_id: '771234567890999', parent_run_id: '771234567890123' }, task: { task_key: 'silver' } }));
        assert.deepEqual([job.res.status, task.res.status], [202, 202]);
        assert.deepEqual([job.body['ticketId'], task.body['ticketId']], [TICKET, TICKET]);
        assert.deepEqual(h.starter.started, [`remediate ${TICKET}`]);
        assert.equal(h.store.rows(TICKET).length, 2);
    });

    it('a failure notification after our repair of the same run attaches to the same ticket', async () => {
        const h = harness();
        await h.dbx(failure());
        h.starter.finished.add(TICKET);
        const afterRepair = await h.dbx(failure());
        assert.equal((afterRepair.body['tickets'] as { duplicate: boolean }[])[0]?.duplicate, true);
        assert.equal(h.starter.started.length, 1);
    });

    it('records a duration warning and acknowledges on_start and on_success, remediating none', async () => {
        const h = harness();
        for (const event of ['jobs.on_duration_warning_threshold_exceeded', 'jobs.on_start', 'jobs.on_success']) {
            const { res, body } = await h.dbx(failure({ event_type: event }));
            assert.equal(res.status, 202, event);
            assert.equal(body['status'], 'ignored');
        }
        assert.match(h.store.log.find((l) => /duration_warning/.test(l)) ?? '', /recorded/);
        assert.deepEqual(h.starter.started, []);
    });

    it('with a configured secret: 401 without or with wrong basic auth, 202 with it; the secret is never logged', async () => {
        const secret = 's3cret-value-0123456789';
        const h = harness({ DATABRICKS_WEBHOOK_SECRET: secret });
        const basic = (user: string, pass: string) => ({ 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
        const none = await h.dbx(failure());
        const wrong = await h.dbx(failure(), basic('autoheal', `${secret}x`));
        const wrongUser = await h.dbx(failure(), basic('admin', secret));
        assert.deepEqual([none.res.status, wrong.res.status, wrongUser.res.status], [401, 401, 401]);
        assert.match(String((none.res.headers as Record<string, string>)['WWW-Authenticate']), /^Basic/);
        assert.deepEqual(h.starter.started, []);
        const ok = await h.dbx(failure(), basic('autoheal', secret));
        assert.equal(ok.res.status, 202);
        const everything = JSON.stringify([none, wrong, wrongUser, ok].map((r) => [r.body, r.lines]));
        assert.ok(!everything.includes(secret) && !everything.includes(Buffer.from(`autoheal:${secret}`).toString('base64')));
    });

    it('files the delivery with the raw body archived, ids above 2^53 intact', async () => {
        const h = harness();
        const raw = '{"event_type":"jobs.on_failure","workspace_id":1,"run":{"run_id":9007199254740993},"job":{"job_id":1,"name":"j"}}';
        const { body } = await h.dbx(raw);
        const claim = h.store.partitions.get(String(body['ticketId']))?.get(FIRST);
        assert.equal(h.store.blobs.get(claim?.payloadBlob ?? ''), raw);
        assert.equal((h.starter.instances.get(String(body['ticketId']))?.input as { runId: string }).runId, '9007199254740993');
    });
});
