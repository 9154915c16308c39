import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyVariant, isHttpStep, loadCase, startSandbox, workspacesFromMocks } from '../../devhost/sandbox';

const CASES = join(__dirname, '..', 'fixtures', 'cases');
const fixture = (name: string) => join(CASES, name);

function tempCase(content: unknown): string {
    const file = join(mkdtempSync(join(tmpdir(), 'sandbox-case-')), 'bad.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
}

describe('loadCase', () => {
    it('turns a plain body (C01) into one POST to the alert receiver at PT0S with no mocks', () => {
        const c = loadCase(fixture('C01-logalertsv2-adf-no-search-results.json'));
        assert.equal(c.kind, 'plain');
        assert.deepEqual(c.mocks, []);
        assert.equal(c.steps.length, 1);
        const step = c.steps[0]!;
        assert.ok(isHttpStep(step));
        assert.deepEqual(
            [step.at, step.atMs, step.request.method, step.request.path],
            ['PT0S', 0, 'POST', '/api/alerts/azure-monitor'],
        );
        assert.equal((step.request.body as { schemaId: string }).schemaId, 'azureMonitorCommonAlertSchema');
    });

    it('reads a scenario (C14) with its config, steps and mocks', () => {
        const c = loadCase(fixture('C14-adf-2108-transient-endpoint.json'));
        assert.equal(c.kind, 'scenario');
        assert.equal(c.config.clockStart, '2025-03-14T02:07:00Z');
        assert.equal(c.mocks.length, 5);
        assert.deepEqual(
            c.mocks.map((m) => m.service),
            ['adf', 'adf', 'gemini', 'adf', 'adf'],
        );
        assert.equal(c.mocks[4]!.responses.length, 4);
        assert.equal(c.variant, null);
    });

    it('keeps unsupported step kinds with their fields and converts durations', () => {
        const file = tempCase({
            kind: 'scenario',
            steps: [{ at: 'PT1M30.5S', action: 'chaos', do: 'restart' }],
        });
        const step = loadCase(file).steps[0]!;
        assert.ok(!isHttpStep(step));
        assert.deepEqual([step.action, step.atMs, step['do']], ['chaos', 90_500, 'restart']);
    });

    it('names the offending field in validation errors', () => {
        const bad = {
            kind: 'scenario',
            steps: [{ at: 'PT0S', action: 'http', request: { method: 'POST', path: '/x' } }],
            mocks: [{ service: 'slack', method: 'GET', url: 'https://x.example/a', responses: [{ status: 200 }] }],
        };
        assert.throws(() => loadCase(tempCase(bad)), /mocks\.0\.service/);
        const badStep = {
            kind: 'scenario',
            steps: [{ at: 'PT0S', action: 'http', request: { method: 'POST', path: 'x' } }],
        };
        assert.throws(() => loadCase(tempCase(badStep)), /steps\.0\.request\.path/);
        assert.throws(
            () => loadCase(tempCase({ kind: 'scenario', steps: [{ at: '15s', action: 'http' }] })),
            /steps\.0\.at/,
        );
        assert.throws(() => loadCase(tempCase('{"kind":')), /bad\.json: cannot read case file/);
    });
});

describe('applyVariant', () => {
    it("replaces one mock's responses (C25 B-run-expired)", () => {
        const c = applyVariant(loadCase(fixture('C25-dbx-repair-latest-repair-id.json')), 'B-run-expired');
        assert.equal(c.variant, 'B-run-expired');
        const get = c.mocks.find((m) => m.method === 'GET')!;
        assert.deepEqual(
            get.responses.map((r) => r.status),
            [404],
        );
        assert.equal(c.mocks.filter((m) => m.url?.includes('runs/repair')).length, 2, 'other mocks are kept');
    });

    it("builds responses from a statusSequence on the replaced mock's bodies (C21 B-operator-cancel)", () => {
        const c = applyVariant(loadCase(fixture('C21-adf-rerun-new-runid-queued-canceling.json')), 'B-operator-cancel');
        const polled = c.mocks.find(
            (m) => m.method === 'GET' && m.url?.includes('3d5f7a9c-1e3a-4d5f-8a9c-1e3a5d7f9a1c'),
        )!;
        const statuses = polled.responses.map((r) => (r.body as { status: string; runId: string }).status);
        assert.deepEqual(statuses, ['Queued', 'InProgress', 'Canceling', 'Canceling', 'Cancelled']);
        assert.equal((polled.responses[4]!.body as { runId: string }).runId, '3d5f7a9c-1e3a-4d5f-8a9c-1e3a5d7f9a1c');
    });

    it('adds alsoMustNotBeCalled watchers that record violations (C36 B-per-day-quota)', async () => {
        const c = applyVariant(loadCase(fixture('C36-gemini-503-then-429-retrydelay.json')), 'B-per-day-quota');
        const sb = await startSandbox({ mode: 'script', mocks: c.mocks });
        try {
            const createRun = c.mocks
                .find((m) => m.url?.includes('/createRun'))!
                .url!.replace('https://management.azure.com', '/arm');
            const res = await fetch(sb.baseUrl + createRun, {
                method: 'POST',
                headers: { authorization: 'Bearer t' },
                body: '{}',
            });
            assert.equal(res.status, 200, 'the scripted createRun still answers');
            assert.equal(sb.violations.length, 1);
            assert.match(sb.violations[0]!, /^mustNotBeCalled: POST https:\/\/management\.azure\.com\/.*\/createRun\?/);
        } finally {
            await sb.close();
        }
    });

    it('lists the known variants when the name is unknown', () => {
        const c = loadCase(fixture('C18-adf-createrun-504-and-arm-429.json'));
        assert.throws(() => applyVariant(c, 'nope'), /unknown variant "nope"; known variants: B-arm-throttled/);
        assert.throws(
            () => applyVariant(loadCase(fixture('C14-adf-2108-transient-endpoint.json')), 'x'),
            /known variants: \(none\)/,
        );
    });
});

describe('workspacesFromMocks', () => {
    it('maps workspace ids to their hosts', () => {
        const c = loadCase(fixture('C25-dbx-repair-latest-repair-id.json'));
        assert.deepEqual(workspacesFromMocks(c.mocks), {
            '5550001112223334': 'adb-5550001112223334.4.azuredatabricks.net',
        });
        assert.deepEqual(workspacesFromMocks(loadCase(fixture('C14-adf-2108-transient-endpoint.json')).mocks), {});
    });
});

describe('a real @google/genai client against the sandbox', () => {
    // @google/genai is an ES module; this CommonJS test loads it dynamically.
    const genai = () => import('@google/genai');

    it('gets the scripted text of C14 back', async () => {
        const c = loadCase(fixture('C14-adf-2108-transient-endpoint.json'));
        const sb = await startSandbox({ mode: 'script', mocks: c.mocks });
        try {
            const { GoogleGenAI } = await genai();
            const settings = sb.settings();
            const ai = new GoogleGenAI({
                apiKey: settings['GEMINI_API_KEY']!,
                httpOptions: { baseUrl: settings['GEMINI_BASE_URL']! },
            });
            const res = await ai.models.generateContent({
                model: 'gemini-2.5-flash',
                contents: 'analyse',
                config: { responseMimeType: 'application/json' },
            });
            assert.equal(JSON.parse(res.text ?? '{}').category, 'transient');
            assert.deepEqual(
                sb.calls.map((call) => [call.service, call.url, call.status]),
                [
                    [
                        'gemini',
                        'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
                        200,
                    ],
                ],
            );
        } finally {
            await sb.close();
        }
    });

    it('gets the default analysis when nothing is scripted', async () => {
        const sb = await startSandbox({ mode: 'script', mocks: [] });
        try {
            const { GoogleGenAI } = await genai();
            const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: `${sb.baseUrl}/gemini` } });
            const res = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'x' });
            const analysis = JSON.parse(res.text ?? '{}');
            assert.deepEqual(
                [analysis.category, analysis.auto_heal_possible, analysis.confidence],
                ['unknown', false, 0.3],
            );
            assert.equal(res.candidates?.[0]?.finishReason, 'STOP');
            assert.equal(res.modelVersion, 'gemini-2.5-pro');
        } finally {
            await sb.close();
        }
    });
});
