import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { eventForRole } from '../shared/access/visibility';
import { type Deps, getDeps } from '../shared/deps';
import { NotFoundHttpError, ValidationError } from '../shared/errors';
import { ticketView } from '../shared/views/ticketView';
import { json, withErrors } from './http';

export const TICKET_ID = /^[A-Za-z0-9-]{1,100}$/;

/** GET /api/tickets/{id}: the ticket with its whole timeline, in time order. Viewers and up. */
export async function getTicket(
    deps: Pick<Deps, 'tickets' | 'audit' | 'config' | 'now'>,
    access: Pick<Access, 'auth'>,
    request: HttpRequest,
): Promise<HttpResponseInit> {
    const user = await access.auth.authorize(request, 'viewer');
    const id = request.params['id'] ?? '';
    if (!TICKET_ID.test(id)) throw new ValidationError('id: expected a ticket id (letters, digits and dashes)');
    const ticket = await deps.tickets.get(id);
    if (!ticket) throw new NotFoundHttpError(`no ticket ${id}`);
    // People's actions are numbered apart from the orchestration's steps: time puts them in place.
    const timeline = (await deps.audit.list(id))
        .sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq)
        .map((e) => eventForRole(e, user.role));
    return json(200, { ticket: ticketView(ticket, deps.config, deps.now()), timeline });
}

app.http('getTicket', {
    route: 'tickets/{id}',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => getTicket(getDeps(), getAccess(), request)),
});
