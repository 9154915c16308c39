import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { recordStep } from '../../shared/journal';
import type { CloseInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';
import { timeToRepair } from '../../shared/mttr';

/** Final status and MTTR (from the alert's firing time, or the ticket's creation when that is unknown). */
export async function closeTicket(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now' | 'control' | 'config'>,
    input: CloseInput,
    ctx: InvocationContext,
): Promise<void> {
    const { signal } = input;
    const ticket = await deps.tickets.get(signal.ticketId);
    const closedAt = deps.now();
    const mttrSeconds = input.status === 'auto_healed' || input.status === 'resolved' ? timeToRepair(signal.firedAt, ticket?.createdAt, closedAt) : undefined;
    const patch = { status: input.status, closedAt: closedAt.toISOString(), mttrSeconds, ...(input.status !== 'auto_healed' ? { autoHeal: false, decisionReason: input.reason } : {}) };
    const verb = { auto_healed: 'Auto-healed', escalated: 'Escalated to a person', rejected: 'Rejected', resolved: 'Closed by a person' }[input.status];
    if (input.status === 'escalated' && (ticket?.attempts ?? 0) > 0) {
        // A remediation that reran and still failed counts towards the pipeline's circuit breaker.
        const c = deps.config;
        await deps.control.recordFailure(signal.pipeline, signal.ticketId, closedAt, {
            failures: c.BREAKER_FAILURES, windowMinutes: c.BREAKER_WINDOW_MINUTES, cooldownMinutes: c.BREAKER_COOLDOWN_MINUTES,
        });
    }
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, patch, [
        { type: 'closed', summary: `${verb}: ${input.reason}${mttrSeconds !== undefined ? ` MTTR ${mttrSeconds} s.` : ''}`, data: { status: input.status, mttrSeconds } },
    ]);
}

df.app.activity(ActivityName.closeTicket, { handler: (input: CloseInput, ctx) => closeTicket(getDeps(), input, ctx) });
