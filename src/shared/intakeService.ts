import type { Delivery, IntakeStore, Marker } from './clients/intakeStore';
import type { FailureSignal } from './domain';
import {
    alertIndexKeyFor,
    dedupKeyForAdf,
    dedupKeyForAlertWindow,
    lookupIdFor,
    type ResolvedOutcome,
    resolvedNoteIdFor,
    type RunLookupRequest,
    ticketIdFor,
} from './intake';
import type { ResolvedNote, RunLookup } from './runLookup';

/** The orchestrations intake starts: a ticket's remediation, a run lookup, a Resolved annotation. */
export type InstanceKind = 'remediate' | 'lookup' | 'note';

/** What intake needs of the durable runtime (the DurableClient, behind a seam tests can fake). */
export interface OrchestrationStarter {
    exists(instanceId: string): Promise<boolean>;
    start(kind: InstanceKind, instanceId: string, input: unknown): Promise<void>;
}

export interface IntakeDeps {
    intake: IntakeStore;
}

export interface Accepted {
    ticketId: string;
    duplicate: boolean;
    /** The alert is about one of our own reruns: it is counted on the ticket that started it. */
    rerunOf?: string;
}

/** Starts an instance; losing the race to a concurrent start (the runtime refuses a running duplicate) is false. */
export async function startOnce(
    starter: OrchestrationStarter,
    kind: InstanceKind,
    id: string,
    input: unknown,
): Promise<boolean> {
    try {
        await starter.start(kind, id, input);
        return true;
    } catch (e) {
        if (await starter.exists(id)) return false;
        throw e;
    }
}

/**
 * Exactly once per key: the delivery that creates the key's first row starts its instance. Later deliveries are
 * filed beside it and start nothing, unless the first one's start was lost (a crash between the two writes:
 * the runtime has no such instance), in which case they start it. A finished instance is never started again.
 */
export async function claimAndStart(
    deps: IntakeDeps,
    starter: OrchestrationStarter,
    kind: InstanceKind,
    key: string,
    input: unknown,
    delivery: Delivery,
    claimFields: Partial<Marker> = {},
): Promise<{ started: boolean; marker?: Marker }> {
    if (await deps.intake.claim(key, delivery, claimFields)) return { started: await startOnce(starter, kind, key, input) };
    const [, exists] = await Promise.all([deps.intake.record(key, delivery), starter.exists(key)]);
    if (exists) return { started: false };
    // No instance: the claim is an alias (never started by design), or the first delivery's start was lost.
    const marker = await deps.intake.marker(key);
    if (marker?.parentTicketId) return { started: false, marker };
    return { started: await startOnce(starter, kind, key, input), marker };
}

/** One remediation per failed run; repeated deliveries count on the ticket, alerts about our reruns on its parent. */
export async function acceptFailures(
    deps: IntakeDeps,
    starter: OrchestrationStarter,
    signals: FailureSignal[],
    delivery: Delivery,
): Promise<Accepted[]> {
    return Promise.all(
        signals.map(async (signal): Promise<Accepted> => {
            const { started, marker } = await claimAndStart(deps, starter, 'remediate', signal.ticketId, signal, delivery);
            const parent = marker?.parentTicketId;
            if (!parent) return { ticketId: signal.ticketId, duplicate: !started };
            await deps.intake.record(parent, delivery);
            return { ticketId: parent, duplicate: true, rerunOf: signal.ticketId };
        }),
    );
}

/**
 * An alert without a run id starts one run lookup per alert and window. A repeated delivery is counted on the
 * lookup, and on the tickets it opened when it already has (the lookup copies earlier ones itself).
 */
export async function acceptLookup(
    deps: IntakeDeps,
    starter: OrchestrationStarter,
    request: RunLookupRequest,
    delivery: Delivery,
): Promise<{ lookupId: string; duplicate: boolean; ticketIds: string[] }> {
    const dedupKey = dedupKeyForAlertWindow(request.alertId, request.windowStart, request.windowEnd);
    const lookupId = lookupIdFor(dedupKey);
    const { kind: _kind, ...rest } = request;
    const lookup: RunLookup = { ...rest, lookupId, dedupKey };
    const { started } = await claimAndStart(deps, starter, 'lookup', lookupId, lookup, delivery);
    const marker = started ? undefined : await deps.intake.marker(lookupId);
    const ticketIds = marker?.ticketIds ? (JSON.parse(marker.ticketIds) as string[]) : [];
    await Promise.all(ticketIds.map((id) => deps.intake.record(id, delivery)));
    return { lookupId, duplicate: !started, ticketIds };
}

/**
 * A Resolved notification annotates the tickets its alert opened, once per resolution (retried deliveries
 * start nothing), and never counts as a related alert. Without a matching ticket it does nothing.
 */
export async function acceptResolved(
    deps: IntakeDeps,
    starter: OrchestrationStarter,
    outcome: ResolvedOutcome,
    delivery: Delivery,
): Promise<{ ticketIds: string[]; duplicate: boolean }> {
    const [markers, indexed] = await Promise.all([
        Promise.all(outcome.signals.map((s) => deps.intake.marker(s.ticketId))),
        deps.intake.indexed(alertIndexKeyFor(outcome.alertId)),
    ]);
    const ids = new Set(indexed);
    outcome.signals.forEach((s, i) => {
        const m = markers[i];
        if (m) ids.add(m.parentTicketId ?? s.ticketId);
    });
    const ticketIds = [...ids].sort();
    if (ticketIds.length === 0) return { ticketIds, duplicate: false };
    const noteId = resolvedNoteIdFor(outcome.alertId, outcome.resolvedAt);
    const note: ResolvedNote = { noteId, alertId: outcome.alertId, resolvedAt: outcome.resolvedAt, ticketIds };
    if (outcome.alertRule) note.alertRule = outcome.alertRule;
    const { started } = await claimAndStart(deps, starter, 'note', noteId, note, delivery);
    return { ticketIds, duplicate: !started };
}

/**
 * Files an alias under the key an alert about our own recovery rerun would have, so that alert is counted on
 * this ticket instead of opening a ticket (and a fresh retry budget) for the rerun. Idempotent.
 */
export async function linkRerun(deps: IntakeDeps, signal: FailureSignal, rerunRunId: string, at: string): Promise<void> {
    if (!signal.adf || rerunRunId.toLowerCase() === signal.runId.toLowerCase()) return;
    const key = ticketIdFor(dedupKeyForAdf(signal.adf.factoryResourceId, signal.adf.pipelineName, rerunRunId));
    const link = { deliveryId: `rerun-${rerunRunId}`, receivedAt: at, source: 'adf' };
    await deps.intake.claim(key, link, { parentTicketId: signal.ticketId });
}
