import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { OrchestrationContext } from 'durable-functions';

import { ActivityName } from '../../../src/orchestrators/names';
import { remediate } from '../../../src/orchestrators/remediate';
import type { Decision, FailureSignal, RunState } from '../../../src/shared/domain';
import { type ActivityScript, runOrchestrator } from '../../support/fakeOrchestrationContext';

const signal: FailureSignal = {
    ticketId: 'adf-1', dedupKey: 'adf|f|p|r', source: 'adf', pipeline: 'p', runId: 'r', severity: 'Sev2', firedAt: '2025-03-14T02:00:00Z',
    adf: { factoryResourceId: 'f', subscriptionId: 's', resourceGroup: 'g', factoryName: 'f', pipelineName: 'p', runId: 'r' },
};
const rerun = (delaySeconds = 60): Decision => ({ action: 'rerun', autoHeal: true, reason: 'transient', maxAttempts: 3, delaySeconds });
const escalate: Decision = { action: 'escalate', autoHeal: false, reason: 'budget spent', maxAttempts: 3, delaySeconds: 0 };
const run = (state: RunState['state']): RunState => ({ runId: 'new', state, rawStatus: state });

function script(overrides: Partial<Record<string, (input: Record<string, unknown>) => unknown>>): ActivityScript {
    const defaults: Record<string, (input: Record<string, unknown>) => unknown> = {
        [ActivityName.openTicket]: () => ({ pollIntervalSeconds: 30, runDeadlineMinutes: 60 }),
        [ActivityName.fetchFailure]: () => ({ found: true, errors: [] }),
        [ActivityName.classifyFailure]: () => ({ errorClass: 'transient', ruleId: 'x', retryable: true, reason: 'r', extracted: {} }),
        [ActivityName.analyseFailure]: () => ({ source: 'rules', analysis: {} }),
        [ActivityName.decideRemediation]: () => rerun(),
        [ActivityName.startRemediation]: (i) => ({ ok: true, runId: `run-${String(i['attempt'])}`, reused: false }),
        [ActivityName.checkRun]: () => run('succeeded'),
        [ActivityName.closeTicket]: () => null,
        [ActivityName.acquireRerunSlot]: () => ({ granted: true }),
        [ActivityName.releaseRerunSlot]: () => null,
        [ActivityName.requestApproval]: () => null,
        [ActivityName.recordApproval]: () => null,
    };
    return (name, input) => (overrides[name] ?? defaults[name]!)(input);
}

const orchestrator = remediate as unknown as (ctx: OrchestrationContext) => Generator<unknown, unknown, unknown>;
const names = (steps: { kind: string; name?: string }[]) => steps.filter((s) => s.kind === 'activity').map((s) => s.name);

describe('remediate orchestrator', () => {
    it('investigates, waits the decided delay, reruns, polls until success and closes auto-healed', () => {
        let polls = 0;
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.checkRun]: () => (++polls < 3 ? run('running') : run('succeeded')),
        }));
        assert.deepEqual(names(steps), [
            'openTicket', 'fetchFailure', 'classifyFailure', 'analyseFailure', 'decideRemediation', 'acquireRerunSlot',
            'startRemediation', 'checkRun', 'checkRun', 'checkRun', 'releaseRerunSlot', 'closeTicket',
        ]);
        assert.equal(steps.filter((s) => s.kind === 'timer').length, 4, 'one backoff timer and three poll timers');
        const close = steps.at(-1) as { input: Record<string, unknown> };
        assert.equal(close.input['status'], 'auto_healed');
        assert.deepEqual(output, { status: 'auto_healed', attempts: 1 });
    });

    it('gives every step a distinct, increasing audit sequence number', () => {
        const { steps } = runOrchestrator(orchestrator, signal, script({}));
        const seqs = steps.filter((s) => s.kind === 'activity').map((s) => (s as unknown as { input: { seq: number } }).input.seq);
        assert.deepEqual(seqs, seqs.map((_, i) => i));
    });

    it('retries after a failed rerun until the policy escalates, passing the attempts made', () => {
        const attemptsSeen: unknown[] = [];
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: (i) => {
                attemptsSeen.push(i['attemptsMade']);
                return (i['attemptsMade'] as number) < 3 ? rerun() : escalate;
            },
            [ActivityName.checkRun]: () => run('failed'),
        }));
        assert.deepEqual(attemptsSeen, [0, 1, 2, 3]);
        assert.equal(names(steps).filter((n) => n === 'startRemediation').length, 3);
        assert.deepEqual(output, { status: 'escalated', attempts: 3 });
    });

    it('escalates without a rerun when the policy says so', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({ [ActivityName.decideRemediation]: () => escalate }));
        assert.ok(!names(steps).includes('startRemediation'));
        assert.deepEqual(output, { status: 'escalated', attempts: 0 });
    });

    it('escalates when the rerun cannot be started', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.startRemediation]: () => ({ ok: false, reason: 'pipeline deleted' }),
        }));
        const close = steps.at(-1) as { input: Record<string, unknown> };
        assert.match(String(close.input['reason']), /pipeline deleted/);
        assert.deepEqual(output, { status: 'escalated', attempts: 0 });
    });

    it('stops polling at the deadline and hands a run that never finished to the policy as not failed', () => {
        const { steps } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.checkRun]: () => run('running'),
            [ActivityName.decideRemediation]: (i) => (i['lastRun'] ? escalate : rerun(0)),
        }));
        const polls = names(steps).filter((n) => n === 'checkRun').length;
        // 60 minutes at 30 s ± 10% jitter per poll.
        assert.ok(polls >= 109 && polls <= 134, `${polls} polls`);
        const lastDecide = steps.filter((s) => s.kind === 'activity' && s.name === 'decideRemediation').at(-1) as unknown as { input: { lastRun: RunState } };
        assert.equal(lastDecide.input.lastRun.state, 'unknown');
    });

    it('closes the ticket as escalated when a step fails beyond its retries, instead of failing the instance', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.fetchFailure]: () => new Error('ARM unreachable'),
        }));
        const close = steps.at(-1) as { name: string; input: Record<string, unknown> };
        assert.equal(close.name, 'closeTicket');
        assert.equal(close.input['status'], 'escalated');
        assert.match(String(close.input['reason']), /ARM unreachable/);
        assert.equal((output as { status: string }).status, 'escalated');
    });
});

describe('remediate orchestrator waiting for an integration runtime', () => {
    const waitDecision = (attempts: unknown): Decision =>
        (attempts as number) === 0
            ? { ...rerun(0), waitFor: { kind: 'integrationRuntime', name: 'ir-onprem-01', maxWaitMinutes: 120 } }
            : escalate;

    it('checks with growing pauses and reruns once the runtime is Online', () => {
        let checks = 0;
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: (i) => waitDecision(i['attemptsMade']),
            [ActivityName.checkIntegrationRuntime]: () => (++checks <= 4 ? { state: 'Offline', online: false } : { state: 'Online', online: true }),
        }));
        assert.equal(checks, 5);
        const i = names(steps).indexOf('startRemediation');
        assert.ok(i > names(steps).lastIndexOf('checkIntegrationRuntime'), 'no rerun before the runtime is Online');
        const pauses = steps.filter((s) => s.kind === 'timer').slice(0, 4).map((s) => (s as { fireAt: Date }).fireAt.getTime());
        const gaps = pauses.slice(1).map((t, n) => t - pauses[n]!);
        assert.ok(gaps.every((g, n) => n === 0 || g > gaps[n - 1]!), `growing pauses: ${gaps.join(', ')}`);
        assert.deepEqual(output, { status: 'auto_healed', attempts: 1 });
    });

    it('escalates without a rerun when the runtime stays offline past the wait', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: (i) => waitDecision(i['attemptsMade']),
            [ActivityName.checkIntegrationRuntime]: () => ({ state: 'Offline', online: false }),
        }));
        assert.ok(!names(steps).includes('startRemediation'));
        const close = steps.at(-1) as unknown as { input: Record<string, unknown> };
        assert.match(String(close.input['reason']), /ir-onprem-01.*120 min/);
        assert.deepEqual(output, { status: 'escalated', attempts: 0 });
    });
});

describe('remediate orchestrator gates: approval, dry run, rerun budget', () => {
    const approvalDecision: Decision = { ...rerun(0), approval: { timeoutMinutes: 60, defaultOutcome: 'reject', why: 'class capacity' } };
    const closeOf = (steps: unknown[]) => steps.at(-1) as { input: Record<string, unknown> };

    it('reruns once a person approves, and records who approved', () => {
        let recorded: unknown;
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: (i) => ((i['attemptsMade'] as number) === 0 ? approvalDecision : escalate),
            [ActivityName.recordApproval]: (i) => void (recorded = i['answer']),
        }), undefined, { approval: { approved: true, by: 'ops@example.org', at: '2025-03-14T02:10:00Z' } });
        assert.deepEqual(recorded, { approved: true, by: 'ops@example.org', at: '2025-03-14T02:10:00Z' });
        assert.ok(names(steps).indexOf('startRemediation') > names(steps).indexOf('recordApproval'));
        assert.deepEqual(output, { status: 'auto_healed', attempts: 1 });
    });

    it('closes as rejected when a person rejects, with no rerun', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: () => approvalDecision,
        }), undefined, { approval: { approved: false, by: 'lead@example.org', at: '2025-03-14T02:11:00Z' } });
        assert.ok(!names(steps).includes('startRemediation'));
        assert.equal(closeOf(steps).input['status'], 'rejected');
        assert.match(String(closeOf(steps).input['reason']), /lead@example\.org/);
        assert.deepEqual(output, { status: 'rejected', attempts: 0 });
    });

    it('applies the default outcome when nobody answers before the deadline, and cancels nothing it still needs', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({ [ActivityName.decideRemediation]: () => approvalDecision }));
        assert.ok(!names(steps).includes('startRemediation'));
        assert.match(String(closeOf(steps).input['reason']), /nobody answered/);
        assert.deepEqual(output, { status: 'rejected', attempts: 0 });
    });

    it('a close event during the wait closes the ticket as resolved by that person', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({ [ActivityName.decideRemediation]: () => approvalDecision }),
            undefined, { close: { by: 'ops@example.org', reason: 'fixed upstream by hand' } });
        assert.equal(closeOf(steps).input['status'], 'resolved');
        assert.deepEqual(output, { status: 'resolved', attempts: 0 });
    });

    it('in dry run decides and records but starts nothing', () => {
        const { steps, output } = runOrchestrator(orchestrator, signal, script({
            [ActivityName.decideRemediation]: () => ({ ...rerun(), dryRun: true, reason: 'Dry run, nothing executed: Rerun...' }),
        }));
        assert.ok(!names(steps).some((n) => n === 'startRemediation' || n === 'acquireRerunSlot'));
        assert.deepEqual(output, { status: 'escalated', attempts: 0, dryRun: true });
    });

    it('waits for a free rerun slot, and escalates when none frees up before the deadline', () => {
        let asks = 0;
        const waited = runOrchestrator(orchestrator, signal, script({
            [ActivityName.acquireRerunSlot]: () => ({ granted: ++asks > 3 }),
        }));
        assert.equal(asks, 4);
        assert.deepEqual(waited.output, { status: 'auto_healed', attempts: 1 });
        const never = runOrchestrator(orchestrator, signal, script({ [ActivityName.acquireRerunSlot]: () => ({ granted: false }) }));
        assert.ok(!names(never.steps).includes('startRemediation'));
        assert.match(String(closeOf(never.steps).input['reason']), /No rerun slot/);
    });
});
