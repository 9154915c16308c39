import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { HttpRequest, InvocationContext } from '@azure/functions';

import { azureMonitorSecureAlert } from '../../../src/functions/azureMonitorSecureAlert';
import { withErrors } from '../../../src/functions/http';
import { AZURE_MONITOR_APP_ID } from '../../../src/shared/auth/secureWebhook';
import { context, FakeStarter, intakeConfig, MemoryIntakeStore, NOW, post } from './intakeFakes';

const TENANT = 'e4b1c7d2-9f3a-4a6e-8d25-7b0c1e9f3a58';
const AUDIENCE = 'api://pipeline-autoheal-webhook';
const ROLE = 'ActionGroupsSecureWebhook';
const C01 = readFileSync(join(__dirname, '..', '..', 'fixtures', 'cases', 'C01-logalertsv2-adf-no-search-results.json'), 'utf8');

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type Key = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

describe('azureMonitorSecureAlert (Entra bearer token, checked against a JWKS served here)', () => {
    let jose: Jose;
    let server: Server;
    let jwksUrl = '';
    let signing: Key;
    let stranger: Key;
    let jwksRequests = 0;

    before(async () => {
        jose = await import('jose');
        const pair = await jose.generateKeyPair('RS256');
        signing = pair.privateKey;
        stranger = (await jose.generateKeyPair('RS256')).privateKey;
        const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
        server = createServer((_req, res) => {
            jwksRequests++;
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const claims = { appid: AZURE_MONITOR_APP_ID, roles: [ROLE], tid: TENANT };
    async function token(opts: { claims?: Record<string, unknown>; iss?: string; aud?: string; exp?: string | number; key?: Key; kid?: string } = {}) {
        return new jose.SignJWT(opts.claims ?? claims)
            .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
            .setIssuer(opts.iss ?? `https://sts.windows.net/${TENANT}/`)
            .setAudience(opts.aud ?? AUDIENCE)
            .setIssuedAt()
            .setExpirationTime(opts.exp ?? '1h')
            .sign(opts.key ?? signing);
    }

    async function call(authorization: string | undefined, env: Record<string, string> = { SECURE_WEBHOOK_TENANT_ID: TENANT, SECURE_WEBHOOK_AUDIENCE: AUDIENCE, SECURE_WEBHOOK_JWKS_URL: jwksUrl }) {
        const store = new MemoryIntakeStore();
        const starter = new FakeStarter();
        const deps = { intake: store.asStore(), now: () => NOW, config: intakeConfig(env) };
        const { ctx, lines } = context();
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
        const res = await withErrors((req: HttpRequest, c: InvocationContext) => azureMonitorSecureAlert(deps, starter, req, c))(post(C01, headers), ctx);
        return { status: res.status, res, started: starter.started, written: store.log, lines };
    }

    it('accepts a v1 token issued to Azure Monitor (appid) with the app role, and starts the remediation', async () => {
        const r = await call(`Bearer ${await token()}`);
        assert.equal(r.status, 202);
        assert.equal(r.started.length, 1);
    });

    it('accepts a v2 token (azp, v2 issuer) as well', async () => {
        const v2 = await token({ claims: { azp: AZURE_MONITOR_APP_ID, roles: [ROLE] }, iss: `https://login.microsoftonline.com/${TENANT}/v2.0` });
        assert.equal((await call(`Bearer ${v2}`)).status, 202);
    });

    it('refuses, with 401 and nothing written, every token that is not exactly right', async () => {
        const cases: [string, string | undefined][] = [
            ['no token', undefined],
            ['not a bearer token', 'Basic dXNlcjpwYXNz'],
            ['garbage', 'Bearer not.a.jwt'],
            ['another tenant', `Bearer ${await token({ iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' })}`],
            ['another audience', `Bearer ${await token({ aud: 'api://someone-else' })}`],
            ['another application', `Bearer ${await token({ claims: { ...claims, appid: '11111111-2222-3333-4444-555555555555' } })}`],
            ['no app role', `Bearer ${await token({ claims: { appid: AZURE_MONITOR_APP_ID, roles: ['Reader'] } })}`],
            ['expired', `Bearer ${await token({ exp: Math.floor(NOW.getTime() / 1000) })}`],
            ['signed by a key the tenant does not publish', `Bearer ${await token({ key: stranger })}`],
            ['unknown key id', `Bearer ${await token({ kid: 'k2', key: stranger })}`],
        ];
        for (const [what, auth] of cases) {
            const r = await call(auth);
            assert.equal(r.status, 401, what);
            assert.match(String((r.res.headers as Record<string, string>)['WWW-Authenticate']), /^Bearer/, what);
            assert.deepEqual([r.started, r.written], [[], []], what);
        }
    });

    it('refuses everything when the secure webhook is not configured', async () => {
        const r = await call(`Bearer ${await token()}`, {});
        assert.equal(r.status, 401);
        assert.ok(r.lines.some((l) => /not configured/.test(l)));
    });

    it('never logs or returns the token, and fetches the JWKS once for many calls', async () => {
        const t = await token({ aud: 'api://someone-else' });
        const refused = await call(`Bearer ${t}`);
        const accepted = await call(`Bearer ${await token()}`);
        for (const r of [refused, accepted]) assert.ok(!JSON.stringify([r.res.jsonBody, r.lines]).includes(t.split('.')[2]!));
        assert.ok(jwksRequests <= 2, `JWKS fetched ${jwksRequests} times (an unknown kid may add one refresh)`);
    });
});
