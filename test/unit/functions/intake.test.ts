import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { RestError } from '@azure/data-tables';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { azureMonitorAlert } from '../../../src/functions/azureMonitorAlert';
import { withErrors } from '../../../src/functions/http';
import { FIRST } from '../../../src/shared/clients/intakeStore';
import type { FailureSignal } from '../../../src/shared/domain';
import { dedupKeyForAdf, ticketIdFor } from '../../../src/shared/intake';
import { linkRerun } from '../../../src/shared/intakeService';
import { context, FakeStarter, intakeConfig, MemoryIntakeStore, NOW, post } from './intakeFakes';

const CASES = join(__dirname, '..', '..', 'fixtures', 'cases');
const fixture = (name: string) => readFileSync(join(CASES, `${name}.json`), 'utf8');
const C01 = fixture('C01-logalertsv2-adf-no-search-results');
const FACTORY = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd';
const C01_TICKET = ticketIdFor(dedupKeyForAdf(FACTORY, 'pl_ingest_sales_daily', 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4'));

type Body = { status: string; ticketId?: string; tickets?: { ticketId: string; duplicate: boolean; rerunOf?: string }[]; error?: string };

export function harness() {
    const store = new MemoryIntakeStore();
    const starter = new FakeStarter();
    const deps = { intake: store.asStore(), now: () => NOW, config: intakeConfig() };
    const call = async (body: string, headers?: Record<string, string>) => {
        const { ctx, lines } = context();
        const handler = withErrors((req: HttpRequest, c: InvocationContext) => azureMonitorAlert(deps, starter, req, c));
        const res: HttpResponseInit = await handler(post(body, headers), ctx);
        return { res, body: res.jsonBody as Body, lines };
    };
    return { store, starter, deps, call };
}

describe('azureMonitorAlert', () => {
    it('archives the raw body, files the delivery as the ticket claim, starts one remediation and answers 202', async () => {
        const h = harness();
        const { res, body } = await h.call(C01);
        assert.equal(res.status, 202);
        assert.equal(body.ticketId, C01_TICKET);
        assert.deepEqual(h.starter.started, [`remediate ${C01_TICKET}`]);
        const claim = h.store.partitions.get(C01_TICKET)?.get(FIRST);
        assert.ok(claim?.payloadBlob, 'the delivery points at its archived payload');
        assert.equal(h.store.blobs.get(claim.payloadBlob), C01, 'archived byte for byte');
        assert.match(claim.payloadBlob, /^alerts\/2025-03-14\//);
        assert.equal((h.starter.instances.get(C01_TICKET)?.input as FailureSignal).runId, 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4');
    });

    it('counts a repeated delivery on the same ticket and starts nothing', async () => {
        const h = harness();
        await h.call(C01);
        const second = await h.call(C01);
        assert.equal(second.res.status, 202);
        assert.deepEqual(second.body.tickets, [{ ticketId: C01_TICKET, duplicate: true }]);
        assert.equal(h.starter.started.length, 1);
        assert.equal(h.store.rows(C01_TICKET).length, 2, 'two deliveries filed under the ticket');
    });

    it('a repeat after the remediation finished never starts it again', async () => {
        const h = harness();
        await h.call(C01);
        // Finished instances can be replaced by a start (NonRunningStates): intake must not even try.
        h.starter.finished.add(C01_TICKET);
        const late = await h.call(C01);
        assert.equal(late.body.tickets?.[0]?.duplicate, true);
        assert.deepEqual(h.starter.started, [`remediate ${C01_TICKET}`]);
    });

    it('starts the remediation on the next delivery when the first one was claimed but its start was lost', async () => {
        const h = harness();
        h.starter.failStart = new Error('durable runtime unreachable');
        const first = await h.call(C01);
        assert.equal(first.res.status, 503, 'Azure retries it');
        h.starter.failStart = undefined;
        const retry = await h.call(C01);
        assert.equal(retry.res.status, 202);
        assert.deepEqual(retry.body.tickets, [{ ticketId: C01_TICKET, duplicate: false }]);
        assert.deepEqual(h.starter.started, [`remediate ${C01_TICKET}`]);
    });

    it('treats losing a start race to a concurrent delivery as a duplicate', async () => {
        const h = harness();
        const [a, b] = await Promise.all([h.call(C01), h.call(C01)]);
        assert.deepEqual([a.body.tickets?.[0]?.duplicate, b.body.tickets?.[0]?.duplicate].sort(), [false, true]);
        assert.equal(h.starter.started.length, 1);
    });

    it('counts an alert about one of our own reruns on the ticket that started the rerun', async () => {
        const h = harness();
        const parent = { ticketId: 'adf-parent', runId: 'first-run', adf: { factoryResourceId: FACTORY, pipelineName: 'pl_ingest_sales_daily' } } as FailureSignal;
        await linkRerun(h.deps, parent, 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4', NOW.toISOString());
        const { res, body } = await h.call(C01);
        assert.equal(res.status, 202);
        assert.deepEqual(body.tickets, [{ ticketId: 'adf-parent', duplicate: true, rerunOf: C01_TICKET }]);
        assert.deepEqual(h.starter.started, [], 'no ticket and no retry budget for the rerun');
        assert.equal(h.store.rows('adf-parent').length, 1);
    });

    it('rejects a body that is not JSON with 400 naming the problem and a correlation id, writing nothing', async () => {
        const h = harness();
        const { res, body, lines } = await h.call('{"schemaId": "azureMonitorCommonAlertSchema", "data": {');
        assert.equal(res.status, 400);
        assert.match(String(body.error), /not valid JSON/);
        assert.equal((res.jsonBody as { correlationId: string }).correlationId, 'corr-1');
        assert.ok(lines.some((l) => /corr-1/.test(l)), 'the rejection is logged with its correlation id');
        assert.deepEqual([h.store.log, h.starter.started], [[], []]);
    });

    it('rejects an over-long field with 400 naming it and the limit', async () => {
        const h = harness();
        const body = JSON.parse(C01) as { data: { alertContext: { condition: { allOf: { dimensions: { name: string; value: string }[] }[] } } } };
        body.data.alertContext.condition.allOf[0]!.dimensions[0]!.value = 'p'.repeat(300);
        const { res } = await h.call(JSON.stringify(body));
        assert.equal(res.status, 400);
        const issues = (res.jsonBody as { issues: { path: string; message: string }[] }).issues;
        assert.deepEqual(issues.map((i) => i.path), ['data.alertContext.condition.allOf[0].dimensions[PipelineName]']);
        assert.match(issues[0]!.message, /at most 260 characters/);
        assert.deepEqual(h.store.log, []);
    });

    it('answers 415 to a body that says it is not JSON, and 413 past the size limit', async () => {
        const h = harness();
        assert.equal((await h.call(C01, { 'content-type': 'text/plain' })).res.status, 415);
        assert.equal((await h.call(C01, { 'content-type': 'application/x-www-form-urlencoded' })).res.status, 415);
        const declared = await h.call(C01, { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) });
        assert.equal(declared.res.status, 413);
        const big = await h.call(`{"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`);
        assert.equal(big.res.status, 413);
        assert.match(String(big.body.error), /limit/);
        assert.equal((await h.call(C01, { 'content-type': 'application/json; charset=utf-8' })).res.status, 202);
        assert.deepEqual(h.starter.started.length, 1);
    });

    it('acknowledges an Azure test notification with 202, keeps it on record and starts nothing', async () => {
        const h = harness();
        const { res, body } = await h.call(fixture('C04-test-action-group-sample'));
        assert.equal(res.status, 202);
        assert.deepEqual({ ...body }, { status: 'ignored', test: true, reason: "test notification received for alert rule 'test-metricAlertRule'" });
        assert.deepEqual(h.starter.started, []);
        assert.ok(h.store.log.some((l) => /^event test notification.*test-metricAlertRule/.test(l)));
        assert.equal(h.store.blobs.size, 1);
    });

    it('answers 503 with Retry-After when the delivery cannot be persisted, and never 500', async () => {
        for (const failure of [new RestError('server busy', { statusCode: 503 }), new RestError('bad', { statusCode: 400 }), new Error('ECONNREFUSED')]) {
            const h = harness();
            h.store.failWith = failure;
            const { res, body } = await h.call(C01);
            assert.equal(res.status, 503, failure.message);
            assert.equal((res.headers as Record<string, string>)['Retry-After'], '30');
            assert.doesNotMatch(JSON.stringify(body), /at |stack|ECONNREFUSED/);
            assert.deepEqual(h.starter.started, []);
        }
    });

    it('still acknowledges a payload it does not act on when storage is down (it would only be resent)', async () => {
        const h = harness();
        h.store.failWith = new RestError('server busy', { statusCode: 503 });
        assert.equal((await h.call(fixture('C06-activity-log-alert-pipeline-write'))).res.status, 202);
    });
});
