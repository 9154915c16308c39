import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { basicAuthMatches } from '../shared/auth/basicAuth';
import { type Deps, getDeps } from '../shared/deps';
import { parseDatabricksEvent } from '../shared/intake';
import type { OrchestrationStarter } from '../shared/intakeService';
import { durableStarter } from './durableStarter';
import { readAlertBody, withErrors } from './http';
import { answerIntake } from './intakeResponse';

/**
 * Databricks notification destination webhook (jobs.on_failure and friends; ids only). Function key in the
 * URL, and HTTP basic auth as well once DATABRICKS_WEBHOOK_SECRET is set (the destination's username/password).
 */
export async function databricksAlert(
    deps: Pick<Deps, 'intake' | 'now' | 'config'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const secret = deps.config.DATABRICKS_WEBHOOK_SECRET;
    if (secret && !basicAuthMatches(request.headers.get('authorization'), deps.config.DATABRICKS_WEBHOOK_USER, secret)) {
        ctx.warn(`Databricks notification refused (correlation ${ctx.invocationId}): basic auth missing or wrong`);
        return {
            status: 401,
            headers: { 'WWW-Authenticate': 'Basic realm="pipeline-autoheal", charset="UTF-8"' },
            jsonBody: { error: 'basic auth required', correlationId: ctx.invocationId },
        };
    }
    // Raw text: job and run ids can exceed 2^53 and must not pass through a JS number.
    const body = await readAlertBody(request);
    const outcome = parseDatabricksEvent(body, { receivedAt: deps.now().toISOString() });
    return answerIntake(outcome, { body, source: 'databricks', what: 'Databricks notification' }, deps, starter, ctx);
}

df.app.client.http('databricksAlert', {
    route: 'alerts/databricks',
    methods: ['POST'],
    authLevel: 'function',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        databricksAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
