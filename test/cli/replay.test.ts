import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { replayAlert, type ReplayReport } from '../../cli/replay';
import { type Sandbox, startSandbox } from '../../devhost/sandbox';
import { loadConfig } from '../../src/shared/config';
import { backoffSeconds } from '../../src/shared/policy';
import type { FailureDetails } from '../../src/shared/domain';
import { cli, settingsFile, tempFile } from './support';

const ADF_SAMPLE = 'test/fixtures/sample-alerts/adf-log-alert.json';
const DBX_SAMPLE = 'test/fixtures/sample-alerts/databricks-on-failure.json';

const BLOB_MISSING: FailureDetails = {
    found: true,
    runStatus: 'Failed',
    errors: [
        {
            scope: 'activity',
            name: 'Copy_Landing',
            code: '2200',
            failureType: 'UserError',
            message:
                "ErrorCode=UserErrorSourceBlobNotExists,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException," +
                "Message=The required Blob is missing. ContainerName: https://stlake.blob.core.windows.net/landing, " +
                "ContainerExist: True, BlobPrefix: sales/2025-03-14.csv, BlobCount: 0.,Source=Microsoft.DataTransfer.ClientLibrary,'",
        },
    ],
};

/** Settings pointing at nothing that answers: a replay that tried to reach ADF would report a fetch error. */
const OFFLINE = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', ARM_ENDPOINT: 'http://127.0.0.1:9', ARM_ACCESS_TOKEN: 'unused' };

describe('npx autoheal replay', () => {
    let sandbox: Sandbox;
    let settings: string;

    before(async () => {
        sandbox = await startSandbox({ mode: 'demo' });
        // The sandbox stands in for ARM and Databricks; Gemini stays off so the analysis is the rules'.
        settings = settingsFile({ ...sandbox.settings(), GEMINI_API_KEY: '', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    });
    after(() => sandbox.close());

    it('fetches the run from the configured Data Factory, classifies it and prints the rerun it would start, starting none', async () => {
        sandbox.calls.length = 0;
        const { code, out } = await cli(['replay', ADF_SAMPLE, '--settings', settings]);
        assert.equal(code, 0);
        assert.match(out, /PASS intake: the Azure Monitor alert would be accepted \(202\): 1 failed run/);
        assert.match(out, /Details {3}from Data Factory: run Failed, 2 error\(s\)/);
        assert.match(out, /Class {5}transient \(rule adf-2108-\w+, code 2108, retryable\)/);
        assert.match(out, /Decision {2}RERUN: Rerun, attempt 1 of 3, in \d+ s/);
        assert.match(out, /start an ADF recovery rerun of pl_ingest_sales_daily from the failed activity \(createRun with referencePipelineRunId=a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4, isRecovery=true, startFromFailure=true\)/);
        const calls = sandbox.calls.map((c) => `${c.method} ${new URL(c.url).pathname.split('/').slice(-2).join('/')}`);
        assert.ok(calls.includes('GET pipelineruns/a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4'), calls.join(', '));
        assert.deepEqual(sandbox.calls.filter((c) => /createRun/i.test(c.url)), [], 'no rerun was started');
    });

    it('asks Databricks for the run and would repair a capacity failure once, after the capacity delay', async () => {
        sandbox.calls.length = 0;
        const { code, out } = await cli(['replay', DBX_SAMPLE, '--settings', settings, '--json']);
        assert.equal(code, 0);
        const report = JSON.parse(out) as Extract<ReplayReport, { kind: 'failures' }>;
        assert.equal(report.kind, 'failures');
        const ticket = report.tickets[0]!;
        assert.equal(ticket.detailsFrom, 'databricks');
        assert.equal(ticket.signal.databricks?.runId, '771234567890123');
        assert.equal(ticket.classification?.errorClass, 'capacity');
        assert.equal(ticket.decision?.action, 'rerun');
        assert.equal(ticket.decision?.maxAttempts, 1);
        assert.ok((ticket.decision?.delaySeconds ?? 0) >= 300, `delay ${ticket.decision?.delaySeconds}`);
        assert.ok(sandbox.calls.some((c) => c.method === 'GET' && c.url.includes('/jobs/runs/get?run_id=771234567890123')));
        assert.deepEqual(sandbox.calls.filter((c) => c.method === 'POST'), [], 'no repair was requested');
    });

    it('takes the failure details from --details instead of asking ADF, and would escalate a missing source file', async () => {
        const { code, out } = await cli(['replay', ADF_SAMPLE, '--details', tempFile('details.json', BLOB_MISSING), '--settings', settingsFile(OFFLINE)]);
        assert.equal(code, 0, out);
        assert.match(out, /Details {3}from the --details file: run Failed, 1 error\(s\)/);
        assert.match(out, /Class {5}data \([^)]*not retryable\)/);
        assert.match(out, /Decision {2}ESCALATE: Escalate: /);
        assert.match(out, /Would {5}escalate: close the ticket as escalated for a person; no rerun/);
    });

    it('reports a Data Factory it cannot reach as a failed lookup the app would retry, and exits 1', async () => {
        const { code, out } = await cli(['replay', ADF_SAMPLE, '--settings', settingsFile(OFFLINE)]);
        assert.equal(code, 1);
        assert.match(out, /could not be read from Data Factory: .*(ECONNREFUSED|failed)/);
        assert.match(out, /Would {5}retry the lookup \(durable retries\), then escalate/);
    });

    it('shows intake rejecting an invalid body (exit 1) and ignoring a test notification (exit 0)', async () => {
        const bad = await cli(['replay', tempFile('bad.json', { schemaId: 'azureMonitorCommonAlertSchema', data: {} }), '--settings', settingsFile(OFFLINE)]);
        assert.equal(bad.code, 1);
        assert.match(bad.out, /FAIL intake: the Azure Monitor alert would be rejected with 400:\n {2}data\.essentials: /);
        const test = await cli(['replay', 'test/fixtures/cases/C04-test-action-group-sample.json', '--settings', settingsFile(OFFLINE)]);
        assert.equal(test.code, 0);
        assert.match(test.out, /SKIP intake: .*ignored: test notification received for alert rule/);
    });

    it('replays at most --max runs of a large legacy alert and counts the rest', async () => {
        const args = ['replay', 'test/fixtures/cases/C10-legacy-large-payload-1000-rows.json', '--max', '2', '--json'];
        const { code, out } = await cli([...args, '--details', tempFile('d.json', BLOB_MISSING), '--settings', settingsFile(OFFLINE)]);
        assert.equal(code, 0);
        const report = JSON.parse(out) as Extract<ReplayReport, { kind: 'failures' }>;
        assert.equal(report.tickets.length, 2);
        assert.ok(report.omitted >= 1, `${report.omitted} omitted`);
    });

    it('refuses a --details file that is not FailureDetails, naming the problem (exit 2)', async () => {
        const { code, err } = await cli(['replay', ADF_SAMPLE, '--details', tempFile('d.json', { found: 'yes' }), '--settings', settingsFile(OFFLINE)]);
        assert.equal(code, 2);
        assert.match(err, /--details .* is not FailureDetails: found: /);
    });
});

describe('replayAlert', () => {
    const config = loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', MAX_AUTO_HEAL_ATTEMPTS: '5' });
    const never = { fetchFailure: () => Promise.reject(new Error('must not be called')) };
    const deps = (details?: FailureDetails) => ({ config, details, adf: never, databricks: never, now: () => new Date('2025-03-14T02:10:00Z') });

    it('escalates a run the platform no longer has, as the app does, without classifying a guess into a rerun', async () => {
        const report = await replayAlert(await readSample(), deps({ found: false, errors: [] }));
        assert.equal(report.kind, 'failures');
        const decision = report.kind === 'failures' ? report.tickets[0]?.decision : undefined;
        assert.equal(decision?.action, 'escalate');
        assert.match(decision?.reason ?? '', /no longer available in Data Factory/);
    });

    it('uses the configured budget and the ticket id as the backoff seed (the same delay the app would wait)', async () => {
        const transient: FailureDetails = { found: true, runStatus: 'Failed', errors: [{ scope: 'activity', name: 'Web', code: '2108', message: "Error calling the endpoint 'https://x.example'. Response status code: 'NA - Unknown'. More details: Exception message: 'The operation has timed out.'" }] };
        const report = await replayAlert(await readSample(), deps(transient));
        const ticket = report.kind === 'failures' ? report.tickets[0] : undefined;
        assert.equal(ticket?.decision?.action, 'rerun');
        assert.equal(ticket?.decision?.maxAttempts, 5);
        assert.equal(ticket?.decision?.delaySeconds, backoffSeconds(1, config.RETRY_BASE_DELAY_SECONDS, ticket?.signal.ticketId ?? ''));
    });
});

describe('replay with the pipeline policy settings', () => {
    it('lays approval and dry run over the decision, as the decideRemediation activity does', async () => {
        const config = loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', APPROVAL_REQUIRED_CLASSES: 'transient', DRY_RUN: 'true' });
        const never = { fetchFailure: () => Promise.reject(new Error('must not be called')) };
        const transient: FailureDetails = { found: true, runStatus: 'Failed', errors: [{ scope: 'activity', name: 'Web', code: '2108', message: "Error calling the endpoint 'https://x.example'. Response status code: 'NA - Unknown'. More details: Exception message: 'The operation has timed out.'" }] };
        const report = await replayAlert(await readSample(), { config, details: transient, adf: never, databricks: never, now: () => new Date() });
        const decision = report.kind === 'failures' ? report.tickets[0]?.decision : undefined;
        assert.equal(decision?.approval?.why, 'class transient');
        assert.equal(decision?.dryRun, true);
        const { out } = await cli(['replay', ADF_SAMPLE, '--details', tempFile('t.json', transient), '--settings', settingsFile({ ...OFFLINE, APPROVAL_REQUIRED_CLASSES: 'transient', DRY_RUN: 'true' })]);
        assert.match(out, /Would {5}record this and start nothing \(DRY_RUN\); without it: ask for approval \(class transient; rejected without an answer in 60 min\), then wait \d+ s, then start an ADF recovery rerun/);
    });
});

async function readSample(): Promise<string> {
    const { readFile } = await import('node:fs/promises');
    return readFile(ADF_SAMPLE, 'utf8');
}
