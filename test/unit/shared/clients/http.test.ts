import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createHttpClient, parseRetryAfter, PermanentHttpError } from '../../../../src/shared/clients/http';
import { staticToken } from '../../../../src/shared/clients/tokens';
import { NotFoundError, TransientError } from '../../../../src/shared/ports';
import { Stub } from './stubServer';

const NOW = new Date('2025-03-14T02:00:00Z');
const SECRET = 'very-secret-token-value';

describe('http client', () => {
    let stub: Stub;
    const client = (timeoutMs = 1000) => createHttpClient({ token: staticToken(SECRET), timeoutMs, now: () => NOW });
    beforeEach(async () => {
        stub = await Stub.start();
    });
    afterEach(() => stub.close());

    const failure = async (req: Promise<unknown>): Promise<Error> => {
        try {
            await req;
        } catch (err) {
            assert.ok(err instanceof Error);
            assert.ok(!err.message.includes(SECRET), 'token leaked into the message');
            return err;
        }
        assert.fail('expected a failure');
    };

    it('sends JSON with the bearer token and parses the JSON answer', async () => {
        stub.on('POST', '/x', { status: 200, body: { ok: 1 } });
        assert.deepEqual(await client().send({ method: 'POST', url: `${stub.url}/x`, body: { a: 1 } }), { ok: 1 });
        assert.equal(stub.requests[0]?.headers.authorization, `Bearer ${SECRET}`);
        assert.equal(stub.requests[0]?.body, '{"a":1}');
    });

    it('maps 404, 5xx, 408/429 and other 4xx', async () => {
        stub.on('GET', '/404', { status: 404, body: { error: { code: 'NotFound', message: 'gone' } } })
            .on('GET', '/503', {
                status: 503,
                body: { error: { code: 'ServiceUnavailable', message: `echo Bearer ${SECRET}` } },
            })
            .on('GET', '/408', { status: 408 })
            .on('GET', '/403', { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } })
            .on('GET', '/400', { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad id' } });
        const c = client();
        assert.ok((await failure(c.send({ method: 'GET', url: `${stub.url}/404` }))) instanceof NotFoundError);
        const e503 = await failure(c.send({ method: 'GET', url: `${stub.url}/503?code=abc` }));
        assert.ok(e503 instanceof TransientError);
        assert.match(e503.message, /^GET 127\.0\.0\.1:\d+\/503 → 503 ServiceUnavailable/);
        assert.doesNotMatch(e503.message, /code=abc/);
        assert.ok((await failure(c.send({ method: 'GET', url: `${stub.url}/408` }))) instanceof TransientError);
        const e403 = await failure(c.send({ method: 'GET', url: `${stub.url}/403` }));
        assert.ok(e403 instanceof PermanentHttpError && e403.status === 403 && e403.code === 'AuthorizationFailed');
        const e400 = await failure(c.send({ method: 'GET', url: `${stub.url}/400` }));
        assert.ok(e400 instanceof PermanentHttpError && e400.code === 'INVALID_PARAMETER_VALUE');
        assert.match(e400.message, /bad id/);
    });

    it('reads Retry-After in seconds and as an HTTP date', async () => {
        stub.on('GET', '/s', { status: 429, headers: { 'Retry-After': '7' } }).on('GET', '/d', {
            status: 503,
            headers: { 'Retry-After': 'Fri, 14 Mar 2025 02:00:30 GMT' },
        });
        const s = await failure(client().send({ method: 'GET', url: `${stub.url}/s` }));
        assert.equal((s as TransientError).retryAfterMs, 7000);
        const d = await failure(client().send({ method: 'GET', url: `${stub.url}/d` }));
        assert.equal((d as TransientError).retryAfterMs, 30_000);
        assert.equal(parseRetryAfter('garbage', NOW), undefined);
        assert.equal(parseRetryAfter('Fri, 14 Mar 2025 01:00:00 GMT', NOW), 0);
    });

    it('timeouts, refused connections and non-JSON 200s are transient', async () => {
        stub.on('GET', '/slow', { status: 200, body: {}, delayMs: 1000 }).on('GET', '/html', {
            status: 200,
            rawBody: '<html>',
        });
        const slow = await failure(client(100).send({ method: 'GET', url: `${stub.url}/slow` }));
        assert.ok(slow instanceof TransientError);
        assert.match(slow.message, /timed out after 100 ms/);
        const html = await failure(client().send({ method: 'GET', url: `${stub.url}/html` }));
        assert.ok(html instanceof TransientError);
        const url = `${stub.url}/gone`;
        await stub.close();
        const refused = await failure(client().send({ method: 'GET', url }));
        assert.ok(refused instanceof TransientError);
        assert.match(refused.message, /failed: [A-Z_]+$/);
        stub = await Stub.start();
    });
});
