import { createHash } from 'node:crypto';

import { FINAL_STATUSES } from './domain';
import { type JournalDeps, recordStep } from './journal';
import { TransientError } from './ports';
import type { ResolvedNote } from './runLookup';

export const RESOLVED_EVENT = 'alert_resolved';

export type NoteResult = 'noted' | 'already noted';

/** `2025-03-14T02:36:40.1186530Z` → `02:36:40Z`: how people read the time of day the alert cleared. */
export function timeOfDay(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 19)}Z`;
}

/**
 * Adds one `alert_resolved` audit event to the ticket and changes nothing else: the remediation in flight
 * decides the ticket's fate, not Azure's view of a metric. The event goes into the unused slots (50..89) of the
 * orchestration's latest step's audit rows, so it sorts after what happened before it and never collides with a
 * step's own rows.
 * A repeat of the same resolution finds its event and writes nothing.
 */
export async function noteResolved(deps: JournalDeps, note: ResolvedNote, ticketId: string): Promise<NoteResult> {
    const ticket = await deps.tickets.get(ticketId);
    // The claim exists, so the ticket is about to be opened by its orchestration: retry shortly.
    if (!ticket) throw new TransientError(`ticket ${ticketId} is not open yet`);
    const events = await deps.audit.list(ticketId);
    const same = (e: (typeof events)[number]) =>
        e.type === RESOLVED_EVENT && e.data['alertId'] === note.alertId && e.data['resolvedAt'] === note.resolvedAt;
    if (events.some(same)) return 'already noted';
    // The orchestration's own rows only: people's actions are numbered from 1,000,000 × 100 up.
    const latest = Math.max(0, ...events.map((e) => e.seq).filter((seq) => seq < 100_000_000));
    const slot = 50 + (parseInt(createHash('sha256').update(note.noteId).digest('hex').slice(0, 8), 16) % 40);
    const open = !FINAL_STATUSES.has(ticket.status);
    await recordStep(deps, ticketId, Math.floor(latest / 100), {}, [
        {
            type: RESOLVED_EVENT,
            summary:
                `Alert resolved ${timeOfDay(note.resolvedAt)}${note.alertRule ? ` (rule ${note.alertRule})` : ''}: ` +
                (open ? 'the remediation in progress continues.' : `the ticket stays ${ticket.status}.`),
            data: { alertId: note.alertId, alertRule: note.alertRule, resolvedAt: note.resolvedAt },
        },
    ], slot);
    return 'noted';
}
