import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Deps, getDeps } from '../shared/deps';
import { ValidationError } from '../shared/errors';
import { parseAzureMonitorAlert } from '../shared/intake';
import { acceptFailures, type OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { json, readJson, withErrors } from './http';

/** Azure Monitor action group webhook (common alert schema, and the legacy Log Analytics payload). */
export async function azureMonitorAlert(
    deps: Pick<Deps, 'tickets' | 'now'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const outcome = parseAzureMonitorAlert(await readJson(request));
    switch (outcome.kind) {
        case 'invalid':
            throw new ValidationError(
                `alert payload rejected: ${outcome.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
                outcome.issues,
            );
        case 'ignored':
            ctx.log(`alert ignored: ${outcome.reason}`);
            return json(200, { status: 'ignored', reason: outcome.reason });
        case 'resolved':
            return json(202, { status: 'resolved', ticketIds: outcome.signals.map((s) => s.ticketId) });
        case 'unresolved':
            return json(202, { status: 'accepted', note: 'alert has no run id; run lookup is not configured', alertId: outcome.alertId });
        case 'failures': {
            const accepted = await acceptFailures(deps, starter, outcome.signals);
            for (const a of accepted) ctx.log(`alert for ticket ${a.ticketId}${a.duplicate ? ' (duplicate delivery)' : ''}`);
            return json(202, { status: 'accepted', ticketId: accepted[0]?.ticketId, tickets: accepted });
        }
    }
}

df.app.client.http('azureMonitorAlert', {
    route: 'alerts/azure-monitor',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        azureMonitorAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
