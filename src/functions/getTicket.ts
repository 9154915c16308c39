import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Deps, getDeps } from '../shared/deps';
import { NotFoundHttpError, ValidationError } from '../shared/errors';
import { json, withErrors } from './http';

/** GET /api/tickets/{id}: the ticket with its whole timeline. */
export async function getTicket(deps: Pick<Deps, 'tickets' | 'audit'>, request: HttpRequest): Promise<HttpResponseInit> {
    const id = request.params['id'] ?? '';
    if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) throw new ValidationError('id: expected a ticket id (letters, digits and dashes)');
    const ticket = await deps.tickets.get(id);
    if (!ticket) throw new NotFoundHttpError(`no ticket ${id}`);
    const timeline = await deps.audit.list(id);
    return json(200, { ticket, timeline });
}

app.http('getTicket', {
    route: 'tickets/{id}',
    methods: ['GET'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest) => getTicket(getDeps(), request)),
});
