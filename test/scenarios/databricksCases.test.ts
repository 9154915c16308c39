import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { callsTo, CASES, derivedCase, type Report, runScenario } from './runScenario';

describe('scenario C22: minimal jobs.on_failure webhook, runs/get shows CLOUD_FAILURE', () => {
    const report = runScenario(join(CASES, 'C22-dbx-webhook-cloud-failure.json'));

    it('accepts the string ids with 202 and sends them to REST as integers', () => {
        assert.equal(report.responses[0]?.status, 202);
        const first = report.calls[0]!;
        assert.equal(first.method, 'GET');
        assert.match(first.url, /^https:\/\/adb-5550001112223334\.4\.azuredatabricks\.net\/api\/2\.[12]\/jobs\/runs\/get\?run_id=771234567890123(&|$)/);
    });

    it('takes the cause from runs/get and classifies it as capacity or transient', () => {
        const ticket = report.tickets[0]!;
        assert.ok(['capacity', 'transient'].includes(ticket.category ?? ''), `category ${ticket.category}`);
        assert.equal(ticket.dedupKey, 'dbx|5550001112223334|771234567890123');
    });

    it('makes exactly one repair of the failed tasks after a delay, polls to success and auto-heals', () => {
        const repairs = callsTo(report, 'POST', /\/jobs\/runs\/repair$/);
        assert.equal(repairs.length, 1);
        assert.deepEqual(repairs[0]!.body, { run_id: 771234567890123, rerun_all_failed_tasks: true });
        assert.ok(Date.parse(repairs[0]!.at) > Date.parse(report.calls[0]!.at), 'the repair waits after the investigation');
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'auto_healed');
        assert.equal(ticket.attempts, 1);
        assert.deepEqual(report.violations, []);
        assert.deepEqual(report.orchestrations.map((o) => o.runtimeStatus), ['Completed']);
    });
});

describe('a Databricks alert from a workspace that is not configured', () => {
    it('escalates at once, saying why, instead of retrying a configuration error', () => {
        const file = derivedCase('dbx-unknown-workspace.json', {
            kind: 'scenario',
            config: { clockStart: '2025-03-14T02:28:00Z' },
            steps: [{
                at: 'PT0S', action: 'http',
                request: { method: 'POST', path: '/api/alerts/databricks', body: { event_type: 'jobs.on_failure', workspace_id: '999', run: { run_id: '12' }, job: { job_id: '3', name: 'orphan' } } },
            }],
            mocks: [],
        });
        const report = runScenario(file) as Report & { clock: { start: string; end: string } };
        const ticket = report.tickets[0]!;
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /could not be read.*999/);
        assert.ok(Date.parse(report.clock.end) - Date.parse(report.clock.start) < 60_000, 'no retry backoff on a configuration error');
        assert.equal(report.calls.filter((c) => c.service === 'databricks').length, 0);
    });
});
