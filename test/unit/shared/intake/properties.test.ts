import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { FailureSignalSchema } from '../../../../src/shared/domain';
import { type IntakeOutcome, parseAzureMonitorAlert, parseDatabricksEvent } from '../../../../src/shared/intake';
import { CASES_DIR, caseJson, scenario } from './loadCase';

const KINDS = new Set(['failures', 'unresolved', 'resolved', 'ignored', 'invalid']);
const RUNS = { numRuns: 400 };

/** What every outcome must look like, whatever the input. */
function wellFormed(outcome: IntakeOutcome): void {
    assert.ok(KINDS.has(outcome.kind), JSON.stringify(outcome));
    if (outcome.kind === 'failures' || outcome.kind === 'resolved') for (const s of outcome.signals) FailureSignalSchema.parse(s);
    if (outcome.kind === 'failures') assert.ok(outcome.signals.length > 0);
    if (outcome.kind === 'invalid') {
        assert.ok(outcome.issues.length > 0);
        for (const i of outcome.issues) assert.ok(typeof i.path === 'string' && i.path.length > 0 && typeof i.message === 'string');
    }
    if (outcome.kind === 'unresolved') {
        assert.ok(Date.parse(outcome.windowStart) <= Date.parse(outcome.windowEnd) || outcome.windowStart > '', 'a window');
        assert.ok(!Number.isNaN(Date.parse(outcome.windowEnd)));
    }
}

/** Every path (object keys and array indexes) of a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== 'object') return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
    if (path.length === 0) return replacement;
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1]!] = replacement;
    return copy;
}

/** A real payload with one value anywhere in it replaced by arbitrary JSON (or deleted). */
function mutated(base: unknown) {
    const all = paths(base);
    // Dates anywhere in Date's range too: window arithmetic near its limits must not throw.
    const edges = fc.constantFrom('+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '0000-01-01T00:00:00Z');
    const date = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), edges);
    const value = fc.option(fc.oneof(fc.jsonValue({ maxDepth: 3 }), date), { nil: undefined });
    return fc.tuple(fc.nat(all.length - 1), value).map(([i, v]) => replaceAt(base, all[i]!, v));
}

const azureBodies = [
    'C01-logalertsv2-adf-no-search-results', 'C04-test-action-group-sample', 'C05-legacy-log-analytics-no-schemaid',
    'C06-activity-log-alert-pipeline-write', 'C08-multi-criteria-dimension-name-clash', 'C13-alertcontext-null',
].map(caseJson);
const c03 = scenario('C03-resolved-after-fired').steps.map((s) => s.request?.body);
const metricAlert = JSON.parse(readFileSync(join(CASES_DIR, '..', 'sample-alerts', 'adf-metric-alert-legacy-schema.json'), 'utf8')) as unknown;
const c22 = scenario('C22-dbx-webhook-cloud-failure').steps.find((s) => s.request?.path === '/api/alerts/databricks')?.request?.body;

describe('intake parsers, on arbitrary input (fast-check)', () => {
    it('parseAzureMonitorAlert never throws on arbitrary JSON values or text', () => {
        fc.assert(fc.property(fc.jsonValue(), (v) => wellFormed(parseAzureMonitorAlert(v))), RUNS);
        fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => wellFormed(parseAzureMonitorAlert(text))), RUNS);
    });

    it('parseAzureMonitorAlert never throws on real payloads with any one value replaced', () => {
        const bodies = fc.oneof(...[...azureBodies, ...c03, metricAlert].map(mutated));
        fc.assert(fc.property(bodies, (body) => {
            wellFormed(parseAzureMonitorAlert(body));
            wellFormed(parseAzureMonitorAlert(JSON.stringify(body) ?? ''));
        }), { numRuns: 1500 });
    });

    it('parseDatabricksEvent never throws on arbitrary JSON, text, or a mutated real notification', () => {
        fc.assert(fc.property(fc.jsonValue(), (v) => wellFormed(parseDatabricksEvent(v))), RUNS);
        fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => wellFormed(parseDatabricksEvent(text))), RUNS);
        fc.assert(fc.property(mutated(c22), (body) => wellFormed(parseDatabricksEvent(JSON.stringify(body) ?? ''))), RUNS);
    });

    it('refuses date-times at the limits of Date instead of throwing on window arithmetic', () => {
        for (const at of ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z']) {
            const body = replaceAt(caseJson('C13-alertcontext-null'), ['data', 'essentials', 'firedDateTime'], at);
            const outcome = parseAzureMonitorAlert(body);
            assert.equal(outcome.kind, 'invalid', at);
            assert.equal(outcome.kind === 'invalid' && outcome.issues[0]?.path, 'data.essentials.firedDateTime');
        }
    });

    it('keeps any Unicode pipeline name byte-exact on the ticket and NFC in the dedup key', () => {
        const base = caseJson('C01-logalertsv2-adf-no-search-results');
        const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '');
        fc.assert(fc.property(name, (pipeline) => {
            const withName = (p: string) => replaceAt(base, ['data', 'alertContext', 'condition', 'allOf', 0, 'dimensions', 0, 'value'], p);
            const nfc = parseAzureMonitorAlert(withName(pipeline.normalize('NFC')));
            const nfd = parseAzureMonitorAlert(withName(pipeline.normalize('NFD')));
            assert.ok(nfc.kind === 'failures' && nfd.kind === 'failures');
            assert.equal(nfd.signals[0]!.pipeline, pipeline.normalize('NFD'), 'byte-exact on the ticket');
            assert.ok(nfc.signals[0]!.dedupKey.includes(`|${pipeline.normalize('NFC')}|`));
            assert.equal(nfd.signals[0]!.ticketId, nfc.signals[0]!.ticketId, 'one ticket whatever the normal form');
        }), RUNS);
    });

    it('compares resource ids case-insensitively: any casing of _ResourceId is the same ticket', () => {
        const base = caseJson('C01-logalertsv2-adf-no-search-results');
        const path = ['data', 'alertContext', 'condition', 'allOf', 0, 'dimensions', 3, 'value'];
        const id = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd';
        const reference = parseAzureMonitorAlert(base);
        assert.equal(reference.kind, 'failures');
        const casing = fc.array(fc.boolean(), { minLength: id.length, maxLength: id.length });
        fc.assert(fc.property(casing, (upper) => {
            const spelled = [...id].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
            const outcome = parseAzureMonitorAlert(replaceAt(base, path, spelled));
            assert.ok(outcome.kind === 'failures' && reference.kind === 'failures');
            assert.equal(outcome.signals[0]!.ticketId, reference.signals[0]!.ticketId);
            assert.equal(outcome.signals[0]!.adf?.factoryResourceId, spelled, 'the alert spelling is kept for display');
        }), RUNS);
    });
});
