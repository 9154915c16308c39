import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { caseResponses } from './caseFixtures';
import {
    classification,
    details,
    GENERATE,
    good,
    model,
    promptOf,
    reply,
    rulesAnalysis,
    sent,
    signal,
} from './geminiFixtures';
import { Stub, type Scripted } from './stubServer';

describe('Gemini RCA model: replies', () => {
    let stub: Stub;
    beforeEach(async () => {
        stub = await Stub.start();
    });
    afterEach(() => stub.close());

    it('a valid reply is the analysis; the request carries the schema, temperature and key', async () => {
        stub.on('POST', GENERATE, reply(JSON.stringify(good)));
        const result = await model(stub).analyse(signal, details(), classification);
        const usage = { calls: 1, promptTokens: 0, outputTokens: 0, totalTokens: 0 };
        assert.deepEqual(result, { source: 'gemini', analysis: good, model: 'gemini-2.5-flash', usage });

        assert.equal(stub.requests.length, 1);
        assert.equal(stub.requests[0]?.headers['x-goog-api-key'], 'test-key');
        const [req] = sent(stub);
        const cfg = req?.generationConfig ?? { maxOutputTokens: 0 };
        assert.equal(cfg.responseMimeType, 'application/json');
        assert.equal(cfg.temperature, 0.2);
        assert.ok(cfg.maxOutputTokens > 0);
        const schema = JSON.stringify(cfg.responseJsonSchema);
        assert.match(schema, /"root_cause"/);
        assert.doesNotMatch(schema, /additionalProperties|\$schema/);
        const prompt = promptOf(req);
        for (const fact of [
            'pl_sync_partner_prices',
            'Web_Get_Partner_Token',
            'WebActivity',
            'code=2108',
            'UserError',
            'class=transient',
            'adf-2108-no-status',
        ]) {
            assert.ok(prompt.includes(fact), `prompt lacks ${fact}`);
        }
    });

    it('C33: a reply in a ```json fence is unwrapped without a second call', async () => {
        stub.on(
            'POST',
            GENERATE,
            ...(caseResponses(
                'C33-gemini-json-in-markdown-fence.json',
                'gemini',
                'POST',
                'generateContent',
            ) as Scripted[]),
        );
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'gemini');
        assert.equal(result.analysis.confidence, 0.77);
        assert.equal(stub.requests.length, 1);
    });

    it('prose around a fenced object is invalid output', async () => {
        stub.on('POST', GENERATE, reply(`Here you go:\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\``));
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.equal(stub.requests.length, 2);
    });

    it('an invalid reply (no coercion of "0.8") gets one corrective retry', async () => {
        stub.on('POST', GENERATE, reply(JSON.stringify({ ...good, confidence: '0.8' })), reply(JSON.stringify(good)));
        const result = await model(stub).analyse(signal, details(), classification);
        assert.deepEqual({ ...result, usage: undefined }, { source: 'gemini', analysis: good, model: 'gemini-2.5-flash', usage: undefined });
        assert.equal(result.usage?.calls, 2, 'the corrective retry is a second call');
        const second = sent(stub)[1];
        assert.deepEqual(
            second?.contents.map((c) => c.role),
            ['user', 'model', 'user'],
        );
        assert.match(second?.contents[2]?.parts[0]?.text ?? '', /confidence/);
    });

    it('two invalid replies fall back to the rules with a note', async () => {
        stub.on('POST', GENERATE, reply('not json'), reply(JSON.stringify({ ...good, extra: 1 })));
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.deepEqual(result.analysis, rulesAnalysis);
        assert.match(result.note ?? '', /^invalid output/);
        assert.equal(stub.requests.length, 2);
    });

    it('MAX_TOKENS is not parsed; one retry with a larger output limit', async () => {
        stub.on('POST', GENERATE, reply('{"root_cause": "The endpoint', 'MAX_TOKENS'), reply(JSON.stringify(good)));
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'gemini');
        const [first, second] = sent(stub);
        assert.ok((second?.generationConfig.maxOutputTokens ?? 0) > (first?.generationConfig.maxOutputTokens ?? 0));
    });

    it('MAX_TOKENS twice gives up', async () => {
        stub.on('POST', GENERATE, reply('{"root_cause": "The', 'MAX_TOKENS'));
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /MAX_TOKENS/);
        assert.equal(stub.requests.length, 2);
    });

    it('C35: a blocked prompt is retried once with codes only, then succeeds', async () => {
        const [blocked] = caseResponses(
            'C35-gemini-safety-block.json',
            'gemini',
            'POST',
            'generateContent',
        ) as Scripted[];
        stub.on('POST', GENERATE, blocked as Scripted, reply(JSON.stringify(good)));
        const rowData = 'Row content: "4411;someone-4411@example.org;2025-03-13;<abusive free text>;open;;"';
        const result = await model(stub).analyse(signal, details(rowData), classification);
        assert.equal(result.source, 'gemini');
        const [first, second] = sent(stub).map(promptOf);
        assert.match(first ?? '', /abusive free text/);
        assert.doesNotMatch(first ?? '', /someone-4411@example\.org/);
        assert.doesNotMatch(second ?? '', /abusive|Row content|partner-feed/);
        assert.match(second ?? '', /code=2108/);
    });

    it('C35: blocked twice (blockReason, then SAFETY without content) gives up as blocked', async () => {
        stub.on(
            'POST',
            GENERATE,
            ...(caseResponses('C35-gemini-safety-block.json', 'gemini', 'POST', 'generateContent') as Scripted[]),
        );
        const result = await model(stub).analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(
            result.note ?? '',
            /^blocked: prompt blocked \(PROHIBITED_CONTENT\), then answer blocked \(SAFETY\)/,
        );
        assert.equal(stub.requests.length, 2);
    });

    it('a fallback never throws even when the service is unreachable', async () => {
        const m = model(stub);
        await stub.close();
        const result = await m.analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable/);
        stub = await Stub.start();
    });
});
