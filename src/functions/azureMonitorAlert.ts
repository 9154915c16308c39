import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Deps, getDeps } from '../shared/deps';
import { parseAzureMonitorAlert } from '../shared/intake';
import type { OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { readJson, withErrors } from './http';
import { answerIntake } from './intakeResponse';

/** Azure Monitor action group webhook (common alert schema, and the legacy Log Analytics payload). */
export async function azureMonitorAlert(
    deps: Pick<Deps, 'tickets' | 'now'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    return answerIntake(parseAzureMonitorAlert(await readJson(request)), deps, starter, ctx, 'alert');
}

df.app.client.http('azureMonitorAlert', {
    route: 'alerts/azure-monitor',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        azureMonitorAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
