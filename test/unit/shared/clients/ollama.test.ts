import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { createAnalyst } from '../../../../src/shared/clients/analyst';
import { createOllamaProvider } from '../../../../src/shared/clients/ollama';
import { clearPauses } from '../../../../src/shared/clients/providerChain';
import { caseResponses, variantResponses } from './caseFixtures';
import { classification, details, GENERATE, gemini, good, reply, rulesAnalysis, signal } from './geminiFixtures';
import { type Scripted, Stub } from './stubServer';

/** Ollama's /api/chat answer (stream: false). */
const chat = (content: string, done = 'stop'): Scripted => ({
    status: 200,
    body: {
        model: 'llama3.1:8b',
        message: { role: 'assistant', content },
        done: true,
        done_reason: done,
        prompt_eval_count: 900,
        eval_count: 70,
    },
});

const C36 = 'C36-gemini-503-then-429-retrydelay.json';

describe('Ollama-compatible local model, tried when Gemini is unavailable', () => {
    let google: Stub;
    let local: Stub;
    beforeEach(async () => {
        clearPauses();
        [google, local] = await Promise.all([Stub.start(), Stub.start()]);
    });
    afterEach(() => Promise.all([google.close(), local.close()]));

    const ollama = (url = local.url) => createOllamaProvider({ url, model: 'llama3.1:8b', timeoutMs: 2000 });
    const analyst = (withGemini = true) =>
        createAnalyst({
            providers: withGemini ? [gemini(google), ollama()] : [ollama()],
            fallback: () => rulesAnalysis,
        });

    it('answers alone (air-gapped: no Gemini key), with the schema as `format` and its tokens counted', async () => {
        local.on('POST', '/api/chat', chat(JSON.stringify(good)));
        const { result, exchanges } = await analyst(false).analyse(signal, details(), classification);
        assert.deepEqual([result.source, result.model], ['ollama', 'llama3.1:8b']);
        assert.deepEqual(result.analysis, good);
        assert.deepEqual(result.usage, { calls: 1, promptTokens: 900, outputTokens: 70, totalTokens: 970 });
        const sent = JSON.parse(local.requests[0]?.body ?? '{}') as { stream: boolean; format: { properties: object } };
        assert.equal(sent.stream, false);
        assert.ok('auto_heal_possible' in sent.format.properties);
        assert.equal(exchanges[0]?.provider, 'ollama');
        assert.match(exchanges[0]?.prompt ?? '', /pl_sync_partner_prices/);
    });

    it('takes over when Gemini\'s daily quota is spent (C36 B), and Gemini is not called again before the reset', async () => {
        google.on('POST', GENERATE, ...(variantResponses(C36, 'B-per-day-quota') as Scripted[]));
        local.on('POST', '/api/chat', chat(JSON.stringify(good)));
        const a = analyst();
        const first = await a.analyse(signal, details(), classification);
        assert.equal(first.result.source, 'ollama');
        assert.match(first.result.note ?? '', /^unavailable \(quota\): per-day quota exhausted, no call before /);
        const other = details("Error calling the endpoint 'https://other.example.net/'. Response status code: '503'.");
        const second = await a.analyse({ ...signal, ticketId: 't-2' }, other, classification);
        assert.equal(second.result.source, 'ollama');
        assert.match(second.result.note ?? '', /^unavailable \(quota\): no call before /);
        assert.equal(google.requests.length, 1, 'no Gemini call until the quota resets');
        assert.equal(local.requests.length, 2);
    });

    it('is not asked when Gemini answered but the answer was blocked: another model is no cure', async () => {
        google.on('POST', GENERATE, ...(caseResponses('C35-gemini-safety-block.json', 'gemini', 'POST', 'generateContent') as Scripted[]));
        local.on('POST', '/api/chat', chat(JSON.stringify(good)));
        const { result } = await analyst().analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^blocked:/);
        assert.equal(local.requests.length, 0);
    });

    it('gets one corrective retry for an invalid reply and one larger budget for a cut-off one', async () => {
        local.on('POST', '/api/chat', chat('{"root_cause": "x", "confidence": "high"}'), chat('{"root_cause": "The', 'length'), chat(JSON.stringify(good)));
        const { result } = await analyst(false).analyse(signal, details(), classification);
        assert.equal(result.source, 'ollama');
        const bodies = local.requests.map((r) => JSON.parse(r.body) as { messages: unknown[]; options: { num_predict: number } });
        assert.equal(bodies[1]?.messages.length, 3, 'the invalid reply and a correction are sent back');
        assert.ok((bodies[2]?.options.num_predict ?? 0) > (bodies[1]?.options.num_predict ?? 0));
    });

    it('when both are down, the rules decide and the note names both', async () => {
        google.on('POST', GENERATE, ...(caseResponses('C38-gemini-400-additionalproperties.json', 'gemini', 'POST', 'generateContent') as Scripted[]));
        const down = ollama('http://127.0.0.1:9');
        const a = createAnalyst({ providers: [gemini(google), down], fallback: () => rulesAnalysis });
        const { result, configError } = await a.analyse(signal, details(), classification);
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(LLM config\): 400 INVALID_ARGUMENT.*; then ollama \(llama3\.1:8b\): unavailable \(service\)/);
        assert.match(configError ?? '', /generation_config\.response_schema/);
        assert.equal(result.usage?.calls, 2);
    });

    it('records Gemini usageMetadata per ticket, summed over every call it made (C36: 503, 429, then 2477 tokens)', async () => {
        google.on('POST', GENERATE, ...(caseResponses(C36, 'gemini', 'POST', 'generateContent') as Scripted[]));
        const { result } = await createAnalyst({ providers: [gemini(google)], fallback: () => rulesAnalysis }).analyse(
            signal,
            details(),
            classification,
        );
        assert.deepEqual(result.usage, { calls: 3, promptTokens: 2412, outputTokens: 65, totalTokens: 2477 });
        const fenced = caseResponses('C33-gemini-json-in-markdown-fence.json', 'gemini', 'POST', 'generateContent') as Scripted[];
        await google.close();
        google = await Stub.start();
        google.on('POST', GENERATE, ...fenced, reply(JSON.stringify(good)));
        const c33 = await createAnalyst({ providers: [gemini(google)], fallback: () => rulesAnalysis }).analyse(signal, details(), classification);
        assert.deepEqual(c33.result.usage, { calls: 1, promptTokens: 2412, outputTokens: 71, totalTokens: 2483 });
    });
});
