import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { type Deps, getDeps } from '../shared/deps';
import { parseAzureMonitorAlert } from '../shared/intake';
import type { OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { readAlertBody, withErrors } from './http';
import { answerIntake } from './intakeResponse';

/**
 * Azure Monitor action group webhook: common alert schema (metric, Log Alerts V2, activity log), the older
 * metric alert schema and the legacy Log Analytics payload. Authenticated by the function key in the URL.
 */
export async function azureMonitorAlert(
    deps: Pick<Deps, 'intake' | 'now'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const body = await readAlertBody(request);
    return answerIntake(parseAzureMonitorAlert(body), { body, source: 'adf', what: 'alert' }, deps, starter, ctx);
}

df.app.client.http('azureMonitorAlert', {
    route: 'alerts/azure-monitor',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        azureMonitorAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
