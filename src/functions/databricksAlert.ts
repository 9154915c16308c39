import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Deps, getDeps } from '../shared/deps';
import { ValidationError } from '../shared/errors';
import { parseDatabricksEvent } from '../shared/intake';
import { acceptFailures, type OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { json, readText, withErrors } from './http';

/** Databricks notification destination webhook (jobs.on_failure and friends; ids only). */
export async function databricksAlert(
    deps: Pick<Deps, 'tickets' | 'now'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    // Raw text: job and run ids can exceed 2^53 and must not pass through a JS number.
    const outcome = parseDatabricksEvent(await readText(request));
    switch (outcome.kind) {
        case 'invalid':
            throw new ValidationError(
                `Databricks notification rejected: ${outcome.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
                outcome.issues,
            );
        case 'failures': {
            const accepted = await acceptFailures(deps, starter, outcome.signals);
            for (const a of accepted) ctx.log(`Databricks failure for ticket ${a.ticketId}${a.duplicate ? ' (duplicate)' : ''}`);
            return json(202, { status: 'accepted', ticketId: accepted[0]?.ticketId, tickets: accepted });
        }
        case 'ignored':
            return json(200, { status: 'ignored', reason: outcome.reason });
        default:
            return json(200, { status: 'ignored', reason: `event kind ${outcome.kind} is not handled for Databricks` });
    }
}

df.app.client.http('databricksAlert', {
    route: 'alerts/databricks',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        databricksAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
