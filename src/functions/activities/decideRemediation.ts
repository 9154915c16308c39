import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { Decision } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import { overlayDecision } from '../../shared/pipelinePolicy';
import { decide } from '../../shared/policy';
import type { DecideInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** The deterministic policy's decision, explained from the ticket's own facts. */
export async function decideRemediation(
    deps: Pick<Deps, 'config' | 'control' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: DecideInput,
    ctx: InvocationContext,
): Promise<Decision> {
    const { signal, lastRun } = input;
    let decision: Decision;
    if (input.lookupError) {
        decision = {
            action: 'escalate', autoHeal: false, maxAttempts: 0, delaySeconds: 0,
            reason: `The failed run ${signal.runId} could not be read (${input.lookupError}); nothing is rerun without knowing why it failed.`,
        };
    } else if (!input.runFound) {
        const where = signal.source === 'adf' ? 'Data Factory' : 'Databricks';
        decision = {
            action: 'escalate', autoHeal: false, maxAttempts: 0, delaySeconds: 0,
            reason: `The failed run ${signal.runId} is no longer available in ${where} (not found); there is nothing to rerun, a person must look.`,
        };
    } else if (lastRun?.state === 'cancelled') {
        decision = {
            action: 'escalate', autoHeal: false, maxAttempts: input.attemptsMade, delaySeconds: 0,
            reason: `Remediation cancelled by an operator: rerun ${lastRun.runId} ended ${lastRun.rawStatus}; no further automatic rerun.`,
        };
    } else if (lastRun && lastRun.state !== 'failed') {
        // A rerun that was cancelled or never finished is not something to retry blindly.
        decision = {
            action: 'escalate', autoHeal: false, maxAttempts: input.attemptsMade, delaySeconds: 0,
            reason: `Rerun ${lastRun.runId} ended ${lastRun.rawStatus}${lastRun.message ? ` (${lastRun.message})` : ''}; a person must look at it.`,
        };
    } else {
        decision = decide({
            classification: input.classification,
            analysis: input.analysis,
            attemptsMade: input.attemptsMade,
            maxAttempts: deps.config.MAX_AUTO_HEAL_ATTEMPTS,
            baseDelaySeconds: deps.config.RETRY_BASE_DELAY_SECONDS,
            capacityDelaySeconds: deps.config.CAPACITY_RETRY_DELAY_SECONDS,
            capacityMaxAttempts: deps.config.CAPACITY_MAX_ATTEMPTS,
            now: deps.now().toISOString(),
            maxUpstreamWaitHours: deps.config.MAX_UPSTREAM_WAIT_HOURS,
            integrationRuntimeWaitMinutes: deps.config.INTEGRATION_RUNTIME_WAIT_MINUTES,
            seed: signal.ticketId,
        });
        const c = deps.config;
        const breaker = await deps.control.breaker(signal.pipeline, deps.now(), {
            failures: c.BREAKER_FAILURES, windowMinutes: c.BREAKER_WINDOW_MINUTES, cooldownMinutes: c.BREAKER_COOLDOWN_MINUTES,
        });
        decision = overlayDecision(decision, {
            pipeline: signal.pipeline, attemptsMade: input.attemptsMade, now: deps.now(), errorClass: input.classification.errorClass,
            overrides: c.PIPELINE_OVERRIDES, windows: c.MAINTENANCE_WINDOWS, approvalClasses: c.APPROVAL_REQUIRED_CLASSES,
            approval: { timeoutMinutes: c.APPROVAL_TIMEOUT_MINUTES, defaultOutcome: c.APPROVAL_DEFAULT },
            dryRun: c.DRY_RUN,
            breaker: breaker && { ...breaker, windowMinutes: c.BREAKER_WINDOW_MINUTES },
        });
        if (lastRun) {
            const why = lastRun.message ? ` (${lastRun.message.slice(0, 300)})` : '';
            decision = { ...decision, reason: `Auto-heal attempt failed: rerun ${lastRun.runId} ended ${lastRun.rawStatus}${why}. ${decision.reason}` };
        }
    }
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
        { autoHeal: decision.autoHeal, decisionReason: decision.reason, status: decision.action === 'rerun' ? 'remediating' : 'analysing' },
        [{ type: 'decision', summary: decision.reason, data: { ...decision, attemptsMade: input.attemptsMade } }],
    );
    return decision;
}

df.app.activity(ActivityName.decideRemediation, { handler: (input: DecideInput, ctx) => decideRemediation(getDeps(), input, ctx) });
