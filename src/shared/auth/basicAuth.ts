import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * HTTP basic auth against one configured user and secret. Both sides are hashed first, so the comparison is
 * constant-time whatever the lengths; the secret never leaves this function.
 */
export function basicAuthMatches(authorization: string | null | undefined, user: string, secret: string): boolean {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    const given = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    return timingSafeEqual(digest(given), digest(`${user}:${secret}`)) && given.length > 0;
}
