import type { InvocationContext } from '@azure/functions';
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { analyseFailure } from '../../../../src/functions/activities/analyseFailure';
import { fetchFailure, MAX_INLINE_MESSAGE } from '../../../../src/functions/activities/fetchFailure';
import { classify } from '../../../../src/shared/classifier';
import { createAnalyst } from '../../../../src/shared/clients/analyst';
import { BlobTextStore } from '../../../../src/shared/clients/blobText';
import { buildPrompt } from '../../../../src/shared/clients/geminiPrompt';
import { nullBroadcaster } from '../../../../src/shared/clients/webpubsub';
import type { FailureDetails, Ticket } from '../../../../src/shared/domain';
import type { AdfConnector } from '../../../../src/shared/ports';
import { type Azurite, freshStores, startAzurite } from '../../../support/azurite';
import { caseResponses } from './caseFixtures';
import { classification, details, GENERATE, gemini, good, reply, rulesAnalysis, signal } from './geminiFixtures';
import { type Scripted, Stub } from './stubServer';

const SECRETS = ['sig=Zm9vYmFyc2VjcmV0', 'AccountKey=q1w2e3r4t5y6u7i8o9p0==', 'jane.doe@example.org', 'Bearer eyJhbGciOi.eyJzdWIi.c2ln'];

/** A 300 KB Spark stack trace: the cause at the head, the innermost frame at the tail, secrets in between. */
function hugeTrace(): string {
    const frames = Array.from({ length: 6000 }, (_, i) => `\tat org.apache.spark.scheduler.Task.run(Task.scala:${i})`);
    frames.splice(3000, 0, `\tcaused by: wasbs://raw@acct.blob.core.windows.net/x?${SECRETS[0]} ${SECRETS[1]} ${SECRETS[2]} ${SECRETS[3]}`);
    return `ErrorCode=UserErrorSourceBlobNotExists,'Message=HEAD-OF-TRACE the source blob is missing'\n${frames.join('\n')}\nTAIL-OF-TRACE`;
}

const ticket = (): Ticket => ({
    id: signal.ticketId, source: 'adf', status: 'open', dedupKey: signal.dedupKey, pipeline: signal.pipeline,
    runId: signal.runId, severity: 'Sev2', createdAt: '2025-03-14T02:07:00.000Z', updatedAt: '2025-03-14T02:07:00.000Z',
    attempts: 0, rerunRunIds: [], relatedAlerts: 1,
});

describe('analysis activities on Azurite: large error texts, archive, configuration errors', () => {
    let azurite: Azurite;
    let stub: Stub;
    let errors: string[];
    const ctx = () => ({ warn: () => undefined, error: (m: string) => errors.push(m) }) as unknown as InvocationContext;
    before(async () => {
        azurite = await startAzurite();
    });
    after(() => azurite.close());
    beforeEach(async () => {
        errors = [];
        stub = await Stub.start();
    });
    afterEach(() => stub.close());

    async function setup(model = createAnalyst({ providers: [gemini(stub)], fallback: () => rulesAnalysis })) {
        const stores = freshStores(azurite);
        await stores.tickets.open(ticket());
        const trace = hugeTrace();
        const adf = {
            fetchFailure: async (): Promise<FailureDetails> => ({
                found: true,
                runStatus: 'Failed',
                errors: [{ scope: 'activity', name: 'Copy_Raw', type: 'Copy', code: '2200', failureType: 'UserError', message: trace }],
            }),
        } as unknown as AdfConnector;
        const texts = new BlobTextStore(stores.container);
        const deps = { ...stores, adf, databricks: adf as never, texts, model, broadcaster: nullBroadcaster(), now: () => new Date('2025-03-14T02:08:00Z') };
        return { deps, trace, texts, stores };
    }

    it('a 300 KB stack trace goes whole (redacted) to Blob; the history and the prompt get head and tail only', async () => {
        const { deps, trace, texts, stores } = await setup();
        assert.ok(trace.length > 300_000);
        const got = await fetchFailure(deps, { signal: { ...signal, adf: {} as never }, seq: 1 }, ctx());
        const e = got.errors[0]!;
        assert.ok(JSON.stringify(got).length < MAX_INLINE_MESSAGE + 1000, `history carries ${JSON.stringify(got).length} chars`);
        assert.match(e.message, /^ErrorCode=UserErrorSourceBlobNotExists.*HEAD-OF-TRACE/);
        assert.match(e.message, /TAIL-OF-TRACE$/);
        assert.equal(e.fullTextBlob, `${stores.container.containerName}/errors/t-1/0.txt`);
        const whole = (await texts.get(e.fullTextBlob!))!;
        assert.equal(whole.length, e.fullTextChars);
        assert.ok(whole.length > 300_000 && whole.includes('HEAD-OF-TRACE') && whole.includes('TAIL-OF-TRACE'));
        for (const secret of SECRETS) assert.ok(!whole.includes(secret) && !e.message.includes(secret), secret);
        const stored = await stores.tickets.get('t-1');
        assert.equal(stored?.errorTextBlob, e.fullTextBlob, 'the ticket keeps the reference');
        assert.ok((stored?.errorMessage ?? '').length <= 2000);

        const prompt = buildPrompt(signal, got, classify('adf', got));
        assert.ok(prompt.length < 7000, `prompt of ${prompt.length} chars`);
        assert.match(prompt, /HEAD-OF-TRACE[\s\S]*chars cut[\s\S]*TAIL-OF-TRACE/);
    });

    it('archives the redacted prompt and raw reply next to the audit document, referenced by the ticket', async () => {
        stub.on('POST', GENERATE, reply('not json'), reply(JSON.stringify(good)));
        const { deps, texts, stores } = await setup();
        const withSecret = details(`Login to https://etl:hunter2@db.example.net failed for ${SECRETS[2]}`);
        const result = await analyseFailure(deps, { signal, seq: 3, details: withSecret, classification }, ctx());
        assert.equal(result.source, 'gemini');
        assert.equal(result.archive, `${stores.container.containerName}/2025-03/t-1.llm.json`);
        const doc = JSON.parse((await texts.get(result.archive!))!) as { exchanges: { prompt: string; reply: string }[] };
        assert.equal(doc.exchanges.length, 2);
        assert.match(doc.exchanges[0]!.prompt, /Login to https:\/\/\[REDACTED\]@db\.example\.net failed for \[EMAIL\]/);
        assert.equal(doc.exchanges[0]!.reply, 'not json');
        assert.deepEqual(JSON.parse(doc.exchanges[1]!.reply), good);
        assert.doesNotMatch(JSON.stringify(doc), /hunter2|jane\.doe/);
        const stored = await stores.tickets.get('t-1');
        assert.equal(stored?.analysis?.archive, result.archive);
        assert.equal(stored?.analysis?.usage?.calls, 2);
        const analysed = (await stores.audit.list('t-1')).find((ev) => ev.type === 'analysed');
        assert.equal(analysed?.data['archive'], result.archive);
        assert.equal(analysed?.data['modelCalls'], 2);
    });

    it('C38: a 400 configuration error reaches the operator log and the audit trail; the ticket says why', async () => {
        stub.on('POST', GENERATE, ...(caseResponses('C38-gemini-400-additionalproperties.json', 'gemini', 'POST', 'generateContent') as Scripted[]));
        const { deps, stores } = await setup();
        const result = await analyseFailure(deps, { signal, seq: 3, details: details(), classification }, ctx());
        assert.equal(result.source, 'rules');
        assert.match(result.note ?? '', /^unavailable \(LLM config\): 400 INVALID_ARGUMENT/);
        assert.equal(stub.requests.length, 1, 'not retried');
        assert.equal(errors.length, 1);
        assert.match(errors[0]!, /Model configuration error.*fields: generation_config\.response_schema/);
        const events = await stores.audit.list('t-1');
        assert.ok(events.some((ev) => ev.type === 'llm_config_error'));
    });
});
