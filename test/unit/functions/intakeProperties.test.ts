import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { HttpRequest, InvocationContext } from '@azure/functions';
import fc from 'fast-check';

import { azureMonitorAlert } from '../../../src/functions/azureMonitorAlert';
import { databricksAlert } from '../../../src/functions/databricksAlert';
import { withErrors } from '../../../src/functions/http';
import { context, FakeStarter, intakeConfig, MemoryIntakeStore, NOW, post } from './intakeFakes';

const CASES = join(__dirname, '..', '..', 'fixtures', 'cases');
const json = (name: string) => JSON.parse(readFileSync(join(CASES, `${name}.json`), 'utf8')) as unknown;
const ANSWERS = new Set([202, 400, 413, 415]);

type Handler = typeof databricksAlert;

async function answer(handler: Handler, body: string, contentType = 'application/json') {
    const store = new MemoryIntakeStore();
    const starter = new FakeStarter();
    const deps = { intake: store.asStore(), now: () => NOW, config: intakeConfig() };
    const { ctx } = context();
    const res = await withErrors((req: HttpRequest, c: InvocationContext) => handler(deps, starter, req, c))(post(body, { 'content-type': contentType }), ctx);
    const text = JSON.stringify(res.jsonBody ?? null);
    assert.ok(ANSWERS.has(res.status ?? 0), `status ${res.status} for ${body.slice(0, 200)}: ${text}`);
    assert.doesNotMatch(text, /\n\s+at |internal error/, 'no stack trace, no internal error');
    if (res.status !== 202) assert.deepEqual(starter.started, [], 'a refused body starts nothing');
    return res;
}

/** Real payloads with one top-level-or-nested value swapped for arbitrary JSON. */
function near(base: unknown): fc.Arbitrary<string> {
    const keys = (v: unknown): string[][] =>
        v && typeof v === 'object' && !Array.isArray(v)
            ? Object.entries(v).flatMap(([k, x]) => [[k], ...keys(x).map((p) => [k, ...p])])
            : [];
    const all = keys(base);
    return fc.tuple(fc.nat(all.length - 1), fc.jsonValue({ maxDepth: 2 })).map(([i, value]) => {
        const copy = structuredClone(base) as Record<string, unknown>;
        const path = all[i]!;
        let node = copy;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
        node[path[path.length - 1]!] = value;
        return JSON.stringify(copy);
    });
}

describe('alert webhooks, on arbitrary bodies (fast-check)', () => {
    const bodies = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string(),
        near(json('C01-logalertsv2-adf-no-search-results')),
        near(json('C13-alertcontext-null')),
        near(json('C05-legacy-log-analytics-no-schemaid')),
        near(json('C08-multi-criteria-dimension-name-clash')),
    );

    it('azureMonitorAlert answers 202 or a 4xx, never a 5xx, whatever the body', async () => {
        await fc.assert(fc.asyncProperty(bodies, async (body) => void (await answer(azureMonitorAlert, body))), { numRuns: 300 });
    });

    it('databricksAlert answers 202 or a 4xx, never a 5xx, whatever the body', async () => {
        const c22 = { event_type: 'jobs.on_failure', workspace_id: '5550001112223334', run: { run_id: '771234567890123' }, job: { job_id: '1', name: 'j' } };
        const dbx = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), near(c22));
        await fc.assert(fc.asyncProperty(dbx, async (body) => void (await answer(databricksAlert, body))), { numRuns: 300 });
    });

    it('refuses with 415 whatever non-JSON content type is declared', async () => {
        const type = fc.constantFrom('text/plain', 'text/html', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded');
        await fc.assert(fc.asyncProperty(type, fc.jsonValue(), async (t, v) => {
            assert.equal((await answer(azureMonitorAlert, JSON.stringify(v), t)).status, 415);
        }), { numRuns: 50 });
    });
});
