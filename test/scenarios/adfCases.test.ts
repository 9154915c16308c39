import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { callsTo, CASES, derivedCase, runScenario } from './runScenario';

const FACTORY = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd';
const CREATE_RUN = /\/createRun\?/;

describe('scenario C01: Log Alerts V2 for a failed ADF run, dimensions only', () => {
    const report = runScenario(join(CASES, 'C01-logalertsv2-adf-no-search-results.json'));

    it('accepts with 202 and opens exactly one ticket keyed on factory + pipeline + run', () => {
        assert.equal(report.responses[0]?.status, 202);
        assert.equal(report.tickets.length, 1);
        const ticket = report.tickets[0]!;
        assert.equal(report.responses[0]?.body['ticketId'], ticket.id);
        assert.equal(ticket.dedupKey, `adf|${FACTORY}|pl_ingest_sales_daily|a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4`);
        assert.equal(ticket.pipeline, 'pl_ingest_sales_daily');
        assert.equal(ticket.runId, 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4');
    });

    it('resolves the factory from _ResourceId, not from alertTargetIDs (the workspace)', () => {
        const gets = callsTo(report, 'GET', /\/pipelineruns\/a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4\?/);
        assert.equal(gets.length, 1);
        assert.match(gets[0]!.url, /\/factories\/adf-lakehouse-prd\/pipelineruns\//i);
        assert.ok(report.calls.every((c) => !/operationalinsights/i.test(c.url)));
    });

    it('reaches a final status without error although no search results are embedded', () => {
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'escalated', 'the default answers give no error detail and no rerun');
        assert.ok(ticket.decisionReason && ticket.decisionReason.length > 20);
        assert.deepEqual(report.orchestrations.map((o) => o.runtimeStatus), ['Completed']);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 0);
    });
});

describe('scenario C07: Azure re-sends the same alert after a receiver timeout', () => {
    const report = runScenario(join(CASES, 'C07-duplicate-delivery-on-timeout.json'));

    it('answers every delivery with 2xx and the same ticket, the first well within the slow storage window', () => {
        assert.equal(report.responses.length, 3);
        for (const r of report.responses) assert.ok(r.status >= 200 && r.status < 300, `status ${r.status}`);
        const ids = new Set(report.responses.map((r) => r.body['ticketId']));
        assert.equal(ids.size, 1);
        assert.ok(report.responses[0]!.ms < 10_000, `first answer took ${report.responses[0]!.ms} ms while ticket storage stalled 12 s`);
        const duplicates = report.responses.map((r) => (r.body['tickets'] as { duplicate: boolean }[])[0]?.duplicate);
        assert.deepEqual(duplicates, [false, true, true]);
    });

    it('keeps exactly one ticket, one Gemini call and at most one createRun, and counts the deliveries', () => {
        assert.equal(report.tickets.length, 1);
        assert.equal(report.tickets[0]!.relatedAlerts, 3);
        assert.equal(report.calls.filter((c) => c.service === 'gemini').length, 1);
        assert.ok(callsTo(report, 'POST', CREATE_RUN).length <= 1);
        assert.equal(report.orchestrations.length, 1);
    });
});

describe('scenario C14: Web activity 2108 with no HTTP status, healed by a recovery rerun', () => {
    const file = join(CASES, 'C14-adf-2108-transient-endpoint.json');
    const report = runScenario(file);

    it('classifies transient and makes exactly one recovery createRun from the failed activity', () => {
        const ticket = report.tickets[0]!;
        assert.equal(ticket.category, 'transient');
        const creates = callsTo(report, 'POST', CREATE_RUN);
        assert.equal(creates.length, 1);
        const query = new URL(creates[0]!.url).searchParams;
        assert.equal(query.get('referencePipelineRunId'), '5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5a6b');
        assert.equal(query.get('isRecovery'), 'true');
        assert.equal(query.get('startFromFailure'), 'true');
        assert.deepEqual(report.violations, []);
    });

    it('polls the new run through Queued and InProgress to Succeeded and ends auto-healed with both run ids', () => {
        const polls = callsTo(report, 'GET', /\/pipelineruns\/c8d9e0f1-2a3b-4c5d-8e6f-7a8b9c0d1e2f\?/);
        assert.equal(polls.length, 4, 'Queued, InProgress, InProgress, Succeeded');
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'auto_healed');
        assert.equal(ticket.autoHeal, true);
        assert.equal(ticket.runId, '5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5a6b');
        assert.deepEqual(ticket.rerunRunIds, ['c8d9e0f1-2a3b-4c5d-8e6f-7a8b9c0d1e2f']);
        assert.equal(ticket.attempts, 1);
    });

    it('when every rerun fails with the same 2108: three attempts with growing delays, then escalation', () => {
        const scenario = JSON.parse(readFileSync(file, 'utf8')) as { mocks: { url: string; method: string; responses: { body: { status: string } }[] }[] };
        const rerun = scenario.mocks.find((m) => m.method === 'GET' && m.url.includes('c8d9e0f1'))!;
        rerun.responses = [{ ...rerun.responses[0]!, body: { ...rerun.responses[3]!.body, status: 'Failed' } }];
        const failing = runScenario(derivedCase('C14-rerun-fails.json', scenario));
        const creates = callsTo(failing, 'POST', CREATE_RUN);
        assert.equal(creates.length, 3);
        const times = creates.map((c) => Date.parse(c.at));
        assert.ok(times[2]! - times[1]! > times[1]! - times[0]!, `delays grow: ${creates.map((c) => c.at).join(', ')}`);
        const ticket = failing.tickets[0]!;
        assert.equal(ticket.status, 'escalated');
        assert.equal(ticket.attempts, 3);
        assert.match(ticket.decisionReason ?? '', /budget|attempt/i);
    });
});

describe('scenario C15: Copy 2200 UserErrorSourceBlobNotExists, the model wrongly says retry', () => {
    const report = runScenario(join(CASES, 'C15-adf-2200-source-blob-missing.json'));

    it('opens a data ticket with the container and path pulled out of the error', () => {
        const ticket = report.tickets[0]!;
        assert.ok(['data', 'configuration'].includes(ticket.category ?? ''), `category ${ticket.category}`);
        assert.equal(ticket.facts?.['container'], 'landing');
        assert.equal(ticket.facts?.['path'], 'landing/sales/2025/03/14/');
    });

    it('lets the rule override the model: createRun is never called and a person must act', () => {
        assert.deepEqual(report.violations, []);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 0);
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'escalated');
        assert.equal(ticket.autoHeal, false);
        assert.match(ticket.decisionReason ?? '', /overrid/i);
        assert.equal(report.calls.filter((c) => c.service === 'gemini').length, 1, 'the model was asked, as advice');
    });
});
