import type { AuditEvent, Ticket } from './domain';
import type { AuditStore, NewAuditEvent } from './clients/auditStore';
import type { TicketStore } from './clients/ticketStore';
import type { Broadcaster } from './ports';

export interface JournalDeps {
    tickets: TicketStore;
    audit: AuditStore;
    broadcaster: Broadcaster;
    now: () => Date;
    log: (message: string) => void;
}

/**
 * Records one step of a ticket: field changes, audit rows, the audit document, and a live broadcast.
 * Storage failures throw (the activity is retried); a broadcast failure never fails the step.
 */
export async function recordStep(
    deps: JournalDeps,
    ticketId: string,
    seq: number,
    patch: Partial<Ticket>,
    events: NewAuditEvent[],
    firstIndex = 0,
): Promise<{ ticket: Ticket; events: AuditEvent[] }> {
    const at = deps.now().toISOString();
    await deps.tickets.updateVersioned(ticketId, { ...patch, updatedAt: at });
    const written = await deps.audit.append(ticketId, seq, at, events, firstIndex);
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw new Error(`ticket ${ticketId} vanished while recording step ${seq}`);
    const timeline = await deps.audit.list(ticketId);
    await deps.audit.writeDocument(ticket, timeline);
    for (const event of written.length > 0 ? written : [undefined]) {
        try {
            await deps.broadcaster.ticketUpdated(ticket, event);
        } catch (e) {
            deps.log(`broadcast of ticket ${ticketId} failed (dashboards re-sync on reconnect): ${(e as Error).message}`);
        }
    }
    return { ticket, events: written };
}
