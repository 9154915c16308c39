import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { eventForRole } from '../shared/access/visibility';
import { type Deps, getDeps } from '../shared/deps';
import { AppError, NotFoundHttpError } from '../shared/errors';
import { toCsv } from '../shared/views/csv';
import { loadTicketViews } from '../shared/views/loadTickets';
import { filterTickets, parseQuery, TicketFilterSchema } from '../shared/views/ticketQuery';
import { withErrors } from './http';

const MAX_TICKETS = 10_000;
const MAX_AUDITED_TICKETS = 2_000;
const TICKET_COLUMNS = [
    'id', 'status', 'priority', 'slaDueAt', 'slaBreached', 'source', 'pipeline', 'runId', 'severity', 'errorClass', 'errorCode',
    'team', 'owner', 'costCentre', 'attempts', 'relatedAlerts', 'autoHeal', 'decisionReason', 'createdAt', 'updatedAt', 'closedAt',
    'mttrSeconds', 'version',
] as const;
const AUDIT_COLUMNS = ['ticketId', 'pipeline', 'seq', 'at', 'type', 'summary', 'by', 'data'] as const;

function csv(name: string, text: string): HttpResponseInit {
    return {
        status: 200,
        body: text,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
    };
}

/** GET /api/export/{tickets|audit}: the filtered ticket list, or its audit trail, as CSV. Viewers and up. */
export async function exportCsv(
    deps: Pick<Deps, 'tickets' | 'audit' | 'config' | 'now'>,
    access: Pick<Access, 'auth'>,
    request: HttpRequest,
): Promise<HttpResponseInit> {
    const user = await access.auth.authorize(request, 'viewer');
    const kind = request.params['kind'];
    if (kind !== 'tickets' && kind !== 'audit') throw new NotFoundHttpError('export tickets or audit');
    const filter = parseQuery(TicketFilterSchema, request.query);
    const tickets = filterTickets(await loadTicketViews(deps, filter), filter);
    const stamp = deps.now().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (kind === 'tickets') {
        if (tickets.length > MAX_TICKETS) throw new AppError(413, `${tickets.length} tickets match; narrow the filters to ${MAX_TICKETS} or fewer`);
        const rows = (await deps.tickets.withDeliveryCounts(tickets)).map((t) =>
            TICKET_COLUMNS.map((c) => (c === 'errorClass' ? t.category : t[c])));
        return csv(`tickets-${stamp}.csv`, toCsv(TICKET_COLUMNS, rows));
    }
    if (tickets.length > MAX_AUDITED_TICKETS) {
        throw new AppError(413, `${tickets.length} tickets match; narrow the filters to ${MAX_AUDITED_TICKETS} or fewer for the audit trail`);
    }
    const rows: unknown[][] = [];
    for (const ticket of tickets) {
        for (const e of (await deps.audit.list(ticket.id)).map((x) => eventForRole(x, user.role))) {
            const data = Object.keys(e.data).length > 0 ? e.data : undefined;
            rows.push([e.ticketId, ticket.pipeline, e.seq, e.at, e.type, e.summary, e.data['by'], data]);
        }
    }
    return csv(`audit-${stamp}.csv`, toCsv(AUDIT_COLUMNS, rows));
}

app.http('exportCsv', {
    route: 'export/{kind}',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => exportCsv(getDeps(), getAccess(), request)),
});
