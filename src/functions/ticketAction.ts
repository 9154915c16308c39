import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { type Deps, getDeps } from '../shared/deps';
import { timeToRepair } from '../shared/mttr';
import { ConflictError, NotFoundHttpError, ValidationError } from '../shared/errors';
import { recordStep } from '../shared/journal';
import { acceptedActions, ACTION_EVENTS, ActionBodySchemas, ActionSchema } from '../shared/views/ticketActions';
import { journalDeps } from './activities/journalDeps';
import { durableEvents, type OrchestrationEvents } from './durableEvents';
import { TICKET_ID } from './getTicket';
import { json, readOptionalJson, withErrors } from './http';

const LIVE = new Set(['Running', 'Pending', 'Suspended', 'ContinuedAsNew']);
/** People's audit rows live far above the orchestration's step numbers (small integers), so they never collide. */
const PEOPLE_SEQ_BASE = 1_000_000;

/** POST /api/tickets/{id}/{approve|reject|retry|close}: raises the durable event and audits who did it. Operators. */
export async function ticketAction(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    access: Pick<Access, 'auth'>,
    events: OrchestrationEvents,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const user = await access.auth.authorize(request, 'operator');
    const id = request.params['id'] ?? '';
    if (!TICKET_ID.test(id)) throw new ValidationError('id: expected a ticket id (letters, digits and dashes)');
    const action = ActionSchema.safeParse(request.params['action']);
    if (!action.success) throw new NotFoundHttpError(`no action "${request.params['action']}"; use approve, reject, retry or close`);
    const input = ActionBodySchemas[action.data].safeParse(await readOptionalJson(request));
    if (!input.success) throw new ValidationError(`bad body: ${input.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);

    const ticket = await deps.tickets.get(id);
    if (!ticket) throw new NotFoundHttpError(`no ticket ${id}`);
    if (!acceptedActions(ticket.status).includes(action.data)) {
        throw new ConflictError(`a ${ticket.status} ticket does not accept ${action.data}`, { status: ticket.status, accepts: acceptedActions(ticket.status) });
    }
    const runtime = await events.runtimeStatus(id);
    const at = deps.now().toISOString();
    const by = user.email ?? user.id;
    if (action.data === 'close' && ticket.status === 'escalated' && (!runtime || !LIVE.has(runtime))) {
        // The remediation handed the ticket to people and ended: closing it is theirs to record, no event needed.
        const reason = (input.data as { reason?: string }).reason ?? 'closed';
        let seq = PEOPLE_SEQ_BASE + deps.now().getTime();
        while (await deps.audit.has(id, seq)) seq++;
        const mttrSeconds = timeToRepair(ticket.createdAt, ticket.createdAt, deps.now());
        await recordStep(journalDeps(deps, ctx), id, seq, { status: 'resolved', closedAt: at, mttrSeconds, decisionReason: `Closed by ${by}: ${reason}` }, [{
            type: 'closed',
            summary: `Closed by ${by} (${user.role}): ${reason}. MTTR ${mttrSeconds} s.`,
            data: { action: 'close', by, role: user.role, via: user.via, at, reason, status: 'resolved', mttrSeconds },
        }]);
        return json(200, { ticketId: id, action: 'close', status: 'resolved' });
    }
    if (!runtime || !LIVE.has(runtime)) {
        throw new ConflictError(`the remediation of ticket ${id} is not running (${runtime ?? 'none'}); it accepts no action`, { status: ticket.status });
    }

    const { event, audit, verb } = ACTION_EVENTS[action.data];
    const extra = input.data as { comment?: string; reason?: string };
    const payload = {
        ...(action.data === 'approve' ? { approved: true } : action.data === 'reject' ? { approved: false } : {}),
        by, at, ...extra,
    };
    await events.raise(id, event, payload);

    let seq = PEOPLE_SEQ_BASE + deps.now().getTime();
    while (await deps.audit.has(id, seq)) seq++;
    const note = extra.comment ?? extra.reason;
    await recordStep(journalDeps(deps, ctx), id, seq, {}, [{
        type: audit,
        summary: `${verb} by ${by} (${user.role})${note ? `: ${note}` : ''}`,
        data: { action: action.data, event, by, role: user.role, via: user.via, at, ...extra },
    }]);
    ctx.log(`ticket ${id}: ${action.data} by ${by}`);
    return json(202, { ticketId: id, action: action.data, event, payload });
}

df.app.client.http('ticketAction', {
    route: 'tickets/{id}/{action}',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        ticketAction(getDeps(), getAccess(), durableEvents(client), request, ctx),
    ),
});
