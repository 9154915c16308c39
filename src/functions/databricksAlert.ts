import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Deps, getDeps } from '../shared/deps';
import { parseDatabricksEvent } from '../shared/intake';
import type { OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { readText, withErrors } from './http';
import { answerIntake } from './intakeResponse';

/** Databricks notification destination webhook (jobs.on_failure and friends; ids only). */
export async function databricksAlert(
    deps: Pick<Deps, 'tickets' | 'now'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    // Raw text: job and run ids can exceed 2^53 and must not pass through a JS number.
    return answerIntake(parseDatabricksEvent(await readText(request)), deps, starter, ctx, 'Databricks notification');
}

df.app.client.http('databricksAlert', {
    route: 'alerts/databricks',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        databricksAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
