import type { Deps } from '../deps';
import type { TicketFilter } from './ticketQuery';
import { type TicketView, ticketView } from './ticketView';

/** The tickets a filter can match (storage narrows what it can), as views with ownership and urgency. */
export async function loadTicketViews(deps: Pick<Deps, 'tickets' | 'config' | 'now'>, f: Partial<TicketFilter>): Promise<TicketView[]> {
    const now = deps.now();
    const tickets = await deps.tickets.list({
        source: f.source, category: f.errorClass, createdFrom: f.from, createdTo: f.to, updatedSince: f.updatedSince,
    });
    return tickets.map((t) => ticketView(t, deps.config, now));
}
