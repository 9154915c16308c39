import { createHash, timingSafeEqual } from 'node:crypto';

import { AuthError, ForbiddenError } from '../errors';
import type { EntraTokens } from './entraTokens';
import { loadJose } from './jose';
import type { LocalTokens } from './localTokens';
import { atLeast, type Principal, type Role } from './roles';

type WithHeaders = { headers: Headers };

export function bearerToken(request: WithHeaders): string | undefined {
    return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Finds the caller behind a request: the app's own HS256 tokens, or Entra ID RS256 tokens when configured. */
export class Authenticator {
    constructor(
        private readonly opts: { local?: LocalTokens; entra?: EntraTokens; scrapeKey?: string },
    ) {}

    /** The caller; an AuthError (401) without a valid token. */
    async authenticate(request: WithHeaders): Promise<Principal> {
        const token = bearerToken(request);
        if (!token) throw new AuthError('sign in first: send Authorization: Bearer <token>');
        const principal = await this.verify(token);
        if (!principal) throw new AuthError('the token is invalid or has expired; sign in again');
        return principal;
    }

    /** The caller, who must hold `role` or more; 401 without a valid token, 403 with too small a role. */
    async authorize(request: WithHeaders, role: Role): Promise<Principal & { role: Role }> {
        const principal = await this.authenticate(request);
        if (principal.role === null) throw new ForbiddenError('your account holds no role in this app');
        if (!atLeast(principal.role, role)) throw new ForbiddenError(`this needs the ${role} role; you are ${principal.role}`);
        return { ...principal, role: principal.role };
    }

    /** Whether the request carries the configured metrics scrape key (compared in constant time). */
    hasScrapeKey(request: WithHeaders): boolean {
        const given = bearerToken(request) ?? request.headers.get('x-scrape-key') ?? undefined;
        if (!this.opts.scrapeKey || !given) return false;
        return timingSafeEqual(digest(given), digest(this.opts.scrapeKey));
    }

    private async verify(token: string): Promise<Principal | undefined> {
        let alg: string | undefined;
        try {
            alg = (await loadJose()).decodeProtectedHeader(token).alg;
        } catch {
            return undefined;
        }
        if (alg === 'HS256') return this.opts.local?.verify(token);
        if (alg === 'RS256') return this.opts.entra?.verify(token);
        return undefined;
    }
}
