import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import type { AnalysisResult, Classification, Decision, FailureDetails, FailureSignal, RunState } from '../shared/domain';
import type { RemediationSettings, StartResult } from '../shared/remediation';
import { ActivityName, OrchestratorName } from './names';
import { activityRetry, MAX_POLLS_PER_RUN, startRetry } from './policies';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * One ticket's life: open, investigate, decide, rerun through the platform's own recovery, watch the run,
 * retry within the budget or escalate. Deterministic: time from the context, every effect in an activity.
 */
export const remediate: OrchestrationHandler = function* (context: OrchestrationContext) {
    const signal = context.df.getInput<FailureSignal>();
    const state = { seq: 0 };
    try {
        return yield* heal(context, signal, state);
    } catch (e) {
        // A step failed beyond its retries: never leave the ticket open, hand it to a person.
        const reason = `Remediation stopped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        context.df.setCustomStatus({ stage: 'escalated' });
        yield context.df.callActivityWithRetry(ActivityName.closeTicket, activityRetry, {
            signal, seq: state.seq++, status: 'escalated', reason,
        });
        return { status: 'escalated', error: reason };
    }
};

function* heal(context: OrchestrationContext, signal: FailureSignal, counter: { seq: number }): Generator<Task, object, unknown> {
    const seq = { get next() { return counter.seq++; } };
    const step = (name: string, extra: object = {}) =>
        context.df.callActivityWithRetry(name, activityRetry, { signal, seq: seq.next, ...extra });
    const minutesFromNow = (minutes: number) => new Date(context.df.currentUtcDateTime.getTime() + minutes * 60_000);

    const settings = (yield step(ActivityName.openTicket)) as RemediationSettings;
    context.df.setCustomStatus({ stage: 'investigating' });
    const details = (yield step(ActivityName.fetchFailure)) as FailureDetails;
    const classification = (yield step(ActivityName.classifyFailure, { details })) as Classification;
    const analysis = (yield step(ActivityName.analyseFailure, { details, classification })) as AnalysisResult;

    let attemptsMade = 0;
    let lastRun: RunState | undefined;
    let lastRepairId: string | undefined;
    for (;;) {
        const decision = (yield step(ActivityName.decideRemediation, {
            classification, analysis, attemptsMade, lastRun,
        })) as Decision;
        if (decision.action === 'escalate') {
            context.df.setCustomStatus({ stage: 'escalated' });
            yield step(ActivityName.closeTicket, { status: 'escalated', reason: decision.reason });
            return { status: 'escalated', attempts: attemptsMade };
        }
        if (decision.delaySeconds > 0) {
            context.df.setCustomStatus({ stage: 'waiting before attempt', attempt: attemptsMade + 1 });
            yield context.df.createTimer(minutesFromNow(decision.delaySeconds / 60));
        }
        const notBefore = context.df.currentUtcDateTime.toISOString();
        const started = (yield context.df.callActivityWithRetry(ActivityName.startRemediation, startRetry, {
            signal, seq: seq.next, attempt: attemptsMade + 1, notBefore, lastRepairId,
        })) as StartResult;
        if (!started.ok) {
            yield step(ActivityName.closeTicket, { status: 'escalated', reason: `The rerun could not be started: ${started.reason}` });
            return { status: 'escalated', attempts: attemptsMade };
        }
        attemptsMade++;
        lastRepairId = started.repairId ?? lastRepairId;

        const deadline = minutesFromNow(settings.runDeadlineMinutes);
        context.df.setCustomStatus({ stage: 'monitoring', attempt: attemptsMade, runId: started.runId });
        let state: RunState | undefined;
        for (let poll = 0; poll < MAX_POLLS_PER_RUN && context.df.currentUtcDateTime < deadline; poll++) {
            yield context.df.createTimer(minutesFromNow(settings.pollIntervalSeconds / 60));
            state = (yield step(ActivityName.checkRun, { runId: started.runId, previous: state?.state })) as RunState;
            if (TERMINAL.has(state.state)) break;
        }
        if (state?.state === 'succeeded') {
            context.df.setCustomStatus({ stage: 'auto_healed' });
            yield step(ActivityName.closeTicket, {
                status: 'auto_healed',
                reason: `Rerun ${started.runId} succeeded on attempt ${attemptsMade}.`,
            });
            return { status: 'auto_healed', attempts: attemptsMade };
        }
        lastRun = state && TERMINAL.has(state.state)
            ? state
            : { runId: started.runId, state: 'unknown', rawStatus: 'deadline', message: `No final state within ${settings.runDeadlineMinutes} minutes` };
    }
}

df.app.orchestration(OrchestratorName.remediate, remediate);
