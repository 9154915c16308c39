import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';

import { type Deps, getDeps } from '../shared/deps';
import { SourceSchema, TicketStatusSchema } from '../shared/domain';
import { ValidationError } from '../shared/errors';
import { json, withErrors } from './http';

const QuerySchema = z.object({
    status: TicketStatusSchema.optional(),
    source: SourceSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    continuationToken: z.string().regex(/^\d+$/, 'expected the token from a previous page').optional(),
});

/** GET /api/tickets: newest first, filtered, paged by continuation token. */
export async function listTickets(deps: Pick<Deps, 'tickets'>, request: HttpRequest): Promise<HttpResponseInit> {
    const parsed = QuerySchema.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new ValidationError(`bad query: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    const { status, source, limit, continuationToken } = parsed.data;
    const all = await deps.tickets.list({ status, source });
    const offset = Number(continuationToken ?? 0);
    const page = await deps.tickets.withDeliveryCounts(all.slice(offset, offset + limit));
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    return json(200, { tickets: page, ...(next ? { continuationToken: next } : {}) });
}

app.http('listTickets', {
    route: 'tickets',
    methods: ['GET'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest) => listTickets(getDeps(), request)),
});
