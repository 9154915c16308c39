import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { RestError } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';

import { azureMonitorAlert } from '../../../src/functions/azureMonitorAlert';
import { databricksAlert } from '../../../src/functions/databricksAlert';
import { withErrors } from '../../../src/functions/http';
import type { DeliveryRecord, TicketStore } from '../../../src/shared/clients/ticketStore';
import type { FailureSignal } from '../../../src/shared/domain';
import type { OrchestrationStarter } from '../../../src/shared/intakeService';

const CASES = join(__dirname, '..', '..', 'fixtures', 'cases');
const fixture = (name: string) => readFileSync(join(CASES, name), 'utf8');

function harness(opts: { existing?: string[]; failDelivery?: Error; raceOnStart?: boolean } = {}) {
    const log: string[] = [];
    const running = new Set(opts.existing ?? []);
    const deliveries: DeliveryRecord[] = [];
    const tickets = {
        recordDelivery: async (d: DeliveryRecord) => {
            if (opts.failDelivery) throw opts.failDelivery;
            log.push(`delivery ${d.ticketId}`);
            deliveries.push(d);
        },
    } as unknown as TicketStore;
    const starter: OrchestrationStarter = {
        exists: async (id) => running.has(id),
        start: async (id: string, input: FailureSignal) => {
            if (opts.raceOnStart) {
                running.add(id);
                throw new Error('An instance with ID already exists');
            }
            log.push(`start ${id} ${input.pipeline} ${input.runId}`);
            running.add(id);
        },
    };
    const deps = { tickets, now: () => new Date('2025-03-14T02:21:00Z') };
    const call = (handler: typeof azureMonitorAlert, body: string) =>
        withErrors((req: HttpRequest, ctx: InvocationContext) => handler(deps, starter, req, ctx))(
            new HttpRequest({ method: 'POST', url: 'http://localhost/api/alerts', body: { string: body }, headers: { 'content-type': 'application/json' } }),
            new InvocationContext({ functionName: 'test' }),
        );
    return { log, deliveries, call };
}

describe('azureMonitorAlert', () => {
    it('persists the delivery, then starts one remediation keyed on the ticket id, and answers 202', async () => {
        const h = harness();
        const res = await h.call(azureMonitorAlert, fixture('C01-logalertsv2-adf-no-search-results.json'));
        assert.equal(res.status, 202);
        const body = res.jsonBody as { ticketId: string; tickets: { duplicate: boolean }[] };
        assert.match(body.ticketId, /^adf-[0-9a-f]{32}$/);
        assert.deepEqual(h.log, [`delivery ${body.ticketId}`, `start ${body.ticketId} pl_ingest_sales_daily a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4`]);
        assert.equal(body.tickets[0]?.duplicate, false);
    });

    it('answers a duplicate delivery with the same ticket and starts nothing', async () => {
        const first = harness();
        const id = ((await first.call(azureMonitorAlert, fixture('C01-logalertsv2-adf-no-search-results.json'))).jsonBody as { ticketId: string }).ticketId;
        const h = harness({ existing: [id] });
        const res = await h.call(azureMonitorAlert, fixture('C01-logalertsv2-adf-no-search-results.json'));
        assert.equal(res.status, 202);
        assert.deepEqual(res.jsonBody, { status: 'accepted', ticketId: id, tickets: [{ ticketId: id, duplicate: true }] });
        assert.deepEqual(h.log, [`delivery ${id}`], 'the delivery is counted, nothing is started');
    });

    it('treats losing a start race to a concurrent delivery as a duplicate', async () => {
        const h = harness({ raceOnStart: true });
        const res = await h.call(azureMonitorAlert, fixture('C01-logalertsv2-adf-no-search-results.json'));
        assert.equal(res.status, 202);
        assert.equal((res.jsonBody as { tickets: { duplicate: boolean }[] }).tickets[0]?.duplicate, true);
    });

    it('rejects a body that is not JSON with 400 and writes nothing', async () => {
        const h = harness();
        const res = await h.call(azureMonitorAlert, '{"schemaId": "azureMonitorCommonAlertSchema", "data": {');
        assert.equal(res.status, 400);
        assert.match(String((res.jsonBody as { error: string }).error), /not valid JSON/);
        assert.deepEqual(h.deliveries, []);
    });

    it('rejects a body that fits no schema with 400 naming the field and the expected shape', async () => {
        const h = harness();
        const body = JSON.parse(fixture('C01-logalertsv2-adf-no-search-results.json')) as { data: { essentials: Record<string, unknown> } };
        body.data.essentials['alertId'] = 42;
        const res = await h.call(azureMonitorAlert, JSON.stringify(body));
        assert.equal(res.status, 400);
        const answer = res.jsonBody as { error: string; issues: { path: string; message: string }[] };
        assert.ok(answer.issues.some((i) => i.path === 'data.essentials.alertId' && /string/.test(i.message)), JSON.stringify(answer));
        assert.deepEqual(h.deliveries, []);
    });

    it('acknowledges an Azure test notification with 2xx and opens nothing', async () => {
        const h = harness();
        const res = await h.call(azureMonitorAlert, fixture('C04-test-action-group-sample.json'));
        assert.equal(res.status, 200);
        assert.equal((res.jsonBody as { status: string }).status, 'ignored');
        assert.deepEqual(h.log, []);
    });

    it('answers 503 (which Azure retries) when the delivery cannot be persisted', async () => {
        const h = harness({ failDelivery: new RestError('server busy', { statusCode: 503 }) });
        const res = await h.call(azureMonitorAlert, fixture('C01-logalertsv2-adf-no-search-results.json'));
        assert.equal(res.status, 503);
        assert.equal((res.headers as Record<string, string>)['Retry-After'], '30');
        assert.deepEqual(h.log, []);
    });
});

describe('databricksAlert', () => {
    const c22 = JSON.stringify({ event_type: 'jobs.on_failure', workspace_id: '5550001112223334', run: { run_id: '771234567890123' }, job: { job_id: '441122334455667', name: 'nightly_orders_silver' } });

    it('starts one remediation for a jobs.on_failure keyed on workspace and run', async () => {
        const h = harness();
        const res = await h.call(databricksAlert, c22);
        assert.equal(res.status, 202);
        assert.match((res.jsonBody as { ticketId: string }).ticketId, /^dbx-[0-9a-f]{32}$/);
        assert.equal(h.log.filter((l) => l.startsWith('start')).length, 1);
    });

    it('keeps run ids above 2^53 exact when they arrive as JSON numbers', async () => {
        const h = harness();
        await h.call(databricksAlert, '{"event_type":"jobs.on_failure","workspace_id":1,"run":{"run_id":9007199254740993},"job":{"job_id":1,"name":"j"}}');
        const started = h.log.find((l) => l.startsWith('start'));
        assert.match(started ?? '', / 9007199254740993$/);
    });

    it('acknowledges on_start without a ticket', async () => {
        const h = harness();
        const res = await h.call(databricksAlert, c22.replace('jobs.on_failure', 'jobs.on_start'));
        assert.equal(res.status, 200);
        assert.deepEqual(h.log, []);
    });
});
