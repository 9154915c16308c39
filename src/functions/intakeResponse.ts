import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';

import { type Delivery, IntakeStore } from '../shared/clients/intakeStore';
import type { Deps } from '../shared/deps';
import { AppError, ensureError, UnavailableError } from '../shared/errors';
import type { IntakeOutcome } from '../shared/intake';
import { acceptFailures, acceptLookup, acceptResolved, type OrchestrationStarter } from '../shared/intakeService';
import { json } from './http';

export interface IntakeRequest {
    /** The body exactly as received: archived before the answer. */
    body: string;
    source: 'adf' | 'databricks';
    /** How logs name the sender ("alert", "Databricks notification"). */
    what: string;
}

function deliveryFor(outcome: IntakeOutcome, source: IntakeRequest['source'], now: Date): Delivery {
    const receivedAt = now.toISOString();
    const deliveryId = `${receivedAt}-${randomUUID()}`;
    const payloadBlob = IntakeStore.payloadBlob(receivedAt, deliveryId);
    const delivery: Delivery = { deliveryId, receivedAt, source, payloadBlob };
    const alertId = outcome.kind === 'failures' ? outcome.signals[0]?.alertId : 'alertId' in outcome ? outcome.alertId : undefined;
    if (alertId) delivery.alertId = alertId;
    delivery.monitorCondition = outcome.kind === 'resolved' ? 'Resolved' : 'Fired';
    return delivery;
}

async function accept(
    outcome: Exclude<IntakeOutcome, { kind: 'invalid' | 'ignored' }>,
    delivery: Delivery,
    deps: Pick<Deps, 'intake'>,
    starter: OrchestrationStarter,
): Promise<HttpResponseInit> {
    switch (outcome.kind) {
        case 'failures': {
            const tickets = await acceptFailures(deps, starter, outcome.signals, delivery);
            return json(202, { status: 'accepted', ticketId: tickets[0]?.ticketId, tickets });
        }
        case 'unresolved': {
            const lookup = await acceptLookup(deps, starter, outcome, delivery);
            return json(202, {
                status: 'accepted',
                ...lookup,
                pipelineName: outcome.pipelineName,
                failedActivities: outcome.failedActivities,
                window: { start: outcome.windowStart, end: outcome.windowEnd },
                note: 'the alert names no run: the failed runs of its window are being looked up, one ticket each',
            });
        }
        case 'resolved': {
            const noted = await acceptResolved(deps, starter, outcome, delivery);
            const note = noted.ticketIds.length
                ? 'the tickets are annotated; remediations carry on'
                : 'no ticket matches this alert';
            return json(202, { status: 'resolved', ...noted, note });
        }
    }
}

/**
 * The answer to a parsed alert, the same for every source. Invalid: 400 naming the fields, nothing written.
 * Otherwise the raw body is archived and the delivery persisted before the 202; when that fails the answer is
 * 503 (Azure retries 503, never 500). A payload that opens nothing is kept best-effort and always gets 202.
 */
export async function answerIntake(
    outcome: IntakeOutcome,
    request: IntakeRequest,
    deps: Pick<Deps, 'intake' | 'now'>,
    starter: OrchestrationStarter,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const correlationId = ctx.invocationId;
    if (outcome.kind === 'invalid') {
        const summary = outcome.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
        ctx.warn(`${request.what} rejected (correlation ${correlationId}): ${summary}`);
        throw new AppError(400, `${request.what} rejected: ${summary}`, { issues: outcome.issues, correlationId });
    }
    const delivery = deliveryFor(outcome, request.source, deps.now());
    const archive = deps.intake.archive(delivery.payloadBlob!, request.body);
    if (outcome.kind === 'ignored') {
        ctx.log(`${request.what} ignored (correlation ${correlationId}): ${outcome.reason}`);
        try {
            await Promise.all([archive, deps.intake.recordEvent(delivery, outcome.reason)]);
        } catch (e) {
            ctx.warn(`${request.what} ${correlationId} not kept: ${ensureError(e).message}`);
        }
        return json(202, { status: 'ignored', reason: outcome.reason, ...(outcome.test ? { test: true } : {}) });
    }
    try {
        const [, response] = await Promise.all([archive, accept(outcome, delivery, deps, starter)]);
        ctx.log(`${request.what} ${correlationId} accepted: ${JSON.stringify(response.jsonBody).slice(0, 500)}`);
        return response;
    } catch (e) {
        // Storage or the durable runtime failed: never a 500, which Azure does not retry.
        ctx.error(`${request.what} ${correlationId} could not be persisted: ${ensureError(e).message}`);
        throw new UnavailableError('the alert could not be stored; retry later');
    }
}
