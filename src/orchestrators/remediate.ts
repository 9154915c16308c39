import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import type { AnalysisResult, Classification, Decision, FailureDetails, FailureSignal, RunState } from '../shared/domain';
import type { RemediationSettings, StartResult } from '../shared/remediation';
import { pollDelaySeconds } from '../shared/policy';
import { acquireRerunSlot, awaitApproval } from './gates';
import { ActivityName, OrchestratorName } from './names';
import { activityRetry, MAX_POLLS_PER_RUN, START_BACKOFF_SECONDS, START_TRIES } from './policies';

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
    let approved = false;
    for (;;) {
        const decision = (yield step(ActivityName.decideRemediation, {
            runFound: details.found, lookupError: details.lookupError, classification, analysis, attemptsMade, lastRun,
        })) as Decision;
        if (decision.action === 'escalate') {
            context.df.setCustomStatus({ stage: 'escalated' });
            yield step(ActivityName.closeTicket, { status: 'escalated', reason: decision.reason });
            return { status: 'escalated', attempts: attemptsMade };
        }
        if (decision.dryRun) {
            yield step(ActivityName.closeTicket, { status: 'escalated', reason: decision.reason });
            return { status: 'escalated', attempts: attemptsMade, dryRun: true };
        }
        if (decision.approval && !approved) {
            context.df.setCustomStatus({ stage: 'awaiting approval' });
            const gate = yield* awaitApproval(context, decision.approval, step);
            if (gate.outcome === 'closed') {
                yield step(ActivityName.closeTicket, { status: 'resolved', reason: `Closed by ${gate.by}: ${gate.reason}` });
                return { status: 'resolved', attempts: attemptsMade };
            }
            if (gate.outcome === 'rejected') {
                const who = gate.timedOut ? 'by default: nobody answered in time' : `by ${gate.answer.by} at ${gate.answer.at}`;
                yield step(ActivityName.closeTicket, { status: 'rejected', reason: `Rerun rejected ${who}.` });
                return { status: 'rejected', attempts: attemptsMade };
            }
            approved = true;
        }
        if (decision.delaySeconds > 0) {
            context.df.setCustomStatus({ stage: 'waiting before attempt', attempt: attemptsMade + 1 });
            yield context.df.createTimer(minutesFromNow(decision.delaySeconds / 60));
        }
        if (decision.waitFor) {
            context.df.setCustomStatus({ stage: 'waiting for integration runtime', name: decision.waitFor.name });
            const online = yield* waitForRuntime(context, decision.waitFor, (extra) => step(ActivityName.checkIntegrationRuntime, extra));
            if (!online) {
                const reason = `Integration runtime '${decision.waitFor.name}' was still not Online after ${decision.waitFor.maxWaitMinutes} min; no rerun was made.`;
                yield step(ActivityName.closeTicket, { status: 'escalated', reason });
                return { status: 'escalated', attempts: attemptsMade };
            }
        }
        if (!(yield* acquireRerunSlot(context, step, settings.runDeadlineMinutes))) {
            const reason = `No rerun slot became free within ${settings.runDeadlineMinutes} min (the global budget of concurrent reruns is in use).`;
            yield step(ActivityName.closeTicket, { status: 'escalated', reason });
            return { status: 'escalated', attempts: attemptsMade };
        }
        const notBefore = context.df.currentUtcDateTime.toISOString();
        let started: StartResult = { ok: false, reason: 'not tried' };
        for (let tryNo = 1; tryNo <= START_TRIES; tryNo++) {
            started = (yield step(ActivityName.startRemediation, { attempt: attemptsMade + 1, notBefore, lastRepairId })) as StartResult;
            if (started.ok || !started.retryable || tryNo === START_TRIES) break;
            // Throttled or no clear answer: wait (as long as Retry-After asks, at least the backoff), then try again.
            const waitSeconds = Math.max(started.retryAfterSeconds ?? 0, START_BACKOFF_SECONDS * 2 ** (tryNo - 1));
            yield context.df.createTimer(minutesFromNow(waitSeconds / 60));
        }
        if (!started.ok) yield step(ActivityName.releaseRerunSlot);
        if (!started.ok) {
            const tries = started.retryable ? ` after ${START_TRIES} tries` : '';
            const status = started.status ? ` (HTTP ${started.status}${tries})` : tries ? ` (${tries.trim()})` : '';
            yield step(ActivityName.closeTicket, { status: 'escalated', reason: `Auto-heal failed: could not start the rerun${status}: ${started.reason}` });
            return { status: 'escalated', attempts: attemptsMade };
        }
        attemptsMade++;
        lastRepairId = started.repairId ?? lastRepairId;

        const deadline = minutesFromNow(settings.runDeadlineMinutes);
        context.df.setCustomStatus({ stage: 'monitoring', attempt: attemptsMade, runId: started.runId });
        let state: RunState | undefined;
        for (let poll = 0; poll < MAX_POLLS_PER_RUN && context.df.currentUtcDateTime < deadline; poll++) {
            yield context.df.createTimer(minutesFromNow(pollDelaySeconds(settings.pollIntervalSeconds, signal.ticketId, poll) / 60));
            state = (yield step(ActivityName.checkRun, { runId: started.runId, previous: state?.state })) as RunState;
            if (TERMINAL.has(state.state)) break;
        }
        yield step(ActivityName.releaseRerunSlot);
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

/** Checks the runtime with growing pauses (1, 2, 4 ... at most 15 min) until Online or the wait is over. */
function* waitForRuntime(
    context: OrchestrationContext,
    waitFor: NonNullable<Decision['waitFor']>,
    check: (extra: object) => Task,
): Generator<Task, boolean, unknown> {
    const deadline = context.df.currentUtcDateTime.getTime() + waitFor.maxWaitMinutes * 60_000;
    let pauseSeconds = 60;
    let previous: string | undefined;
    for (;;) {
        const runtime = (yield check({ name: waitFor.name, previous })) as { state: string; online: boolean };
        if (runtime.online) return true;
        previous = runtime.state;
        const now = context.df.currentUtcDateTime.getTime();
        if (now >= deadline) return false;
        yield context.df.createTimer(new Date(Math.min(now + pauseSeconds * 1000, deadline)));
        pauseSeconds = Math.min(pauseSeconds * 2, 900);
    }
}

df.app.orchestration(OrchestratorName.remediate, remediate);
