import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { callsTo, CASES, derivedCase, type Report, runScenario } from './runScenario';

const CREATE_RUN = /\/createRun\?/;
const REPAIR = /\/jobs\/runs\/repair$/;
const file = (name: string) => join(CASES, name);
const only = (report: Report) => {
    assert.equal(report.tickets.length, 1);
    assert.deepEqual(report.violations, []);
    assert.ok(report.orchestrations.every((o) => ['Completed', 'Failed', 'Terminated'].includes(o.runtimeStatus)), 'nothing left running');
    return report.tickets[0]!;
};

describe('scenario C16: the self-hosted integration runtime is offline', () => {
    const report = runScenario(file('C16-adf-shir-offline.json'));

    it('waits with growing pauses while getStatus says Offline, then reruns exactly once and heals', () => {
        const ticket = only(report);
        assert.equal(ticket.category, 'infrastructure');
        const checks = callsTo(report, 'POST', /\/integrationRuntimes\/ir-onprem-01\/getStatus\?/);
        assert.equal(checks.length, 5, 'four Offline answers, then Online');
        const creates = callsTo(report, 'POST', CREATE_RUN);
        assert.equal(creates.length, 1);
        assert.ok(Date.parse(creates[0]!.at) >= Date.parse(checks[4]!.at), 'no createRun while Offline');
        const gaps = checks.slice(1).map((c, i) => Date.parse(c.at) - Date.parse(checks[i]!.at));
        assert.ok(gaps.every((g, i) => i === 0 || g > gaps[i - 1]!), `backoff between checks: ${gaps.join(', ')} ms`);
        assert.equal(ticket.status, 'auto_healed');
        assert.deepEqual(ticket.rerunRunIds, ['1f3b5d7e-9a2c-4e6f-8b0d-2f4a6c8e0b2d']);
    });

    it('escalates without a rerun when the runtime stays offline past the configured wait', () => {
        const scenario = JSON.parse(readFileSync(file('C16-adf-shir-offline.json'), 'utf8')) as { mocks: { url: string; responses: unknown[] }[] };
        const ir = scenario.mocks.find((m) => m.url.includes('/getStatus'))!;
        ir.responses = ir.responses.slice(0, 1);
        const offline = runScenario(derivedCase('C16-always-offline.json', scenario));
        const ticket = only(offline);
        assert.equal(ticket.status, 'escalated');
        assert.equal(callsTo(offline, 'POST', CREATE_RUN).length, 0);
        assert.match(ticket.decisionReason ?? '', /ir-onprem-01.*not Online/);
    });
});

describe('scenario C18: createRun times out with 504 (A) or is throttled with 429 (B)', () => {
    it('A: reconciles through the run group, adopts the run the lost call started, one createRun in total', () => {
        const report = runScenario(file('C18-adf-createrun-504-and-arm-429.json'));
        const ticket = only(report);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 1);
        const query = callsTo(report, 'POST', /\/queryPipelineRuns\?/);
        assert.equal(query.length, 1);
        assert.ok(Date.parse(query[0]!.at) > Date.parse(callsTo(report, 'POST', CREATE_RUN)[0]!.at));
        assert.deepEqual(ticket.rerunRunIds, ['d1e3f5a7-b9c1-4d3e-8f5a-7b9c1d3e5f7a']);
        assert.equal(ticket.status, 'auto_healed');
    });

    it('B: waits at least the Retry-After on a durable timer, retries once, then polls the run', () => {
        const report = runScenario(file('C18-adf-createrun-504-and-arm-429.json'), 'B-arm-throttled');
        const ticket = only(report);
        const creates = callsTo(report, 'POST', CREATE_RUN);
        assert.deepEqual(creates.map((c) => c.status), [429, 200]);
        assert.ok(Date.parse(creates[1]!.at) - Date.parse(creates[0]!.at) >= 5000);
        assert.equal(callsTo(report, 'POST', /\/queryPipelineRuns\?/).length, 0, 'a 429 is a definite no: nothing to reconcile');
        assert.ok(callsTo(report, 'GET', /\/pipelineruns\/d1e3f5a7/).length >= 1);
        assert.equal(ticket.status, 'auto_healed');
        assert.equal(ticket.attempts, 1, 'never more than one active rerun');
    });
});

describe('scenario C21: the rerun has a new run id and passes through Queued and Canceling', () => {
    it('polls the new run id through non-terminal states and heals', () => {
        const report = runScenario(file('C21-adf-rerun-new-runid-queued-canceling.json'));
        const ticket = only(report);
        const creates = callsTo(report, 'POST', CREATE_RUN);
        const oldAfter = callsTo(report, 'GET', /\/pipelineruns\/0b2d4f6a/).filter((c) => c.at > creates[0]!.at);
        assert.equal(oldAfter.length, 0, 'the old run is not polled');
        assert.equal(callsTo(report, 'GET', /\/pipelineruns\/3d5f7a9c/).length, 6);
        assert.equal(ticket.status, 'auto_healed');
    });

    it('B: a run cancelled by a person stops auto-heal, with no further rerun', () => {
        const report = runScenario(file('C21-adf-rerun-new-runid-queued-canceling.json'), 'B-operator-cancel');
        const ticket = only(report);
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /cancelled by an operator/i);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 1);
    });
});

describe('scenario C24: Databricks life-cycle states while polling a repair', () => {
    it('treats QUEUED…WAITING_FOR_RETRY as non-terminal, stops at INTERNAL_ERROR and makes no second repair', () => {
        const report = runScenario(file('C24-dbx-lifecycle-states-poller.json'));
        const ticket = only(report);
        const repairs = callsTo(report, 'POST', REPAIR);
        assert.equal(repairs.length, 1);
        const polls = callsTo(report, 'GET', /\/jobs\/runs\/get\?run_id=771234567890123$/);
        assert.equal(polls.length, 7, 'every scripted state after the investigation, and no poll after the terminal one');
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /Auto-heal attempt failed.*driver/i);
    });
});

describe('scenario C25: the second repair of the same run', () => {
    it('sends latest_repair_id 88101 on the second repair and heals: two repairs in total', () => {
        const report = runScenario(file('C25-dbx-repair-latest-repair-id.json'));
        const ticket = only(report);
        const repairs = callsTo(report, 'POST', REPAIR);
        assert.equal(repairs.length, 2);
        assert.deepEqual(repairs[0]!.body, { run_id: 771234567890123, rerun_all_failed_tasks: true });
        assert.deepEqual(repairs[1]!.body, { run_id: 771234567890123, rerun_all_failed_tasks: true, latest_repair_id: 88101 });
        assert.equal(report.calls.filter((c) => /run-now/.test(c.url)).length, 0);
        assert.equal(ticket.status, 'auto_healed');
        assert.equal(ticket.attempts, 2);
    });

    it('B: a run past retention escalates as no longer available, without any repair or loop', () => {
        const report = runScenario(file('C25-dbx-repair-latest-repair-id.json'), 'B-run-expired');
        const ticket = only(report);
        assert.equal(callsTo(report, 'POST', REPAIR).length, 0);
        assert.equal(report.calls.filter((c) => c.service === 'databricks').length, 1);
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /no longer available/);
    });
});

describe('scenario C26: library installation with no matching distribution', () => {
    it('classifies configuration, never repairs, and names the package and the truncation', () => {
        const report = runScenario(file('C26-dbx-library-no-matching-distribution.json'));
        const ticket = only(report);
        assert.equal(ticket.category, 'configuration');
        assert.equal(callsTo(report, 'POST', REPAIR).length, 0);
        assert.equal(ticket.facts?.['package'], 'orders-utils==2.7.1');
        assert.equal(ticket.facts?.['truncated'], 'true');
        assert.equal(ticket.status, 'escalated');
    });
});

describe('scenario C29: the upstream blocks the client for nine days', () => {
    it('escalates with the unblock time instead of scheduling a rerun beyond the policy wait', () => {
        const report = runScenario(file('C29-durable-timer-over-6-days.json'));
        const ticket = only(report);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 0);
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /upstream blocked until 2025-03-23T02:41Z/);
    });
});

describe('scenario C31: createRun answers 500 on every try', () => {
    it('stops after its tries, confirms no rerun exists, escalates, and leaves nothing running', () => {
        const report = runScenario(file('C31-durable-retry-timeout-silent-stop.json'));
        const ticket = only(report);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 4);
        assert.ok(callsTo(report, 'POST', /\/queryPipelineRuns\?/).length >= 1, 'the run group was checked for a rerun');
        assert.equal(ticket.status, 'escalated');
        assert.match(ticket.decisionReason ?? '', /could not start the rerun \(HTTP 500/i);
        assert.deepEqual(ticket.rerunRunIds, []);
    });
});

describe('scenario C32: the host is killed after the rerun was polled twice', () => {
    it('resumes by replay after the restart and heals with exactly one createRun', () => {
        const report = runScenario(file('C32-durable-host-restart-replay.json'));
        const ticket = only(report);
        assert.equal((report as unknown as { restarts: number }).restarts, 1);
        assert.equal(callsTo(report, 'POST', CREATE_RUN).length, 1);
        assert.equal(ticket.status, 'auto_healed');
        assert.deepEqual(report.orchestrations.map((o) => o.runtimeStatus), ['Completed']);
    });
});
