import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { secureWebhookSettings, verifySecureWebhook } from '../shared/auth/secureWebhook';
import { type Deps, getDeps } from '../shared/deps';
import type { OrchestrationStarter } from '../shared/intakeService';
import { azureMonitorAlert } from './azureMonitorAlert';
import { durableStarter } from './durableStarter';
import { withErrors } from './http';

/**
 * The same webhook for action groups that use "secure webhook": anonymous for the host (an action group
 * cannot send a function key and a bearer token together), so the Entra token is the only credential.
 */
export async function azureMonitorSecureAlert(
    deps: Pick<Deps, 'intake' | 'now' | 'config'>,
    starter: OrchestrationStarter,
    request: HttpRequest,
    ctx: InvocationContext,
): Promise<HttpResponseInit> {
    const settings = secureWebhookSettings(deps.config);
    const check = settings
        ? await verifySecureWebhook(request.headers.get('authorization'), settings)
        : { ok: false as const, reason: 'the secure webhook is not configured (SECURE_WEBHOOK_TENANT_ID, _AUDIENCE)' };
    if (!check.ok) {
        ctx.warn(`secure webhook call refused (correlation ${ctx.invocationId}): ${check.reason}`);
        return {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
            jsonBody: { error: 'a valid Microsoft Entra token from Azure Monitor is required', correlationId: ctx.invocationId },
        };
    }
    return azureMonitorAlert(deps, starter, request, ctx);
}

df.app.client.http('azureMonitorSecureAlert', {
    route: 'alerts/azure-monitor/secure',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest, client: DurableClient, ctx: InvocationContext) =>
        azureMonitorSecureAlert(getDeps(), durableStarter(client), request, ctx),
    ),
});
