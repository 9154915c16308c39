import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { caseResponses, variantResponses } from './caseFixtures';
import { classification, details, GENERATE, good, model, promptOf, reply, sent, signal } from './geminiFixtures';
import { Stub, type Scripted } from './stubServer';

const C36 = 'C36-gemini-503-then-429-retrydelay.json';
const c36 = () => caseResponses(C36, 'gemini', 'POST', 'generateContent') as Scripted[];
const c36Daily = () => variantResponses(C36, 'B-per-day-quota') as Scripted[];

describe('Gemini RCA model: HTTP failures', () => {
    let stub: Stub;
    let sleeps: number[];
    beforeEach(async () => {
        stub = await Stub.start();
        sleeps = [];
    });
    afterEach(() => stub.close());

    it('503 is retried after a short backoff', async () => {
        stub.on('POST', GENERATE, c36()[0] as Scripted, reply(JSON.stringify(good)));
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.equal(result.source, 'gemini');
        assert.equal(stub.requests.length, 2);
        assert.equal(sleeps.length, 1);
        assert.ok((sleeps[0] ?? 0) >= 1000 && (sleeps[0] ?? 0) <= 1500);
    });

    it('503 three times gives up after two retries', async () => {
        stub.on('POST', GENERATE, c36()[0] as Scripted);
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(service\): 503 UNAVAILABLE/);
        assert.equal(stub.requests.length, 3);
        assert.ok((sleeps[1] ?? 0) > (sleeps[0] ?? 0));
    });

    it('C36: 503, then 429 honouring RetryInfo 26.418374012s, then success: three calls', async () => {
        stub.on('POST', GENERATE, ...c36());
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.equal(result.source, 'gemini');
        assert.equal(result.analysis.confidence, 0.77);
        assert.equal(stub.requests.length, 3);
        assert.equal(sleeps[1], 26419);
    });

    it('C36 variant B: a per-day quota 429 is not retried', async () => {
        stub.on('POST', GENERATE, ...c36Daily());
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(quota\)/);
        assert.equal(stub.requests.length, 1);
        assert.deepEqual(sleeps, []);
    });

    it('a 429 asking for more than 60 s is not waited for', async () => {
        const slow = structuredClone(c36()[1]) as Scripted & {
            body: { error: { details: Array<Record<string, string>> } };
        };
        for (const d of slow.body.error.details) if (d['@type']?.endsWith('RetryInfo')) d.retryDelay = '61s';
        stub.on('POST', GENERATE, slow);
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.match(result.note ?? '', /^unavailable \(rate limited\)/);
        assert.equal(stub.requests.length, 1);
    });

    it('C38: 400 INVALID_ARGUMENT is not retried; the note names the field', async () => {
        stub.on(
            'POST',
            GENERATE,
            ...(caseResponses(
                'C38-gemini-400-additionalproperties.json',
                'gemini',
                'POST',
                'generateContent',
            ) as Scripted[]),
        );
        const result = await model(stub, sleeps).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(LLM config\): 400 INVALID_ARGUMENT/);
        assert.match(result.note ?? '', /generation_config\.response_schema/);
        assert.equal(stub.requests.length, 1);
    });

    it('a timeout falls back with a note', async () => {
        stub.on('POST', GENERATE, { ...reply(JSON.stringify(good)), delayMs: 1500 });
        const started = Date.now();
        const result = await model(stub, sleeps, 200).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(timeout\)/);
        assert.ok(Date.now() - started < 1400);
    });

    it('no secret from an error message reaches the model or the note', async () => {
        const secrets = [
            'sv=2022-11-02&ss=b&sig=Zm9vYmFyc2VjcmV0c2lnbmF0dXJl%3D',
            'AccountKey=c2VjcmV0LWFjY291bnQta2V5LXZhbHVlCg==',
            'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
            'https://etl_user:P4ssw0rd!@sftp.partner.example.net/in',
            'jane.doe@contoso.com',
        ];
        const message = `Copy failed: ${secrets.join(' | ')}`;
        stub.on('POST', GENERATE, { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message } } });
        const result = await model(stub, sleeps).analyse(signal, details(message), classification);
        const prompt = promptOf(sent(stub)[0]);
        assert.match(prompt, /Copy failed/);
        for (const needle of [
            'Zm9vYmFyc2VjcmV0c2lnbmF0dXJl',
            'c2VjcmV0LWFjY291bnQta2V5',
            'eyJhbGciOiJSUzI1NiJ9',
            'P4ssw0rd',
            'jane.doe',
        ]) {
            assert.ok(!prompt.includes(needle), `prompt leaks ${needle}`);
            assert.ok(!(result.note ?? '').includes(needle), `note leaks ${needle}`);
        }
    });
});
