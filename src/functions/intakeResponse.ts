import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';

import type { Deps } from '../shared/deps';
import { ValidationError } from '../shared/errors';
import { dedupKeyForAlertWindow, type IntakeOutcome, ticketIdFor } from '../shared/intake';
import { acceptFailures, type OrchestrationStarter } from '../shared/intakeService';
import { json } from './http';

/** The answer to a parsed alert, the same for every source: 400, 2xx ignored/annotated, or 202 with the tickets. */
export async function answerIntake(
    outcome: IntakeOutcome,
    deps: Pick<Deps, 'tickets' | 'now'>,
    starter: OrchestrationStarter,
    ctx: InvocationContext,
    what: string,
): Promise<HttpResponseInit> {
    switch (outcome.kind) {
        case 'invalid':
            throw new ValidationError(
                `${what} rejected: ${outcome.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
                outcome.issues,
            );
        case 'ignored':
            ctx.log(`${what} ignored: ${outcome.reason}`);
            return json(200, { status: 'ignored', reason: outcome.reason });
        case 'resolved':
            return json(202, { status: 'resolved', ticketIds: outcome.signals.map((s) => s.ticketId) });
        case 'unresolved': {
            // Kept (so nothing accepted is lost) under the id its run lookup will use; no remediation starts.
            const ticketId = ticketIdFor(dedupKeyForAlertWindow(outcome.alertId, outcome.windowStart, outcome.windowEnd));
            await deps.tickets.recordDelivery({
                ticketId, deliveryId: `${deps.now().toISOString()}-${randomUUID()}`, receivedAt: deps.now().toISOString(),
                source: outcome.source, alertId: outcome.alertId, monitorCondition: 'Fired',
            });
            return json(202, {
                status: 'recorded',
                alertId: outcome.alertId,
                note: 'the alert names no pipeline run; it is recorded, and runs are not looked up in this version',
            });
        }
        case 'failures': {
            const accepted = await acceptFailures(deps, starter, outcome.signals);
            for (const a of accepted) ctx.log(`${what} for ticket ${a.ticketId}${a.duplicate ? ' (duplicate delivery)' : ''}`);
            return json(202, { status: 'accepted', ticketId: accepted[0]?.ticketId, tickets: accepted });
        }
    }
}
