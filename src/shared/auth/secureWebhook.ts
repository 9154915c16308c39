import type * as JoseModule from 'jose' with { 'resolution-mode': 'import' };

import type { Config } from '../config';

// jose 6 is ESM-only; a dynamic import keeps this CommonJS module loadable (see devhost/webpubsub/auth.ts).
type Jose = typeof JoseModule;
let jose: Promise<Jose> | undefined;
function loadJose(): Promise<Jose> {
    jose ??= import('jose');
    return jose;
}

/** The "AzNS AAD Webhook" application: Azure Monitor's action groups get their secure webhook tokens as it. */
export const AZURE_MONITOR_APP_ID = '461e8683-5575-4561-ac7f-899cc907d62a';

export interface SecureWebhookSettings {
    audiences: string[];
    issuers: string[];
    jwksUrl: string;
    role: string;
}

/** What a secure webhook token must satisfy; undefined when the secure webhook is not configured. */
export function secureWebhookSettings(config: Config): SecureWebhookSettings | undefined {
    const tenant = config.SECURE_WEBHOOK_TENANT_ID;
    if (!tenant || !config.SECURE_WEBHOOK_AUDIENCE) return undefined;
    return {
        audiences: config.SECURE_WEBHOOK_AUDIENCE.split(',').map((a) => a.trim()).filter(Boolean),
        // v1 tokens (what action groups get today) and v2 tokens, from this tenant only.
        issuers: [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`],
        jwksUrl: config.SECURE_WEBHOOK_JWKS_URL ?? `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
        role: config.SECURE_WEBHOOK_ROLE,
    };
}

const keySets = new Map<string, ReturnType<Jose['createRemoteJWKSet']>>();

export type TokenCheck = { ok: true; appId: string } | { ok: false; reason: string };

/**
 * Verifies the bearer token of a secure webhook call: RS256 signature against the tenant's JWKS (fetched
 * once per process, refreshed by jose when an unknown key id appears), issuer, audience, lifetime, the Azure
 * Monitor application as `appid` (v1) or `azp` (v2), and the app role. The token is never logged or returned.
 */
export async function verifySecureWebhook(
    authorization: string | null | undefined,
    settings: SecureWebhookSettings,
    now?: Date,
): Promise<TokenCheck> {
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
    if (!m?.[1]) return { ok: false, reason: 'no bearer token' };
    const { createRemoteJWKSet, jwtVerify } = await loadJose();
    let jwks = keySets.get(settings.jwksUrl);
    if (!jwks) {
        jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
        keySets.set(settings.jwksUrl, jwks);
    }
    try {
        const { payload } = await jwtVerify(m[1], jwks, {
            algorithms: ['RS256'], issuer: settings.issuers, audience: settings.audiences,
            requiredClaims: ['exp'], clockTolerance: 60, currentDate: now,
        });
        const appId = payload['appid'] ?? payload['azp'];
        if (appId !== AZURE_MONITOR_APP_ID) return { ok: false, reason: 'the token was not issued to Azure Monitor' };
        const roles = Array.isArray(payload['roles']) ? payload['roles'] : [];
        if (!roles.includes(settings.role)) return { ok: false, reason: `the token lacks the app role ${settings.role}` };
        return { ok: true, appId };
    } catch (e) {
        return { ok: false, reason: `token rejected (${(e as { code?: string }).code ?? 'invalid'})` };
    }
}
