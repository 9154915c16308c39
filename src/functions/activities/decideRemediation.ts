import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { Decision } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import { decide } from '../../shared/policy';
import type { DecideInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** The deterministic policy's decision, explained from the ticket's own facts. */
export async function decideRemediation(
    deps: Pick<Deps, 'config' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: DecideInput,
    ctx: InvocationContext,
): Promise<Decision> {
    const { signal, lastRun } = input;
    let decision: Decision;
    if (lastRun && lastRun.state !== 'failed') {
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
            seed: signal.ticketId,
        });
        if (lastRun) decision = { ...decision, reason: `Rerun ${lastRun.runId} failed. ${decision.reason}` };
    }
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
        { autoHeal: decision.autoHeal, decisionReason: decision.reason, status: decision.action === 'rerun' ? 'remediating' : 'analysing' },
        [{ type: 'decision', summary: decision.reason, data: { ...decision, attemptsMade: input.attemptsMade } }],
    );
    return decision;
}

df.app.activity(ActivityName.decideRemediation, { handler: (input: DecideInput, ctx) => decideRemediation(getDeps(), input, ctx) });
