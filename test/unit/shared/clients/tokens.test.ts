import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { credentialToken, staticToken } from '../../../../src/shared/clients/tokens';

function fakeCredential(expiresInMs: number, clock: { now: number }) {
    const scopes: string[] = [];
    const credential: TokenCredential = {
        async getToken(scope): Promise<AccessToken> {
            scopes.push(String(scope));
            await new Promise((r) => setImmediate(r));
            return { token: `t${scopes.length}`, expiresOnTimestamp: clock.now + expiresInMs };
        },
    };
    return { credential, scopes };
}

describe('token providers', () => {
    it('staticToken returns its token', async () => {
        assert.equal(await staticToken('abc').getToken(), 'abc');
    });

    it('credentialToken caches until shortly before expiry and shares a pending fetch', async () => {
        const clock = { now: 1_000_000 };
        const { credential, scopes } = fakeCredential(60 * 60_000, clock);
        const provider = credentialToken(credential, 'https://management.azure.com/.default', { now: () => clock.now });
        assert.deepEqual(await Promise.all([provider.getToken(), provider.getToken()]), ['t1', 't1']);
        clock.now += 50 * 60_000;
        assert.equal(await provider.getToken(), 't1');
        clock.now += 6 * 60_000; // within 5 minutes of expiry
        assert.equal(await provider.getToken(), 't2');
        assert.deepEqual(scopes, ['https://management.azure.com/.default', 'https://management.azure.com/.default']);
    });

    it('credentialToken retries after a failed fetch instead of caching the failure', async () => {
        let calls = 0;
        const credential: TokenCredential = {
            getToken: async () => {
                calls++;
                if (calls === 1) throw new Error('IMDS unavailable');
                return { token: 'ok', expiresOnTimestamp: Date.now() + 3_600_000 };
            },
        };
        const provider = credentialToken(credential, 'scope');
        await assert.rejects(provider.getToken(), /IMDS unavailable/);
        assert.equal(await provider.getToken(), 'ok');
    });
});
