import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { entraSettings } from '../shared/access/entraTokens';
import { type Deps, getDeps } from '../shared/deps';
import { json, withErrors } from './http';

/**
 * GET /api/settings: the effective settings an admin manages (never a secret, only whether one is set). They
 * change through the app settings (configuration), which are validated at start-up. Admins only.
 */
export async function settings(deps: Pick<Deps, 'config'>, access: Pick<Access, 'auth'>, request: HttpRequest): Promise<HttpResponseInit> {
    await access.auth.authorize(request, 'admin');
    const c = deps.config;
    const entra = entraSettings(c);
    return json(200, {
        ownershipRules: c.OWNERSHIP_RULES,
        slaMinutes: c.SLA_MINUTES,
        access: {
            localSignIn: c.AUTH_TOKEN_SECRET !== undefined,
            tokenMinutes: c.AUTH_TOKEN_MINUTES,
            emailDomains: c.AUTH_EMAIL_DOMAINS,
            entra: entra ? { audience: entra.audience, issuers: entra.issuers } : null,
            metricsScrapeKey: c.METRICS_SCRAPE_KEY !== undefined,
        },
        remediation: {
            maxAutoHealAttempts: c.MAX_AUTO_HEAL_ATTEMPTS,
            retryBaseDelaySeconds: c.RETRY_BASE_DELAY_SECONDS,
            pollIntervalSeconds: c.POLL_INTERVAL_SECONDS,
            runDeadlineMinutes: c.RUN_DEADLINE_MINUTES,
        },
    });
}

app.http('settings', {
    route: 'settings',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => settings(getDeps(), getAccess(), request)),
});
