import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { type Deps, getDeps } from '../shared/deps';
import { loadTicketViews } from '../shared/views/loadTickets';
import { pageTickets, parseQuery, TicketListQuerySchema } from '../shared/views/ticketQuery';
import { json, withErrors } from './http';

/** GET /api/tickets: filtered, sorted by time, paged by a continuation token; with counts by status. Viewers and up. */
export async function listTickets(
    deps: Pick<Deps, 'tickets' | 'config' | 'now'>,
    access: Pick<Access, 'auth'>,
    request: HttpRequest,
): Promise<HttpResponseInit> {
    await access.auth.authorize(request, 'viewer');
    const query = parseQuery(TicketListQuerySchema, request.query);
    const page = pageTickets(await loadTicketViews(deps, query), query);
    return json(200, { ...page, tickets: await deps.tickets.withDeliveryCounts(page.tickets) });
}

app.http('listTickets', {
    route: 'tickets',
    methods: ['GET'],
    // Anonymous at the host: the handler requires a user token (function keys are for the webhooks only).
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => listTickets(getDeps(), getAccess(), request)),
});
