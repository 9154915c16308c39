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
            'openTicket', 'fetchFailure', 'classifyFailure', 'analyseFailure', 'decideRemediation', 'startRemediation',
            'checkRun', 'checkRun', 'checkRun', 'closeTicket',
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
        assert.equal(polls, 120, 'a 60-minute deadline at 30 s per poll');
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
