import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { dedupKeyForAdf, dedupKeyForAlertWindow, ticketIdFor } from '../../src/shared/intake';
import { callsTo, CASES, runScenario } from './runScenario';

const SUB = '8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71';
const FACTORY = `/subscriptions/${SUB}/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd`;
const NO_STACK = /\n\s+at |internal error/;

describe('scenario C04: the "Test action group" sample notification', () => {
    const report = runScenario(join(CASES, 'C04-test-action-group-sample.json'));

    it('answers 2xx, recognised as a test of rule test-metricAlertRule', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.deepEqual(report.responses[0]?.body, {
            status: 'ignored', test: true, reason: "test notification received for alert rule 'test-metricAlertRule'",
        });
    });

    it('opens no ticket and calls nothing downstream (no ADF, Databricks or Gemini)', () => {
        assert.deepEqual([report.tickets, report.calls, report.orchestrations], [[], [], []]);
    });
});

describe('scenario C05: legacy Log Analytics payload without schemaId, SearchResult (singular)', () => {
    const report = runScenario(join(CASES, 'C05-legacy-log-analytics-no-schemaid.json'));

    it('answers 202 and opens one ticket per row, columns read by name', () => {
        assert.equal(report.responses[0]?.status, 202);
        const tickets = report.tickets.map((t) => [t.pipeline, t.runId, t.dedupKey]).sort();
        assert.deepEqual(tickets, [
            ['pl_export_finance_monthly', 'f27c0d93-5a4e-4b18-8d6f-c3e1a09b7254', dedupKeyForAdf(FACTORY, 'pl_export_finance_monthly', 'f27c0d93-5a4e-4b18-8d6f-c3e1a09b7254')],
            ['pl_ingest_sales_daily', 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4', dedupKeyForAdf(FACTORY, 'pl_ingest_sales_daily', 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4')],
        ]);
        const answered = (report.responses[0]?.body['tickets'] as { ticketId: string }[]).map((t) => t.ticketId).sort();
        assert.deepEqual(answered, report.tickets.map((t) => t.id).sort());
    });

    it('investigates each run in its factory', () => {
        for (const run of ['a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4', 'f27c0d93-5a4e-4b18-8d6f-c3e1a09b7254']) {
            assert.equal(callsTo(report, 'GET', new RegExp(`/factories/adf-lakehouse-prd/pipelineruns/${run}\\?`)).length, 1, run);
        }
        assert.deepEqual(report.orchestrations.map((o) => o.runtimeStatus), ['Completed', 'Completed']);
    });
});

describe('scenario C06: activity log alert (pipeline changed) on the same webhook', () => {
    const report = runScenario(join(CASES, 'C06-activity-log-alert-pipeline-write.json'));

    it('answers 202 as a non-failure event: no ticket, no call, nothing started', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.deepEqual(report.responses[0]?.body, { status: 'ignored', reason: 'activity log event is not a run failure' });
        assert.deepEqual([report.tickets, report.calls, report.orchestrations], [[], [], []]);
    });
});

describe('scenario C10: legacy log alert with 1000 embedded rows (~0.7 MB)', () => {
    const report = runScenario(join(CASES, 'C10-legacy-large-payload-1000-rows.json'));

    it('answers 202 well within Azure\'s 10 s for the large body', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.ok(report.responses[0]!.ms < 10_000, `${report.responses[0]!.ms} ms`);
    });

    it('extracts the 12 distinct runs of 3 pipelines: 12 tickets, never 1000', () => {
        assert.equal(report.tickets.length, 12);
        assert.equal(new Set(report.tickets.map((t) => t.dedupKey)).size, 12);
        assert.equal(new Set(report.tickets.map((t) => t.pipeline)).size, 3);
        assert.equal((report.responses[0]?.body['tickets'] as unknown[]).length, 12);
        assert.ok(report.tickets.every((t) => t.relatedAlerts === 1));
        assert.equal(report.orchestrations.length, 12);
    });
});

describe('scenario C12: malformed bodies', () => {
    const report = runScenario(join(CASES, 'C12-malformed-bodies.json'));
    const issues = (i: number) => (report.responses[i]?.body['issues'] as { path: string; message: string }[]) ?? [];

    it('answers 400 to each, never a 5xx or a stack trace, each with a correlation id', () => {
        assert.deepEqual(report.responses.map((r) => r.status), [400, 400, 400, 400]);
        for (const r of report.responses) {
            assert.doesNotMatch(JSON.stringify(r.body), NO_STACK);
            assert.match(String(r.body['correlationId']), /^[0-9a-f-]{36}$/);
        }
    });

    it('names the problem: invalid JSON, then schemaId/data, data.essentials, data.essentials.alertTargetIDs (array)', () => {
        assert.match(String(report.responses[0]?.body['error']), /not valid JSON/);
        assert.deepEqual(issues(1).map((i) => i.path), ['schemaId', 'data']);
        assert.deepEqual(issues(2).map((i) => i.path), ['data.essentials']);
        assert.deepEqual(issues(3), [{ path: 'data.essentials.alertTargetIDs', message: 'Invalid input: expected array, received string' }]);
    });

    it('writes nothing: no ticket, no call, no orchestration', () => {
        assert.deepEqual([report.tickets, report.calls, report.orchestrations], [[], [], []]);
    });
});

describe('scenario C13: common schema with alertContext and customProperties null', () => {
    const report = runScenario(join(CASES, 'C13-alertcontext-null.json'));
    const alertId = `/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b`;
    const fired = Date.parse('2025-03-14T07:41:55.2048831Z');

    it('answers 202', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.equal(report.responses[0]?.body['status'], 'accepted');
    });

    it('looks failed runs up in the factory of alertTargetIDs[0], over a bounded window before firedDateTime', () => {
        const queries = callsTo(report, 'POST', /\/queryPipelineRuns\?/);
        assert.equal(queries.length, 1);
        assert.match(new URL(queries[0]!.url).pathname, /\/subscriptions\/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71\/resourceGroups\/rg-analytics-prd\/providers\/Microsoft\.DataFactory\/factories\/adf-lakehouse-prd\/queryPipelineRuns$/);
        const body = queries[0]!.body as { lastUpdatedAfter: string; lastUpdatedBefore: string; filters: unknown[] };
        const [after, before] = [Date.parse(body.lastUpdatedAfter), Date.parse(body.lastUpdatedBefore)];
        assert.ok(after <= fired - 60 * 60_000 && before >= fired, 'covers the hour before the alert');
        assert.ok(before - after <= 2 * 3600_000, 'bounded');
        assert.deepEqual(body.filters, [{ operand: 'Status', operator: 'Equals', values: ['Failed'] }]);
    });

    it('finding none, opens one ticket marked "run unknown" on the alert id + window, and never reruns', () => {
        assert.equal(report.tickets.length, 1);
        const ticket = report.tickets[0]!;
        assert.equal(ticket.runId, 'unknown');
        const key = dedupKeyForAlertWindow(alertId, new Date(fired - 3600_000).toISOString(), new Date(fired).toISOString());
        assert.deepEqual([ticket.dedupKey, ticket.id], [key, ticketIdFor(key)]);
        assert.equal(ticket.status, 'escalated');
        assert.equal(callsTo(report, 'POST', /\/createRun\?/).length, 0);
        assert.ok(report.orchestrations.every((o) => o.runtimeStatus === 'Completed'));
    });
});
