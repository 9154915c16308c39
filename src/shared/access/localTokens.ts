import { randomUUID } from 'node:crypto';

import { loadJose } from './jose';
import { type Principal, type Role, RoleSchema } from './roles';

const ISSUER = 'pipeline-autoheal';
const AUDIENCE = 'pipeline-autoheal-api';

export interface IssuedToken {
    token: string;
    expiresAt: string;
}

/** Signs and checks the app's own short-lived HS256 tokens for local accounts. */
export class LocalTokens {
    private readonly key: Uint8Array;

    constructor(
        secret: string,
        private readonly minutes: number,
    ) {
        this.key = new TextEncoder().encode(secret);
    }

    async issue(user: { email: string; role: Role; name?: string }, now: Date): Promise<IssuedToken> {
        const { SignJWT } = await loadJose();
        const iat = Math.floor(now.getTime() / 1000);
        const exp = iat + this.minutes * 60;
        const token = await new SignJWT({ role: user.role, ...(user.name ? { name: user.name } : {}) })
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setSubject(user.email)
            .setIssuedAt(iat)
            .setExpirationTime(exp)
            .setJti(randomUUID())
            .sign(this.key);
        return { token, expiresAt: new Date(exp * 1000).toISOString() };
    }

    /** The principal, or undefined for any bad token (wrong key, algorithm, issuer, audience, expired). */
    async verify(token: string, now?: Date): Promise<Principal | undefined> {
        const { jwtVerify } = await loadJose();
        try {
            const { payload } = await jwtVerify(token, this.key, {
                algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['sub', 'exp'], currentDate: now,
            });
            const role = RoleSchema.safeParse(payload['role']);
            const name = typeof payload['name'] === 'string' ? payload['name'] : undefined;
            return {
                id: payload.sub!, email: payload.sub!, name, role: role.success ? role.data : null, via: 'local',
                expiresAt: new Date(payload.exp! * 1000).toISOString(),
            };
        } catch {
            return undefined;
        }
    }
}
