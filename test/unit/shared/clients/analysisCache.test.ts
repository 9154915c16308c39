import { TableClient } from '@azure/data-tables';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { AnalysisCache } from '../../../../src/shared/clients/analysisCache';
import { createAnalyst } from '../../../../src/shared/clients/analyst';
import { clearPauses } from '../../../../src/shared/clients/providerChain';
import { errorSignature } from '../../../../src/shared/clients/signature';
import type { FailureDetails, FailureSignal } from '../../../../src/shared/domain';
import { type Azurite, startAzurite } from '../../../support/azurite';
import { caseResponses, variantResponses } from './caseFixtures';
import { classification, GENERATE, gemini, good, reply, rulesAnalysis, signal } from './geminiFixtures';
import { type Scripted, Stub } from './stubServer';

/** The same failure as it shows in pipeline n: other names, run ids, times, paths and numbers. */
function failure(n: number): { signal: FailureSignal; details: FailureDetails } {
    const pad = String(n).padStart(3, '0');
    const runId = `5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5${pad}`;
    const message =
        `Operation on target Web_Token_${pad} failed: Error calling the endpoint 'https://api.partner.example.net/v2/t${n}?x=${n}'. ` +
        `Response status code: 'NA - Unknown'. Request ${runId} at 2025-03-14T02:${String(n % 60).padStart(2, '0')}:09.4020000Z ` +
        `wrote landing/sales/2025/03/${n % 28}/part-${n}.csv after ${1000 + n} ms.`;
    return {
        signal: { ...signal, ticketId: `t-${pad}`, pipeline: `pl_partner_${pad}`, runId },
        details: {
            found: true,
            runStatus: 'Failed',
            errors: [{ scope: 'activity', name: `Web_Token_${pad}`, type: 'WebActivity', code: '2108', failureType: 'UserError', message }],
        },
    };
}

describe('error-signature cache', () => {
    let azurite: Azurite;
    let stub: Stub;
    let table: TableClient;
    let clock: number;
    const now = () => new Date(clock);
    const fastSleep = () => new Promise<void>((resolve) => setTimeout(resolve, 25));
    const analyst = (ttlMinutes = 60) =>
        createAnalyst({
            providers: [gemini(stub)],
            cache: new AnalysisCache(table, ttlMinutes, now),
            fallback: () => rulesAnalysis,
            now,
            sleep: fastSleep,
        });

    before(async () => {
        azurite = await startAzurite();
    });
    after(() => azurite.close());
    beforeEach(async () => {
        clearPauses();
        clock = Date.parse('2025-03-14T02:07:00Z');
        stub = await Stub.start();
        stub.on('POST', GENERATE, { ...reply(JSON.stringify(good)), delayMs: 50 });
        const name = `cache${randomBytes(4).toString('hex')}`;
        table = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
    });
    afterEach(() => stub.close());

    it('normalises ids, timestamps, paths, numbers and names away: one signature for 200 pipelines', () => {
        const hashes = new Set(
            Array.from({ length: 200 }, (_, n) => failure(n)).map((f) => errorSignature(f.signal, f.details, classification).hash),
        );
        assert.equal(hashes.size, 1);
        const other = failure(1);
        other.details.errors[0]!.message = other.details.errors[0]!.message.replace('NA - Unknown', '404');
        assert.notEqual(errorSignature(other.signal, other.details, classification).hash, [...hashes][0]);
    });

    it('the same failure across 200 pipelines costs one model call, the others are cache hits', async () => {
        const a = analyst();
        const results = [];
        for (let n = 0; n < 200; n++) {
            const f = failure(n);
            results.push((await a.analyse(f.signal, f.details, classification)).result);
        }
        assert.equal(stub.requests.length, 1);
        assert.equal(results[0]?.cached, undefined);
        assert.equal(results[0]?.usage?.calls, 1);
        for (const r of results.slice(1)) {
            assert.deepEqual([r.source, r.cached?.firstTicketId, r.usage?.calls], ['gemini', 't-000', 0]);
            assert.deepEqual(r.analysis, good);
        }
    });

    it('200 alerts at once on two app instances (one table) still make one call', async () => {
        const [one, two] = [analyst(), analyst()];
        const all = await Promise.all(
            Array.from({ length: 200 }, (_, n) => failure(n)).map((f, n) =>
                (n % 2 ? two : one).analyse(f.signal, f.details, classification),
            ),
        );
        assert.equal(stub.requests.length, 1);
        assert.ok(all.every((a) => a.result.source === 'gemini'));
    });

    it('survives a restart (a new instance reads the table) and expires after the TTL', async () => {
        const f = failure(7);
        await analyst(30).analyse(f.signal, f.details, classification);
        clock += 29 * 60_000;
        assert.ok((await analyst(30).analyse(f.signal, f.details, classification)).result.cached);
        assert.equal(stub.requests.length, 1);
        clock += 2 * 60_000;
        const again = await analyst(30).analyse(f.signal, f.details, classification);
        assert.equal(again.result.cached, undefined);
        assert.equal(stub.requests.length, 2);
    });

    it('a TTL of 0 turns the cache off', async () => {
        const f = failure(3);
        await analyst(0).analyse(f.signal, f.details, classification);
        await analyst(0).analyse(f.signal, f.details, classification);
        assert.equal(stub.requests.length, 2);
    });

    it('a per-day quota pauses Gemini for every instance until the reset, and the pause is on record', async () => {
        await stub.close();
        stub = await Stub.start();
        stub.on('POST', GENERATE, ...(variantResponses('C36-gemini-503-then-429-retrydelay.json', 'B-per-day-quota') as Scripted[]));
        const first = await analyst().analyse(failure(1).signal, failure(1).details, classification);
        assert.match(first.result.note ?? '', /^unavailable \(quota\)/);
        clearPauses(); // another instance: nothing in its memory, only the table
        const other = failure(2);
        other.details.errors[0]!.code = '2200';
        const second = await analyst().analyse(other.signal, other.details, classification);
        assert.match(second.result.note ?? '', /^unavailable \(quota\): no call before \d{4}-\d\d-\d\dT\d\d:00:00\.000Z/);
        assert.equal(stub.requests.length, 1, 'no Gemini call before the quota resets');
        const state = await new AnalysisCache(table, 60, now).provider('gemini/gemini-2.5-flash');
        assert.ok(Date.parse(state.pausedUntil ?? '') > Date.now());
        assert.equal(state.lastErrorKind, 'unavailable');
    });

    it('a configuration error (C38) is on record for a health check', async () => {
        await stub.close();
        stub = await Stub.start();
        const c38 = caseResponses('C38-gemini-400-additionalproperties.json', 'gemini', 'POST', 'generateContent');
        stub.on('POST', GENERATE, ...(c38 as Scripted[]));
        const { configError } = await analyst().analyse(failure(4).signal, failure(4).details, classification);
        assert.match(configError ?? '', /400 INVALID_ARGUMENT/);
        const state = await new AnalysisCache(table, 60, now).provider('gemini/gemini-2.5-flash');
        assert.equal(state.lastErrorKind, 'config');
        assert.match(state.lastError ?? '', /generation_config\.response_schema/);
    });

    it('caches no failure: after an invalid answer the next ticket asks again', async () => {
        await stub.close();
        stub = await Stub.start();
        stub.on('POST', GENERATE, reply('"yes"'), reply('"yes"'), reply(JSON.stringify(good)));
        const f = failure(9);
        const first = await analyst().analyse(f.signal, f.details, classification);
        assert.equal(first.result.source, 'rules');
        const second = await analyst().analyse(f.signal, f.details, classification);
        assert.equal(second.result.source, 'gemini');
        assert.equal(stub.requests.length, 3);
    });
});
