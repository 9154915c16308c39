import type { Config } from '../config';
import { type Jose, loadJose } from './jose';
import { highestRole, type Principal } from './roles';

export interface EntraSettings {
    audience: string;
    issuers: string[];
    jwksUrl: string;
}

/** What Entra tokens must satisfy, from the settings; undefined when Entra sign-in is not configured. */
export function entraSettings(config: Config): EntraSettings | undefined {
    if (!config.ENTRA_AUDIENCE) return undefined;
    const tenant = config.ENTRA_TENANT_ID;
    const issuers = config.ENTRA_ISSUER
        ? [config.ENTRA_ISSUER]
        : [`https://login.microsoftonline.com/${tenant}/v2.0`, `https://sts.windows.net/${tenant}/`];
    const jwksUrl = config.ENTRA_JWKS_URL ?? `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`;
    return { audience: config.ENTRA_AUDIENCE, issuers, jwksUrl };
}

/** Verifies Entra ID access tokens against the tenant's JWKS (fetched once, refreshed by jose on unknown kids). */
export class EntraTokens {
    private jwks: ReturnType<Jose['createRemoteJWKSet']> | undefined;

    constructor(private readonly settings: EntraSettings) {}

    async verify(token: string, now?: Date): Promise<Principal | undefined> {
        const { createRemoteJWKSet, jwtVerify } = await loadJose();
        this.jwks ??= createRemoteJWKSet(new URL(this.settings.jwksUrl));
        try {
            const { payload } = await jwtVerify(token, this.jwks, {
                algorithms: ['RS256'], issuer: this.settings.issuers, audience: this.settings.audience,
                requiredClaims: ['exp'], currentDate: now,
            });
            const str = (key: string): string | undefined => {
                const value = payload[key];
                return typeof value === 'string' ? value : undefined;
            };
            const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
            const email = str('preferred_username') ?? str('upn') ?? str('email');
            const id = str('oid') ?? payload.sub;
            if (!id) return undefined;
            return {
                id, email, name: str('name'), role: highestRole(roles), via: 'entra',
                expiresAt: new Date(payload.exp! * 1000).toISOString(),
            };
        } catch {
            return undefined;
        }
    }
}
