import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { dedupKeyForAdf, ticketIdFor } from '../../src/shared/intake';
import { callsTo, CASES, derivedCase, type Report, runScenario } from './runScenario';

const FACTORY = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd';
const C03_FILE = join(CASES, 'C03-resolved-after-fired.json');
const C03_TICKET = ticketIdFor(dedupKeyForAdf(FACTORY, 'pl_ingest_sales_daily', 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4'));
const gemini = (r: Report) => r.calls.filter((c) => c.service === 'gemini');
const resolvedEvents = (r: Report) => (r.tickets[0]?.events ?? []).filter((e) => e.type === 'alert_resolved');

describe('scenario C03: Fired, then Resolved twice, for a metric alert with no run id', () => {
    const report = runScenario(C03_FILE);

    it('Fired: resolves the run with queryPipelineRuns over the window, one ticket, one Gemini call, one createRun', () => {
        assert.equal(report.responses[0]?.status, 202);
        const query = callsTo(report, 'POST', /\/queryPipelineRuns\?/);
        assert.equal(query.length, 1);
        assert.deepEqual((query[0]!.body as { filters: unknown }).filters, [
            { operand: 'Status', operator: 'Equals', values: ['Failed'] },
            { operand: 'PipelineName', operator: 'Equals', values: ['pl_ingest_sales_daily'] },
        ]);
        assert.deepEqual(report.tickets.map((t) => t.id), [C03_TICKET]);
        assert.equal(report.tickets[0]!.runId, 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4');
        assert.equal(gemini(report).length, 1);
        const creates = callsTo(report, 'POST', /\/createRun\?/);
        assert.equal(creates.length, 1);
        assert.equal(new URL(creates[0]!.url).searchParams.get('referencePipelineRunId'), 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4');
    });

    it('Resolved twice: 202 each, no new ticket, one "alert resolved 02:36:40Z" event, not a related alert', () => {
        assert.deepEqual(report.responses.map((r) => r.status), [202, 202, 202]);
        assert.deepEqual(report.responses.slice(1).map((r) => r.body['ticketIds']), [[C03_TICKET], [C03_TICKET]]);
        assert.equal(report.tickets.length, 1);
        assert.equal(resolvedEvents(report).length, 1);
        assert.match(resolvedEvents(report)[0]!.summary, /^Alert resolved 02:36:40Z/);
        assert.equal(report.tickets[0]!.relatedAlerts, 1);
    });

    it('closes auto-healed because the rerun e91b4c07 succeeded', () => {
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'auto_healed');
        assert.deepEqual(ticket.rerunRunIds, ['e91b4c07-3f2a-4d8e-b6c1-58a0d7e2f934']);
        assert.ok(callsTo(report, 'GET', /\/pipelineruns\/e91b4c07-3f2a-4d8e-b6c1-58a0d7e2f934\?/).length >= 1);
        assert.deepEqual(report.violations, []);
    });

    it('with slower polling the notice lands mid-rerun: annotated, polling continues to Succeeded, still one createRun', () => {
        const scenario = JSON.parse(readFileSync(C03_FILE, 'utf8')) as { config: Record<string, unknown> };
        scenario.config['pollIntervalSeconds'] = 60;
        const slow = runScenario(derivedCase('C03-slow-poll.json', scenario));
        const events = slow.tickets[0]?.events ?? [];
        const notice = events.findIndex((e) => e.type === 'alert_resolved');
        const closed = events.findIndex((e) => e.type === 'closed');
        assert.ok(notice >= 0 && closed > notice, events.map((e) => e.type).join(', '));
        assert.match(events[notice]!.summary, /remediation in progress continues/);
        assert.ok(events.slice(notice + 1).some((e) => e.type === 'run_state'), 'the rerun is still polled after the notice');
        assert.equal(slow.tickets[0]!.status, 'auto_healed');
        assert.equal(callsTo(slow, 'POST', /\/createRun\?/).length, 1);
        assert.equal(gemini(slow).length, 1);
        const lastPoll = callsTo(slow, 'GET', /\/pipelineruns\/e91b4c07/).at(-1)!;
        assert.ok(Date.parse(lastPoll.at) > Date.parse('2025-03-14T02:36:10Z'), `last poll at ${lastPoll.at}`);
    });
});

describe('scenario C08: one metric rule, two criteria; Name is the pipeline in one and the activity in the other', () => {
    const report = runScenario(join(CASES, 'C08-multi-criteria-dimension-name-clash.json'));

    it('answers 202 naming the pipeline and recording Copy_Crm_To_Bronze as the failed activity', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.equal(report.responses[0]?.body['pipelineName'], 'pl_load_customer_dim');
        assert.deepEqual(report.responses[0]?.body['failedActivities'], ['Copy_Crm_To_Bronze']);
    });

    it('opens exactly one ticket, for pipeline pl_load_customer_dim', () => {
        assert.deepEqual(report.tickets.map((t) => t.pipeline), ['pl_load_customer_dim']);
    });

    it('never uses the activity as a pipeline name in any ADF call', () => {
        const adf = report.calls.filter((c) => c.service === 'adf');
        assert.ok(adf.length >= 1);
        for (const c of adf) assert.doesNotMatch(`${c.url} ${JSON.stringify(c.body ?? null)}`, /Copy_Crm_To_Bronze/);
        const query = callsTo(report, 'POST', /\/queryPipelineRuns\?/)[0]!;
        assert.deepEqual((query.body as { filters: { operand: string; values: string[] }[] }).filters.find((f) => f.operand === 'PipelineName')?.values, ['pl_load_customer_dim']);
    });
});

describe('scenario C28: two identical deliveries race on two instances', () => {
    const report = runScenario(join(CASES, 'C28-durable-duplicate-instance-race.json'));
    const ticketId = ticketIdFor(dedupKeyForAdf(FACTORY, 'pl_ingest_sales_daily', 'f4a6c8e0-2b4d-4f6a-9c8e-0a2b4c6d8e0f'));

    it('answers both with 2xx and the same deterministic ticket id; exactly one is the first', () => {
        assert.deepEqual(report.responses.map((r) => r.status), [202, 202]);
        assert.deepEqual(report.responses.map((r) => r.body['ticketId']), [ticketId, ticketId]);
        const duplicates = report.responses.map((r) => (r.body['tickets'] as { duplicate: boolean }[])[0]!.duplicate);
        assert.deepEqual(duplicates.sort(), [false, true]);
    });

    it('leaves exactly one orchestration instance and one ticket, with both deliveries counted', () => {
        assert.deepEqual(report.orchestrations.map((o) => o.instanceId), [ticketId]);
        assert.equal(report.tickets.length, 1);
        assert.equal(report.tickets[0]!.relatedAlerts, 2);
        assert.equal(gemini(report).length, 1);
    });
});
