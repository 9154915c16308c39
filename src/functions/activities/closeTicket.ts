import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { recordStep } from '../../shared/journal';
import type { CloseInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** Final status and MTTR (from the alert's firing time, or the ticket's creation when that is unknown). */
export async function closeTicket(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: CloseInput,
    ctx: InvocationContext,
): Promise<void> {
    const { signal } = input;
    const ticket = await deps.tickets.get(signal.ticketId);
    const closedAt = deps.now();
    const fired = Date.parse(signal.firedAt);
    const start = Number.isFinite(fired) ? fired : Date.parse(ticket?.createdAt ?? closedAt.toISOString());
    const mttrSeconds = Math.max(0, Math.round((closedAt.getTime() - start) / 1000));
    const patch = { status: input.status, closedAt: closedAt.toISOString(), mttrSeconds, ...(input.status === 'escalated' ? { autoHeal: false, decisionReason: input.reason } : {}) };
    const verb = input.status === 'auto_healed' ? 'Auto-healed' : 'Escalated to a person';
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, patch, [
        { type: 'closed', summary: `${verb}: ${input.reason} MTTR ${mttrSeconds} s.`, data: { status: input.status, mttrSeconds } },
    ]);
}

df.app.activity(ActivityName.closeTicket, { handler: (input: CloseInput, ctx) => closeTicket(getDeps(), input, ctx) });
