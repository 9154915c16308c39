import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { Authenticator } from '../../../../src/shared/access/authenticator';
import { EntraTokens, entraSettings } from '../../../../src/shared/access/entraTokens';
import { loadJose } from '../../../../src/shared/access/jose';
import { LocalTokens } from '../../../../src/shared/access/localTokens';
import { loadConfig } from '../../../../src/shared/config';

const SECRET = 'local-secret-with-more-than-thirty-two-chars';
const headers = (token?: string) => ({ headers: new Headers(token ? { authorization: `Bearer ${token}` } : {}) });

describe('local tokens', () => {
    const tokens = new LocalTokens(SECRET, 15);

    it('issues a short-lived HS256 token that verifies to the user and role', async () => {
        const now = new Date();
        const { token, expiresAt } = await tokens.issue({ email: 'ana@contoso.com', role: 'operator' }, now);
        assert.equal(Date.parse(expiresAt) - Math.floor(now.getTime() / 1000) * 1000, 15 * 60_000);
        const p = await tokens.verify(token);
        assert.deepEqual([p?.id, p?.role, p?.via], ['ana@contoso.com', 'operator', 'local']);
    });

    it('refuses expired tokens, other secrets and tampered claims', async () => {
        const { token } = await tokens.issue({ email: 'ana@contoso.com', role: 'viewer' }, new Date());
        assert.equal(await tokens.verify(token, new Date(Date.now() + 16 * 60_000)), undefined);
        assert.equal(await new LocalTokens(`${SECRET}x`, 15).verify(token), undefined);
        const [h, p, s] = token.split('.');
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
        assert.equal(await tokens.verify(`${h}.${forged}.${s}`), undefined);
        const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        assert.equal(await tokens.verify(`${none}.${p}.`), undefined);
    });
});

describe('Entra ID tokens', () => {
    let server: Server;
    let jwksUrl = '';
    let privateKey: CryptoKey;
    const TENANT = '11111111-2222-3333-4444-555555555555';
    const AUDIENCE = 'api://pipeline-autoheal';

    before(async () => {
        const jose = await loadJose();
        const pair = await jose.generateKeyPair('RS256');
        privateKey = pair.privateKey;
        const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
        server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    });
    after(() => server?.close());

    const sign = async (claims: Record<string, unknown>, opts: { iss?: string; aud?: string; expMinutes?: number } = {}) => {
        const { SignJWT } = await loadJose();
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(opts.iss ?? `https://login.microsoftonline.com/${TENANT}/v2.0`).setAudience(opts.aud ?? AUDIENCE)
            .setIssuedAt(now).setExpirationTime(now + (opts.expMinutes ?? 60) * 60).sign(privateKey);
    };
    const verifier = () => {
        const config = loadConfig({ STORAGE_ACCOUNT_NAME: 'st', ENTRA_TENANT_ID: TENANT, ENTRA_AUDIENCE: AUDIENCE, ENTRA_JWKS_URL: jwksUrl });
        return new EntraTokens(entraSettings(config)!);
    };

    it('accepts a token of the tenant for this API, with the highest role from the roles claim', async () => {
        const p = await verifier().verify(await sign({ oid: 'u-1', preferred_username: 'li@contoso.com', name: 'Li', roles: ['Viewer', 'Operator'] }));
        assert.deepEqual([p?.id, p?.email, p?.role, p?.via], ['u-1', 'li@contoso.com', 'operator', 'entra']);
        const v1 = await verifier().verify(await sign({ oid: 'u-2', roles: ['admin'] }, { iss: `https://sts.windows.net/${TENANT}/` }));
        assert.equal(v1?.role, 'admin');
    });

    it('refuses another issuer, another audience, an expired token; a token without a role has no role', async () => {
        const v = verifier();
        assert.equal(await v.verify(await sign({ oid: 'u', roles: ['admin'] }, { iss: 'https://login.microsoftonline.com/other/v2.0' })), undefined);
        assert.equal(await v.verify(await sign({ oid: 'u', roles: ['admin'] }, { aud: 'api://other' })), undefined);
        assert.equal(await v.verify(await sign({ oid: 'u', roles: ['admin'] }, { expMinutes: -5 })), undefined);
        assert.equal((await v.verify(await sign({ oid: 'u' })))?.role, null);
    });

    it('goes through the authenticator by algorithm, and a roleless account gets 403', async () => {
        const a = new Authenticator({ local: new LocalTokens(SECRET, 15), entra: verifier() });
        const token = await sign({ oid: 'u-3' });
        await assert.rejects(a.authorize(headers(token), 'viewer'), (e: { status?: number }) => e.status === 403);
        assert.equal((await a.authorize(headers(await sign({ oid: 'u-4', roles: ['viewer'] })), 'viewer')).id, 'u-4');
    });
});

describe('Authenticator', () => {
    const local = new LocalTokens(SECRET, 15);
    const a = new Authenticator({ local, scrapeKey: 'scrape-key-0123456789' });

    it('answers 401 without a token, with a bad one, and for RS256 tokens when Entra is not configured', async () => {
        await assert.rejects(a.authenticate(headers()), (e: { status?: number }) => e.status === 401);
        await assert.rejects(a.authenticate(headers('garbage')), (e: { status?: number }) => e.status === 401);
        const rs = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.sig`;
        await assert.rejects(a.authenticate(headers(rs)), (e: { status?: number }) => e.status === 401);
    });

    it('answers 403 when the role is too small, naming the role needed', async () => {
        const { token } = await local.issue({ email: 'v@contoso.com', role: 'viewer' }, new Date());
        await assert.rejects(a.authorize(headers(token), 'operator'), /needs the operator role; you are viewer/);
        assert.equal((await a.authorize(headers(token), 'viewer')).role, 'viewer');
    });

    it('recognises the scrape key and nothing else as one', () => {
        assert.equal(a.hasScrapeKey(headers('scrape-key-0123456789')), true);
        assert.equal(a.hasScrapeKey({ headers: new Headers({ 'x-scrape-key': 'scrape-key-0123456789' }) }), true);
        assert.equal(a.hasScrapeKey(headers('scrape-key-012345678')), false);
        assert.equal(new Authenticator({ local }).hasScrapeKey(headers('anything')), false);
    });
});
