import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };

// jose 6 is ESM-only; a dynamic import keeps this CommonJS module loadable by tsc's node16 output too.
let jose: Promise<typeof import('jose', { with: { 'resolution-mode': 'import' } })> | undefined;
const loadJose = () => (jose ??= import('jose'));

/**
 * Verifies an HS256 JWT signed with the access key (as UTF-8, like the SDKs sign it) whose `aud` is one of the
 * given URLs. Returns the claims, or undefined for any failure: the caller answers 401 without detail.
 */
export async function verifyToken(
    token: string, key: Uint8Array, audiences: string[],
): Promise<JWTPayload | undefined> {
    try {
        const { jwtVerify } = await loadJose();
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        const wanted = new Set(audiences.map(normalizeUrl));
        return aud.some((a) => typeof a === 'string' && wanted.has(normalizeUrl(a))) ? payload : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Compares URLs by host, port, path and query only: the client SDK signs `http://…` but connects to `ws://…`,
 * and URL parsing already drops a default port.
 */
export function normalizeUrl(url: string): string {
    try {
        const u = new URL(url);
        const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
        const path = u.pathname.length > 1 ? u.pathname.replace(/\/+$/, '') : u.pathname;
        return `${u.hostname.toLowerCase()}:${port}${path}${u.search}`;
    } catch {
        return `invalid:${url}`;
    }
}

export function bearerToken(header: string | undefined): string | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m?.[1];
}

export function stringList(claim: unknown): string[] {
    if (typeof claim === 'string') return [claim];
    return Array.isArray(claim) ? claim.filter((x): x is string => typeof x === 'string') : [];
}

export interface ClientTokenOptions {
    audience: string;
    userId?: string;
    roles: string[];
    groups: string[];
    minutesToExpire: number;
}

/** Signs a client token the way `getClientAccessToken` does with a key, for the `:generateToken` REST call. */
export async function signClientToken(key: Uint8Array, opts: ClientTokenOptions): Promise<string> {
    const { SignJWT } = await loadJose();
    const claims: Record<string, unknown> = {};
    if (opts.roles.length > 0) claims.role = opts.roles;
    if (opts.groups.length > 0) claims['webpubsub.group'] = opts.groups;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setAudience(opts.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + opts.minutesToExpire * 60);
    if (opts.userId !== undefined) jwt.setSubject(opts.userId);
    return jwt.sign(key);
}
